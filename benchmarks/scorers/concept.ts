import { ancestors, getConcept, isA } from '../../stimuli/vocabulary.ts';
import type { Task } from '../suite.ts';
import { answerConditionKeys, formulaConditionKeys } from './condition-keys.ts';
import { CHAR_PREFIX, extractMentions, ORIENTATION_PREFIX } from './mentions.ts';
import { RANDOM_CONCEPT_POOL } from './random-answer.ts';
import { noAnswer, type ScoredAnswer, type ScorerResult } from './types.ts';

/**
 * The concept-match scorer: do the answer's description and formula name what the unit detects?
 * Each truth concept earns 1 when named (synonyms and plurals count: 'hands' names hand), 0.5 when
 * only a relative is named (a parent such as 'animal' for dog, a member such as 'poodle' for dog, the
 * other case of a character, 'text' for a particular word), 0.25 when only a sibling is (a cat for a
 * dog: the right family, the wrong member), else 0; the score is their mean. So a
 * unit on one concept scores 1 / 0.5 / 0 (exact / parent / wrong), and one on two concepts scores 0.5
 * when one of them is named. Naming extra concepts costs nothing here; the formula and predictive
 * scorers are the ones that punish a description for being too broad.
 *
 * The conditions of the truth's formula (a half, a size, a relation, a count: condition-keys.ts) count
 * as items beside its concepts, each earning 1 when the answer states the same condition in words or
 * in its formula, else 0. So `left(dog)` scores 1 for "dogs in the left half", 0.5 for "dogs" and 0.5
 * for "dogs in the right half": a scorer of concepts that cannot see where is blind to half the rule.
 * Chance: the mean score of naming one concept drawn uniformly from the random-answer pool.
 */

export type Credit = 1 | 0.5 | 0.25 | 0;

/** The tops of the hierarchy: two concepts under only these are of one kind, not of one family. */
export const KIND_ROOTS: ReadonlySet<string> = new Set([
  'object', 'thing', 'colour', 'shape', 'texture', 'scenery', 'background',
]); // prettier-ignore

/** Two concepts that share a parent below the roots (cat and dog under 'mammal'; teal and cyan). */
export function areSiblings(a: string, b: string): boolean {
  if (a === b) return false;
  const family = new Set(ancestors(a).filter((c) => !KIND_ROOTS.has(c)));
  return ancestors(b).some((c) => family.has(c));
}

/** How much a list of mentioned keys earns for one truth key, and which mention earned it. */
export function conceptCredit(truth: string, mentioned: readonly string[]): { credit: Credit; via?: string } {
  if (mentioned.includes(truth)) return { credit: 1, via: truth };
  if (truth.startsWith(CHAR_PREFIX)) {
    const other = mentioned.find((m) => m.startsWith(CHAR_PREFIX) && m.toLowerCase() === truth.toLowerCase());
    return other ? { credit: 0.5, via: other } : { credit: 0 };
  }
  if (truth.startsWith(ORIENTATION_PREFIX) || getConcept(truth) === undefined) return { credit: 0 };
  const relative = mentioned.find((m) => getConcept(m) !== undefined && (isA(truth, m) || isA(m, truth)));
  if (relative) return { credit: 0.5, via: relative };
  // A sibling (a cat for a dog, cyan for teal) is the wrong thing of the right family: a quarter.
  const sibling = mentioned.find((m) => getConcept(m) !== undefined && areSiblings(truth, m));
  return sibling ? { credit: 0.25, via: sibling } : { credit: 0 };
}

/** Mean credit over the truth's concepts for the given mentions, with a line saying which earned what. */
export function matchConcepts(
  truth: readonly string[],
  mentioned: readonly string[],
): { score: number; detail: string } {
  const exact: string[] = [];
  const partial: string[] = [];
  const missing: string[] = [];
  let total = 0;
  for (const key of truth) {
    const { credit, via } = conceptCredit(key, mentioned);
    total += credit;
    if (credit === 1) exact.push(key);
    else if (credit > 0) partial.push(`${via} for ${key}`);
    else missing.push(key);
  }
  const parts = [
    exact.length > 0 ? `named ${exact.join(', ')}` : '',
    partial.length > 0 ? `partly (relative) ${partial.join(', ')}` : '',
    missing.length > 0 ? `missing ${missing.join(', ')}` : '',
  ].filter(Boolean);
  return { score: truth.length > 0 ? total / truth.length : 0, detail: parts.join('; ') };
}

const chanceCache = new Map<string, number>();

/** Expected score of naming one concept drawn uniformly from the random-answer pool. */
export function conceptChance(truth: readonly string[]): number {
  const key = truth.join('\n');
  let chance = chanceCache.get(key);
  if (chance === undefined) {
    chance = 0;
    for (const concept of RANDOM_CONCEPT_POOL) chance += matchConcepts(truth, [concept]).score;
    chance /= RANDOM_CONCEPT_POOL.length;
    chanceCache.set(key, chance);
  }
  return chance;
}

export function scoreConcepts(task: Task, answer: ScoredAnswer | undefined): ScorerResult {
  const truth = [...(task.truth.concepts ?? []), ...formulaConditionKeys(task.truth.formula)];
  const chance = conceptChance(truth);
  if (!answer) return noAnswer(chance);
  const mentioned = [
    ...extractMentions(answer.description, answer.formula),
    ...answerConditionKeys(answer.description, answer.formula),
  ];
  const { score, detail } = matchConcepts(truth, mentioned);
  const named =
    mentioned.length > 0
      ? mentioned.slice(0, 12).join(', ') + (mentioned.length > 12 ? ', …' : '')
      : 'nothing';
  return {
    score,
    chance,
    detail: `${detail} (the answer names: ${named})`,
    metrics: { mentioned: mentioned.length },
  };
}
