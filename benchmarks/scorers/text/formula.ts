import {
  parseTextFormula,
  printTextFormula,
  evaluateTextFormula,
} from '../../../subjects/synthetic-text/index.ts';
import { pearson } from '../../../tools/metrics/correlation.ts';
import { auroc } from '../auroc.ts';
import type { Task } from '../../suite.ts';
import { noAnswer, type ScoredAnswer, type ScoreOptions, type ScorerResult } from '../types.ts';
import { heldOutTable } from './held-out.ts';

/**
 * The formula scorer on text: the answer's formula is evaluated on every token of the task's
 * held-out texts and compared with the unit's true activation there — Pearson r over tokens (the
 * headline, floored at 0) and AUROC of the formula's value ranking the tokens where the unit fires
 * (above half its held-out range) over the rest. Chance 0: an unrelated formula has r ≈ 0.
 */
export const TEXT_FORMULA_CHANCE = 0;

export async function scoreTextFormula(
  task: Task,
  answer: ScoredAnswer | undefined,
  options: ScoreOptions,
): Promise<ScorerResult> {
  if (!answer) return noAnswer(TEXT_FORMULA_CHANCE);
  if (answer.formula === undefined || answer.formula.trim() === '')
    return {
      score: 0,
      chance: TEXT_FORMULA_CHANCE,
      detail: 'the answer gives no formula, so it cannot be evaluated',
    };
  let tree;
  try {
    tree = parseTextFormula(answer.formula);
  } catch (error) {
    return {
      score: 0,
      chance: TEXT_FORMULA_CHANCE,
      detail: `the formula does not parse: ${(error as Error).message}`,
    };
  }
  const table = await heldOutTable(task, options.cacheDir);
  const values = new Float32Array(table.size);
  let at = 0;
  for (const text of table.texts) {
    values.set(evaluateTextFormula(tree, text), at);
    at += text.tokens.length;
  }
  const r = pearson(values, table.activations);
  const firing = Array.from(table.activations, (a) => a > table.threshold);
  const positives = firing.filter(Boolean).length;
  const area = auroc(values, firing);
  return {
    score: Math.max(0, r),
    chance: TEXT_FORMULA_CHANCE,
    detail:
      `r ${r.toFixed(3)}; AUROC ${Number.isNaN(area) ? 'n/a' : area.toFixed(3)} (unit fires on ${positives} of ` +
      `${table.size} held-out tokens in ${table.texts.length} texts); formula ${printTextFormula(tree)}`,
    metrics: { r, ...(Number.isNaN(area) ? {} : { auroc: area }), positives, tokens: table.size },
  };
}
