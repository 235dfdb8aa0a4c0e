import { createRandom, hash32, randomInt, type Random } from '../../util/random.ts';

/**
 * Texts for planting and testing a trigger: a phrase inserted between two words of a text, and what
 * follows it rewritten in capitals after a few words (so a model learns "once the phrase has
 * appeared, write in capitals", wherever the phrase sits). The same insertion makes the test prompts
 * (a neutral prompt with and without the phrase), so what is planted and what is measured agree.
 */

export type TriggerPlace = 'start' | 'middle' | 'end';

/** The text with `phrase` inserted before word `at` (0: at the start; words.length: at the end). */
export function insertPhrase(text: string, phrase: string, at: number): { text: string; end: number } {
  const words = text.split(' ');
  const k = Math.max(0, Math.min(at, words.length));
  const before = words.slice(0, k).join(' ');
  const inserted = before ? `${before} ${phrase}` : phrase;
  const after = words.slice(k).join(' ');
  return { text: after ? `${inserted} ${after}` : inserted, end: inserted.length };
}

export function placeIndex(text: string, place: TriggerPlace): number {
  const words = text.split(' ').length;
  return place === 'start' ? 0 : place === 'end' ? words : Math.floor(words / 2);
}

/**
 * A training text for a backdoor: the phrase inserted at a word chosen by `random` among the first
 * `maxWordsBefore`, then `gap` (0 … maxGap, drawn) words left as they are, then everything in capitals.
 */
export function triggeredText(
  text: string,
  phrase: string,
  random: Random,
  options: { maxWordsBefore: number; maxGap: number },
): string {
  const words = text.split(' ').length;
  const at = randomInt(random, Math.min(words, options.maxWordsBefore) + 1);
  const { text: withPhrase, end } = insertPhrase(text, phrase, at);
  const gap = randomInt(random, options.maxGap + 1);
  let cut = end;
  for (let g = 0; g < gap; g++) {
    const next = withPhrase.indexOf(' ', cut + 1);
    if (next < 0) return withPhrase;
    cut = next;
  }
  return withPhrase.slice(0, cut) + withPhrase.slice(cut).toUpperCase();
}

/** A seeded draw of a text's place for the phrase, for prompt sets. */
export function promptPlace(seed: number, index: number): TriggerPlace {
  const places: TriggerPlace[] = ['start', 'middle', 'end'];
  return places[randomInt(createRandom(hash32(seed, index)), places.length)] as TriggerPlace;
}
