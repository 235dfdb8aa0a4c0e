import { editDistance } from '../../util/names.ts';

/** Up to `k` candidates close to `word` (a third of its length in edits, at least 2), nearest first. */
export function nearestNames(word: string, candidates: Iterable<string>, k = 3): string[] {
  const limit = Math.max(2, Math.floor(word.length / 3));
  return [...candidates]
    .map((name) => ({ name, distance: editDistance(word.toLowerCase(), name.toLowerCase()) }))
    .filter((c) => c.distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, k)
    .map((c) => c.name);
}

/** " (did you mean x or y?)" or "" — appended to error messages. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const near = nearestNames(word, candidates);
  return near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : '';
}
