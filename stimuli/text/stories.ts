import { createRandom, randomInt, type Random } from '../../util/random.ts';
import { categoryWords, type LexicalCategory } from './lexicon.ts';

/**
 * Seeded simple stories: named characters, colours, animals, numbers, places and feelings, with
 * quotes, brackets and repeated names. Each slot the generator fills is recorded with its category,
 * so a story's lexical labels are known by construction (the tests check the annotator agrees).
 */

export interface StorySlot {
  word: string;
  category: LexicalCategory;
  /** Character offset of the word in the story. */
  start: number;
}

export interface Story {
  text: string;
  slots: StorySlot[];
}

/** Capitalised lexicon entries for names and places; plain ones for the rest. */
const CAPITALISED: ReadonlySet<LexicalCategory> = new Set(['person', 'place']);

const SENTENCES = [
  '{person} lived in {place} with a {colour} {animal}.',
  'One {time}, {person} found {number} {colour} {food} near the river.',
  '"Look at the {animal}!" said {person}, who was {emotion}.',
  'The {animal} (a very {colour} one) ran to {place}.',
  '{person} and {person} counted {number} {animal}s in the garden.',
  '{person} told the {family} that the {animal} was {emotion}.',
  'In {place}, {person} ate {food} and felt {emotion}.',
  'Her {family} said, "The {colour} {animal} is {emotion} today."',
  '{person} raised a {body} and waved at the {animal} (which was {colour}).',
  'Every {time} the {number} {animal}s walked to {place} (and back (slowly)).',
];

export function generateStory(seed: number, sentences = 4): Story {
  const random = createRandom(seed);
  const cast = pick(random, categoryWords('person'), 2);
  let text = '';
  const slots: StorySlot[] = [];
  for (let s = 0; s < sentences; s++) {
    const template = SENTENCES[randomInt(random, SENTENCES.length)]!;
    if (text) text += ' ';
    let castIndex = 0;
    const parts = template.split(/(\{[a-z]+\})/);
    for (const part of parts) {
      const slot = /^\{([a-z]+)\}$/.exec(part)?.[1] as LexicalCategory | undefined;
      if (!slot) {
        text += part;
        continue;
      }
      // Characters recur across sentences (so names repeat), other slots are drawn afresh.
      const raw =
        slot === 'person' ? cast[castIndex++ % cast.length]! : pick(random, categoryWords(slot), 1)[0]!;
      const word = CAPITALISED.has(slot) ? capitalise(raw) : raw;
      const atStart = text === '' || /[.!?]\s*"?$/.test(text);
      const shown = atStart ? capitalise(word) : word;
      slots.push({ word: shown, category: slot, start: text.length });
      text += shown;
    }
  }
  return { text, slots };
}

function pick(random: Random, words: readonly string[], k: number): string[] {
  const chosen: string[] = [];
  while (chosen.length < k) {
    const word = words[randomInt(random, words.length)]!;
    if (!chosen.includes(word) || chosen.length >= words.length) chosen.push(word);
  }
  return chosen;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
