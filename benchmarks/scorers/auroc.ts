import { averageRanks } from '../../tools/metrics/correlation.ts';

/**
 * Area under the ROC curve of `scores` ranking the positives above the rest: the probability that a
 * random positive outscores a random negative, ties counting half (Mann–Whitney U from average ranks).
 * NaN when either class is empty, since no ranking can then be right or wrong.
 */
export function auroc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number {
  const ranks = averageRanks(scores);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < ranks.length; i++) {
    if (positive[i]) {
      positives++;
      rankSum += ranks[i] ?? 0;
    }
  }
  const negatives = ranks.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
