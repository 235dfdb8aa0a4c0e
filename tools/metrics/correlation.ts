import { InputError } from '../../util/errors.ts';

/**
 * Rank correlations used by saliency sanity checks (Adebayo et al. 2018 compare maps before and after
 * randomising the model with Spearman rank correlation).
 *
 * Convention: when either input is constant its correlation is undefined; we return 0 ("no linear / rank
 * relation") instead of NaN so results stay serialisable and sortable.
 */

/** 1-based ranks; tied values share the average of the ranks they span (e.g. [10, 20, 20, 30] → [1, 2.5, 2.5, 4]). */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  checkFinite(values, 'values');
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    const value = values[order[start] as number];
    let end = start + 1;
    while (end < n && values[order[end] as number] === value) end++;
    // Positions start..end-1 hold equal values; 1-based ranks start+1..end average to (start + 1 + end) / 2.
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k] as number] = rank;
    start = end;
  }
  return ranks;
}

/** Pearson's linear correlation coefficient r in [-1, 1] (0 when either input is constant). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPair(x, y);
  checkFinite(x, 'x');
  checkFinite(y, 'y');
  const n = x.length;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x[i] as number;
    meanY += y[i] as number;
  }
  meanX /= n;
  meanY /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - meanX;
    const dy = (y[i] as number) - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return 0;
  // Clamp: rounding can push |r| a hair past 1 for (anti)identical inputs.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Spearman's rank correlation ρ: Pearson on average ranks, so ties are handled exactly. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPair(x, y);
  return pearson(averageRanks(x), averageRanks(y));
}

function checkPair(x: ArrayLike<number>, y: ArrayLike<number>): void {
  if (x.length !== y.length) {
    throw new InputError(`correlation needs two series of the same length, got ${x.length} and ${y.length}`);
  }
  if (x.length < 2) throw new InputError(`correlation needs at least 2 values, got ${x.length}`);
}

function checkFinite(values: ArrayLike<number>, name: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new InputError(`${name} has a non-finite value (${values[i]}) at index ${i}`);
    }
  }
}
