import { allConceptNames, getConcept, WORD_PREFIX } from '../../stimuli/vocabulary.ts';
import { createRandom, hashString, pick } from '../../util/random.ts';

/**
 * Concepts as the baselines answer with them: a vocabulary name, written as a description and as a
 * formula of the concept language.
 */

/** Every concept a scene can show (objects, shapes, colours, textures, backgrounds, text): categories
 * such as 'animal' are left out, as a random guess names a thing, not a class. In table order. */
export function drawableConcepts(): string[] {
  return allConceptNames().filter((name) => getConcept(name)?.kind !== 'category');
}

/** A concept drawn at random, the same for the same task id on every machine. */
export function randomConcept(taskId: string): string {
  return pick(createRandom(hashString(`random-baseline:${taskId}`)), drawableConcepts());
}

/** A concept as a formula: a bare name, or word("…") for the concept of a word's own text. */
export function conceptFormula(concept: string): string {
  if (concept.startsWith(WORD_PREFIX)) return `word(${JSON.stringify(concept.slice(WORD_PREFIX.length))})`;
  return concept;
}

/** A concept as a description. */
export function conceptDescription(concept: string): string {
  if (concept.startsWith(WORD_PREFIX)) return `the word "${concept.slice(WORD_PREFIX.length)}"`;
  return concept;
}
