import type { Half } from '../../../subjects/synthetic/index.ts';
import { parsePhrase, textureAdjective } from '../../../stimuli/phrase.ts';
import { getConcept, isA, membersOf, WORD_PREFIX } from '../../../stimuli/vocabulary.ts';

/**
 * How dissect draws a concept: as an item of a phrase ("a dog", "a red square", 'the word "stop"') or
 * as a background ("on grass", "in the sky"). Stimuli are phrases so the transcript reads as plain
 * English, and every phrase is checked with the phrase parser before it is sent, so a tool call never
 * fails on dissect's own wording.
 */

/** An item to draw: a noun (object or shape), or a word's text, with optional colour and texture. */
export interface Thing {
  kind: 'object' | 'shape' | 'word';
  name: string;
  colour?: string;
  texture?: string;
  half?: Half;
}

export interface Depiction {
  thing?: Thing;
  background?: string;
}

/** Objects that stand in for "something else": common, unrelated to most concepts, easy to see. */
const CONTROL_OBJECTS = ['ball', 'chair', 'key', 'book', 'umbrella', 'cake', 'kite', 'cactus'];
/** Backgrounds the positives vary over, so an exception (AND NOT grass) shows as a failure on one. */
export const NEUTRAL_BACKGROUNDS = ['white', 'grass', 'sand', 'sky'];
/** A word to draw when any text will do. */
const ANY_WORD = 'go';

/**
 * A depiction of a concept, or undefined when nothing can draw it. Categories draw a member, the
 * `pick`-th one (seeded by the caller), so `animal` may come out as a dog or a cat.
 */
export function depict(concept: string, pick = 0): Depiction | undefined {
  if (concept.startsWith(WORD_PREFIX))
    return { thing: { kind: 'word', name: concept.slice(WORD_PREFIX.length) } };
  if (concept === 'text') return { thing: { kind: 'word', name: ANY_WORD } };
  const info = getConcept(concept);
  if (!info) return undefined;
  switch (info.kind) {
    case 'object':
    case 'shape':
      return { thing: { kind: info.kind, name: concept } };
    case 'colour':
      return { thing: { kind: 'shape', name: 'square', colour: concept } };
    case 'texture':
      return info.roles.includes('background')
        ? { background: concept }
        : { thing: { kind: 'shape', name: 'square', texture: concept } };
    case 'background':
      return { background: concept };
    case 'word':
      return { thing: { kind: 'word', name: ANY_WORD } };
    case 'category': {
      for (const role of ['object', 'shape', 'colour', 'texture', 'background'] as const) {
        const members = membersOf(concept, role);
        if (members.length > 0) return depict(members[pick % members.length] as string);
      }
      return undefined;
    }
  }
}

/** A control item unrelated to any of `avoid` (neither is an instance of the other). */
export function controlObject(avoid: readonly string[], skip = 0): Thing {
  const unrelated = CONTROL_OBJECTS.filter((name) => !avoid.some((a) => isA(name, a) || isA(a, name)));
  const name = unrelated[skip % Math.max(1, unrelated.length)] ?? 'ball';
  return { kind: 'object', name };
}

/** Whether drawing `thing` shows `concept` (by name, category, colour, texture or word). */
export function thingShows(thing: Thing, concept: string): boolean {
  if (thing.kind === 'word') return concept === 'text' || concept === `${WORD_PREFIX}${thing.name}`;
  return (
    isA(thing.name, concept) ||
    (thing.colour !== undefined && isA(thing.colour, concept)) ||
    (thing.texture !== undefined && isA(thing.texture, concept))
  );
}

function article(next: string): string {
  return /^[aeiou]/.test(next) ? 'an' : 'a';
}

const HALF_WORDS: Record<Half, string> = {
  left: 'on the left',
  right: 'on the right',
  top: 'at the top',
  bottom: 'at the bottom',
};

/** The noun phrase of a thing: "a red striped square on the left", 'the word "stop"'. */
export function thingPhrase(thing: Thing): string {
  const adjectives = [thing.colour ?? '', thing.texture ? textureAdjective(thing.texture) : ''].filter(
    Boolean,
  );
  const body =
    thing.kind === 'word'
      ? [...adjectives, `word "${thing.name}"`].join(' ')
      : [...adjectives, thing.name].join(' ');
  const determiner = thing.kind === 'word' ? 'the' : article(body);
  return [determiner, body, thing.half ? HALF_WORDS[thing.half] : ''].filter(Boolean).join(' ');
}

/** The background phrase as the phrase grammar reads it: "on grass", "in the sky", "on a plain white background". */
export function backgroundPhrase(background: string): string {
  const info = getConcept(background);
  if (info?.kind === 'colour') return `on a plain ${background} background`;
  if (background === 'sky') return 'in the sky';
  if (info?.kind === 'background') return `on ${article(background)} ${background}`;
  return `on ${background}`;
}

/** A whole scene phrase, or undefined when the phrase grammar would not read it. */
export function scenePhrase(things: readonly Thing[], background: string): string | undefined {
  if (things.length === 0) return undefined;
  const parts = things.map(thingPhrase);
  const items = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  const phrase = `${items} ${backgroundPhrase(background)}`;
  try {
    parsePhrase(phrase);
    return phrase;
  } catch {
    return undefined;
  }
}
