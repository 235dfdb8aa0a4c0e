import type { Formula } from '../../subjects/synthetic/index.ts';
import type { ProbeSet } from '../../stimuli/probeset.ts';
import { formulaValues } from '../scorers/formula-values.ts';

/**
 * How many held-out scenes a task needs. The probe-set distribution draws each of 222 objects
 * uniformly, so a rare concept (a roof, a jigsaw piece) is in well under 1% of scenes; a task gets the
 * smallest held-out size on which its unit fires often enough for the formula and judge scorers to
 * have positives to rank and show. Larger sets cost more to score, so common units keep the smallest.
 */

export const HELD_OUT_SIZES = [1000, 2000, 4000] as const;
export const MIN_HELD_OUT_POSITIVES = 8;

/** Scenes on which a (noise-free) rule fires, by the scorers' rule: above half its maximum there. */
export function firingCount(formula: Formula, set: ProbeSet, grid: number): number {
  const values = formulaValues(formula, set, grid);
  let max = 0;
  for (const value of values) max = Math.max(max, value);
  return max > 0 ? values.filter((value) => value > max / 2).length : 0;
}

/**
 * The smallest set (from `sets`, ascending in size, all of one seed) on which the rule fires at least
 * MIN_HELD_OUT_POSITIVES times, else the largest; with the count there.
 */
export function chooseHeldOutSize(
  formula: Formula,
  sets: readonly ProbeSet[],
  grid: number,
): { n: number; positives: number } {
  let chosen = { n: 0, positives: 0 };
  for (const set of sets) {
    chosen = { n: set.n, positives: firingCount(formula, set, grid) };
    if (chosen.positives >= MIN_HELD_OUT_POSITIVES) break;
  }
  return chosen;
}
