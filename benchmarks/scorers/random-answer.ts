import { allConceptNames, getConcept } from '../../stimuli/vocabulary.ts';
import { createRandom, hashString } from '../../util/random.ts';
import type { ScoredAnswer } from './types.ts';

/**
 * The random-description baseline (as OpenAI's and Delphi's explanation scorers report one): an
 * answer naming k concepts drawn from the whole vocabulary, seeded by the task id so every run of a
 * suite compares against the same baseline. Every scorer scores it as it scores the agent, and
 * reports print the two side by side with the chance floor.
 */

/**
 * What a random answer draws from: every canonical vocabulary concept that is not a category. A
 * category stands for all its members, and the roots ('colour', 'shape', 'texture', 'scenery') hold
 * whole kinds, so a "random" answer naming one described a large share of every scene and scored as
 * a near miss would on many units (docs/benchmarks.md, "Scorers as instruments"). A random
 * description names specific things, as a description of some other unit would.
 */
export const RANDOM_CONCEPT_POOL: readonly string[] = allConceptNames().filter(
  (name) => getConcept(name)?.kind !== 'category',
);

export const RANDOM_ANSWER_CONCEPTS = 5;

export function randomConcepts(taskId: string, k = RANDOM_ANSWER_CONCEPTS): string[] {
  const random = createRandom(hashString(`random-answer\n${taskId}`));
  const pool = [...RANDOM_CONCEPT_POOL];
  const chosen: string[] = [];
  while (chosen.length < Math.min(k, pool.length)) {
    const [concept] = pool.splice(Math.floor(random() * pool.length), 1);
    if (concept !== undefined) chosen.push(concept);
  }
  return chosen;
}

/** The baseline answer for a task: "Fires on a, b, c, d or e." with the formula `a OR b OR …`. */
export function randomAnswer(taskId: string, k = RANDOM_ANSWER_CONCEPTS): ScoredAnswer {
  const concepts = randomConcepts(taskId, k);
  const list =
    concepts.length > 1
      ? `${concepts.slice(0, -1).join(', ')} or ${concepts.at(-1) ?? ''}`
      : (concepts[0] ?? '');
  return { description: `Fires on ${list}.`, formula: concepts.join(' OR ') };
}
