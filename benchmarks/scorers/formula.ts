import { parseFormula, printFormula } from '../../subjects/synthetic/index.ts';
import { pearson } from '../../tools/metrics/correlation.ts';
import type { Task } from '../suite.ts';
import { auroc } from './auroc.ts';
import { canonicalFormula, formulaValues } from './formula-values.ts';
import { heldOutData, scoringScenes } from './held-out.ts';
import { noAnswer, type ScoredAnswer, type ScoreOptions, type ScorerResult } from './types.ts';

/**
 * The formula scorer: the answer's formula is evaluated on the task's held-out scenes and compared
 * with the unit's true activations there.
 *
 * - r: Pearson correlation between the formula's value and the unit's activation per scene (over
 *   the scoring scenes: all held-out scenes of a set of up to 1,000, else every scene where the unit
 *   fires plus a seeded sample of the rest, 1,000 in all — held-out.ts);
 * - AUROC: how well the formula's value ranks the scenes where the unit fires (above halfway between
 *   its held-out minimum and maximum) above those where it does not.
 *
 * Headline: max(0, r). AUROC is reported beside it but is lenient: most held-out scenes contain none
 * of the unit's concepts, so a formula that is right about the concept and wrong about where, how
 * large or how many (`dog` for `left(dog)`) still ranks almost every scene correctly, while r drops.
 * Chance is 0 (a formula unrelated to the unit has r ≈ 0).
 */
export const FORMULA_CHANCE = 0;

export async function scoreFormula(
  task: Task,
  answer: ScoredAnswer | undefined,
  options: ScoreOptions,
): Promise<ScorerResult> {
  if (!answer) return noAnswer(FORMULA_CHANCE);
  if (answer.formula === undefined || answer.formula.trim() === '') {
    return {
      score: 0,
      chance: FORMULA_CHANCE,
      detail: 'the answer gives no formula, so it cannot be evaluated',
    };
  }
  let parsed;
  try {
    parsed = parseFormula(answer.formula);
  } catch (error) {
    return {
      score: 0,
      chance: FORMULA_CHANCE,
      detail: `the formula does not parse: ${(error as Error).message}`,
    };
  }
  const { formula, unknown } = canonicalFormula(parsed);
  const data = await heldOutData(task, options.cacheDir);
  const scenes = scoringScenes(data);
  const values = formulaValues(formula, data.set, data.grid, scenes);
  const truth = scenes.map((i) => data.truth[i] ?? 0);
  const r = pearson(values, truth);
  const firing = truth.map((value) => value > data.threshold);
  const positives = firing.filter(Boolean).length;
  const area = auroc(values, firing);
  const notes = [
    `r ${r.toFixed(3)}`,
    `AUROC ${Number.isNaN(area) ? 'n/a' : area.toFixed(3)} (unit fires on ${positives} of ${scenes.length} ` +
      `scenes${scenes.length < data.set.n ? `, sampled from ${data.set.n} held-out` : ' held out'})`,
    `formula ${printFormula(formula)}`,
  ];
  if (unknown.length > 0) notes.push(`not in the vocabulary, never true: ${unknown.join(', ')}`);
  return {
    score: Math.max(0, r),
    chance: FORMULA_CHANCE,
    detail: notes.join('; '),
    metrics: { r, ...(Number.isNaN(area) ? {} : { auroc: area }), positives, scenes: scenes.length },
  };
}
