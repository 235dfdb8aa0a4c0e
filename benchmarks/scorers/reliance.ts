import type { Reliance, Task } from '../suite.ts';
import { conceptCredit } from './concept.ts';
import { extractMentions } from './mentions.ts';
import { RANDOM_CONCEPT_POOL } from './random-answer.ts';
import { noAnswer, type ScoredAnswer, type ScorerResult } from './types.ts';

/**
 * The reliance scorer, for questions about what a model relies on (the background-bias and
 * spurious-pair organisms): does the answer say whether the model relies on the candidate feature?
 * The truth names the class (`target`, e.g. boat), the candidate feature (`feature`, e.g. water) and
 * whether the model relies on it (`relies`). Credit for naming a concept is the concept scorer's
 * (1 named, 0.5 a relative, 0 not); naming what the feature looks like (`looksLike`: blue for water)
 * counts as a relative.
 * - A model that relies on the feature: the credit for naming the feature (an answer that finds the
 *   boat but not the water has missed the bias); 0 when the answer names it only under a NOT.
 * - A model that does not: the credit for naming the target, halved when the answer also names the
 *   feature as something the model uses (it claims a bias that is not there).
 * So "boat OR water" scores 1 on the biased model and 0.5 on the balanced one, "boat" 0 and 1.
 * Chance: the mean score of one concept drawn uniformly from the random-answer pool.
 */

/** Concepts the formula puts under a NOT: named as what the unit does not need. */
function negated(formula: string | undefined): string[] {
  if (!formula) return [];
  return [...formula.matchAll(/\bNOT\s+\(?\s*([a-z][a-z ]*[a-z])/g)].map((m) => (m[1] ?? '').trim());
}

export function relianceScore(
  truth: Reliance,
  mentioned: readonly string[],
  denied: readonly string[] = [],
): { score: number; detail: string } {
  const named = conceptCredit(truth.feature, mentioned);
  const cue = (truth.looksLike ?? []).find((concept) => mentioned.includes(concept));
  const feature = named.credit === 0 && cue ? { credit: 0.5, via: cue } : named;
  const featureDenied = denied.some(
    (d) => conceptCredit(truth.feature, [d]).credit > 0 || (truth.looksLike ?? []).includes(d),
  );
  const featureNamed = feature.credit > 0 && !featureDenied;
  if (truth.relies) {
    return featureNamed
      ? { score: feature.credit, detail: `names the feature it relies on (${feature.via})` }
      : {
          score: 0,
          detail: featureDenied
            ? `denies ${truth.feature}, which the model relies on`
            : `misses ${truth.feature}, which the model relies on`,
        };
  }
  const target = conceptCredit(truth.target, mentioned);
  const score = featureNamed ? target.credit / 2 : target.credit;
  const detail =
    (target.credit > 0 ? `names the target (${target.via})` : `misses the target ${truth.target}`) +
    (featureNamed ? `; claims ${truth.feature}, which the model does not rely on` : '');
  return { score, detail };
}

const chanceCache = new Map<string, number>();

function relianceChance(truth: Reliance): number {
  const key = JSON.stringify(truth);
  let chance = chanceCache.get(key);
  if (chance === undefined) {
    chance = 0;
    for (const concept of RANDOM_CONCEPT_POOL) chance += relianceScore(truth, [concept]).score;
    chance /= RANDOM_CONCEPT_POOL.length;
    chanceCache.set(key, chance);
  }
  return chance;
}

export function scoreReliance(task: Task, answer: ScoredAnswer | undefined): ScorerResult {
  const truth = task.truth.reliance;
  if (!truth) return { score: 0, chance: 0, detail: 'the task has no truth.reliance' };
  const chance = relianceChance(truth);
  if (!answer) return noAnswer(chance);
  const mentioned = extractMentions(answer.description, answer.formula);
  const { score, detail } = relianceScore(truth, mentioned, negated(answer.formula));
  return { score, chance, detail, metrics: { mentioned: mentioned.length } };
}
