import type { Reliance, Task } from '../suite.ts';
import { ANNOTATED_CONCEPTS } from '../../stimuli/datasets/annotated-concepts.ts';
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
 *
 * An answer that states what the model relies on in words ("Yes: it relies on the square, a spurious
 * feature"; "No: it does not rely on the square; it relies on the garment") is read for that claim
 * first: the first non-negated "relies on X" names the feature claimed (dataset annotations such as the
 * garment and the square are read through ANNOTATED_CONCEPTS), and a verdict that contradicts the truth
 * scores 0. Only an answer with no such claim falls back to the concepts it mentions.
 */

/** Whether the answer says the model relies on a spurious feature; undefined when it says neither. */
export function answerVerdict(text: string): boolean | undefined {
  const t = text.toLowerCase();
  if (/^\s*no\b/.test(t)) return false;
  // A negated verb of reliance, or a negated "spurious": "does not rely", "isn't biased", "nothing spurious".
  if (
    /\b(?:does not|doesn't|do not|don't|did not|didn't|is not|isn't|never)\s+(?:\w+\s+){0,2}(?:rel(?:y|ies|ying)|depend|biased|use)/.test(
      t,
    ) ||
    /\b(?:not|nothing|anything) (?:a |an |any )?spurious\b/.test(t)
  )
    return false;
  if (/\bno (?:evidence of (?:a )?)?spurious\b/.test(t)) return false;
  if (/^\s*yes\b/.test(t)) return true;
  if (
    /\bspurious (?:feature|cue|correlation|shortcut)\b|\bshortcut\b|\bbiased (?:toward|towards|by)\b/.test(t)
  )
    return true;
  return undefined;
}

function conceptOf(phrase: string, vocabulary: Record<string, readonly string[]>): string | undefined {
  let best: { concept: string; at: number } | undefined;
  for (const [concept, names] of Object.entries(vocabulary)) {
    for (const name of names) {
      const at = phrase.search(new RegExp(`\\b${name}\\b`));
      if (at >= 0 && (best === undefined || at < best.at)) best = { concept, at };
    }
  }
  return best?.concept;
}

/**
 * The concept the answer says is relied on: the first non-negated "relies on X" (or "biased toward X"),
 * X read through `vocabulary` (concept → the words for it; default the dataset annotations).
 */
export function answerFeature(
  text: string,
  vocabulary: Record<string, readonly string[]> = ANNOTATED_CONCEPTS,
): string | undefined {
  const t = text.toLowerCase();
  const pattern =
    /\b(?:rel(?:y|ies|ying)|depends?|depending|biased)\s+(?:\w+ly\s+)?(?:on|upon|toward|towards)\s+([^.;:,()]{1,60})/g;
  for (const match of t.matchAll(pattern)) {
    const before = t.slice(Math.max(0, (match.index ?? 0) - 20), match.index ?? 0);
    if (/\b(?:not|n't|never)\s+(?:\w+\s+)?$/.test(before)) continue;
    const concept = conceptOf(match[1] ?? '', vocabulary);
    if (concept) return concept;
  }
  return undefined;
}

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

/** The score of an answer that claims in words what the model relies on; undefined when it claims nothing. */
function claimedReliance(truth: Reliance, text: string): { score: number; detail: string } | undefined {
  const vocabulary = {
    ...ANNOTATED_CONCEPTS,
    [truth.target]: ANNOTATED_CONCEPTS[truth.target] ?? [truth.target],
    [truth.feature]: ANNOTATED_CONCEPTS[truth.feature] ?? [truth.feature],
  };
  const claimed = answerFeature(text, vocabulary);
  const verdict = answerVerdict(text);
  if (claimed === undefined && verdict === undefined) return undefined;
  if (verdict !== undefined && verdict !== truth.relies)
    return {
      score: 0,
      detail: `says the model ${verdict ? 'relies' : 'does not rely'} on a spurious feature; it ${truth.relies ? 'does' : 'does not'}`,
    };
  if (claimed === undefined) return undefined;
  const right = truth.relies ? truth.feature : truth.target;
  return claimed === right
    ? { score: 1, detail: `says it relies on the ${claimed}` }
    : { score: 0, detail: `says it relies on the ${claimed}, not the ${right}` };
}

export function scoreReliance(task: Task, answer: ScoredAnswer | undefined): ScorerResult {
  const truth = task.truth.reliance;
  if (!truth) return { score: 0, chance: 0, detail: 'the task has no truth.reliance' };
  const chance = relianceChance(truth);
  if (!answer) return noAnswer(chance);
  const claim = claimedReliance(truth, answer.description);
  if (claim) return { ...claim, chance, metrics: { claimed: 1 } };
  const mentioned = extractMentions(answer.description, answer.formula);
  const { score, detail } = relianceScore(truth, mentioned, negated(answer.formula));
  return { score, chance, detail, metrics: { mentioned: mentioned.length, claimed: 0 } };
}
