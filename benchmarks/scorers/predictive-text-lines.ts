import { itemAspect } from '../../stimuli/phrase-layout.ts';
import type { EffectSpec, SceneSpec } from '../../stimuli/spec.ts';
import { conceptsOfKind, getConcept, isA, TEXT_CONCEPT_NAME, WORD_PREFIX } from '../../stimuli/vocabulary.ts';
import { createRandom, hash32, pick, type Random } from '../../util/random.ts';
import type { Conditions } from './conditions.ts';
import { CHAR_PREFIX, ORIENTATION_PREFIX } from './mentions.ts';
import { PREDICTIVE_WORDS } from './predictive-scenes.ts';

/**
 * Predictive scenes for text-line subjects (the OCR models): one line with one word, drawn as the
 * description says — the word holds what it names (a letter, a word), in the colour, on the background,
 * at the size, position and orientation it states. The neutral line breaks exactly one of those
 * stated factors per trial (round robin), keeping the rest: a word without any named letter, another
 * colour, another background, the other size, the other side, the other orientation. Object sprites
 * are never put on a text line (the models never read one; a named object is left out and reported),
 * and neutral words never contain a named letter or word.
 */

/** Item size (word height as a fraction of the line) per size condition; the probe set draws 0.45–0.8. */
export const LINE_SIZES = { small: 0.4, medium: 0.6, large: 0.85 } as const;

export interface TextLine {
  /** The word drawn; empty for a line with no text (the neutral line of "any text"). */
  word: string;
  size: number;
  position: 'left' | 'centre' | 'right';
  colour: string;
  background: string;
  upsideDown: boolean;
}

export interface TextLinePlan {
  phrase: string;
  effects: EffectSpec[];
  line: TextLine;
}

export interface TextLinePair {
  predicted: TextLinePlan;
  neutral: TextLinePlan;
  /** The stated factor the neutral line breaks. */
  broken: Factor;
}

export type Factor = 'content' | 'colour' | 'background' | 'size' | 'position' | 'orientation';

export interface TextLineDrivers {
  chars: string[];
  words: string[];
  anyText: boolean;
  colour?: string;
  background?: string;
  orientation?: 'upright' | 'upside-down';
  /** Named things a text line cannot show (objects, shapes): reported, not drawn. */
  undrawable: string[];
}

const COLOURS = conceptsOfKind('colour');
const ROTATE_180: EffectSpec = { kind: 'rotate', degrees: 180 };

/**
 * `absent`: concepts the answer says must be missing (under a NOT in its formula); a description
 * repeats them in words ("only when there is no road"), and drawing them would test the opposite.
 */
export function textLineDrivers(
  mentions: readonly string[],
  conditions: Conditions,
  absent: readonly string[] = [],
): TextLineDrivers {
  const drivers: TextLineDrivers = { chars: [], words: [], anyText: false, undrawable: [] };
  const orientations = new Set<string>();
  for (const key of mentions.filter((m) => !absent.includes(m))) {
    if (key.startsWith(CHAR_PREFIX)) drivers.chars.push(key.slice(CHAR_PREFIX.length).toLowerCase());
    else if (key.startsWith(WORD_PREFIX)) drivers.words.push(key.slice(WORD_PREFIX.length).toLowerCase());
    else if (key.startsWith(ORIENTATION_PREFIX)) orientations.add(key.slice(ORIENTATION_PREFIX.length));
    else if (key === TEXT_CONCEPT_NAME) drivers.anyText = true;
    else {
      const concept = getConcept(key);
      if (!concept) continue;
      if (concept.kind === 'colour' && key !== conditions.background) drivers.colour ??= key;
      else if (concept.roles.includes('background') && concept.kind !== 'object') drivers.background ??= key;
      else if (concept.kind !== 'category' || !isA(TEXT_CONCEPT_NAME, key)) drivers.undrawable.push(key);
    }
  }
  if (conditions.background !== undefined) drivers.background = conditions.background;
  if (orientations.size === 1) drivers.orientation = [...orientations][0] as 'upright' | 'upside-down';
  return drivers;
}

/** The stated factors, in the order trials break them. */
function statedFactors(drivers: TextLineDrivers, conditions: Conditions): Factor[] {
  const factors: Factor[] = [];
  if (drivers.chars.length + drivers.words.length > 0 || drivers.anyText) factors.push('content');
  if (drivers.orientation !== undefined) factors.push('orientation');
  if (conditions.size !== undefined) factors.push('size');
  if (conditions.position !== undefined) factors.push('position');
  if (drivers.colour !== undefined) factors.push('colour');
  if (drivers.background !== undefined) factors.push('background');
  return factors;
}

/** `trials` seeded pairs of lines; empty when the description states nothing a text line can show. */
export function planTextLinePairs(
  drivers: TextLineDrivers,
  conditions: Conditions,
  options: { seed: number; trials: number },
): TextLinePair[] {
  const factors = statedFactors(drivers, conditions);
  if (factors.length === 0) return [];
  const pairs: TextLinePair[] = [];
  for (let t = 0; t < options.trials; t++) {
    const random = createRandom(hash32(options.seed, t, 0x746c7072));
    const broken = factors[t % factors.length]!;
    const predicted = predictedLine(drivers, conditions, random);
    const neutral = breakFactor(predicted, broken, drivers, random);
    pairs.push({ predicted: plan(predicted), neutral: plan(neutral), broken });
  }
  return pairs;
}

function predictedLine(drivers: TextLineDrivers, conditions: Conditions, random: Random): TextLine {
  const colour = drivers.colour ?? 'black';
  let background = drivers.background ?? 'white';
  // White text on the default white line would be invisible: the stated colour wins.
  if (background === colour && drivers.background === undefined)
    background = colour === 'black' ? 'white' : 'black';
  return {
    word: drivers.words[0] ?? wordWithMost(drivers.chars, random),
    size: LINE_SIZES[conditions.size ?? 'medium'],
    position: conditions.position ?? 'centre',
    colour,
    background,
    upsideDown: drivers.orientation === 'upside-down',
  };
}

/** A word holding as many of the named letters as any word does (all of them when one can). */
function wordWithMost(chars: readonly string[], random: Random): string {
  const held = (word: string) => chars.filter((c) => word.includes(c)).length;
  const best = Math.max(...PREDICTIVE_WORDS.map(held));
  return pick(
    random,
    PREDICTIVE_WORDS.filter((word) => held(word) === best),
  );
}

function breakFactor(line: TextLine, factor: Factor, drivers: TextLineDrivers, random: Random): TextLine {
  switch (factor) {
    case 'content': {
      if (drivers.chars.length + drivers.words.length === 0) return { ...line, word: '' };
      const named = [...drivers.chars, ...drivers.words];
      const clean = PREDICTIVE_WORDS.filter((w) => !named.some((n) => w.includes(n) || n.includes(w)));
      return { ...line, word: clean.length > 0 ? pick(random, clean) : '' };
    }
    case 'orientation':
      return { ...line, upsideDown: !line.upsideDown };
    case 'size':
      return { ...line, size: line.size >= LINE_SIZES.medium ? LINE_SIZES.small : LINE_SIZES.large };
    case 'position':
      return { ...line, position: line.position === 'left' ? 'right' : 'left' };
    case 'colour':
      return { ...line, colour: pick(random, otherColours(line.colour, line.background)) };
    case 'background':
      return { ...line, background: pick(random, otherColours(line.background, line.colour)) };
  }
}

function otherColours(...avoid: string[]): string[] {
  const options = COLOURS.filter((c) => !avoid.some((a) => a === c || isA(c, a) || isA(a, c)));
  return options.length > 0 ? options : ['gray'];
}

function plan(line: TextLine): TextLinePlan {
  const size = line.size === LINE_SIZES.large ? 'large ' : line.size === LINE_SIZES.small ? 'small ' : '';
  const what = line.word === '' ? 'no text' : `the ${size}${line.colour} word "${line.word}"`;
  const where = line.position === 'centre' ? '' : ` on the ${line.position}`;
  return {
    phrase: `${what}${where} on a plain ${line.background} background`,
    effects: line.upsideDown ? [ROTATE_180] : [],
    line,
  };
}

/** The scene spec of a line at the subject's input size (the word shrunk to fit the width). */
export function textLineScene(line: TextLine, width: number, height: number, seed: number): SceneSpec {
  const effects = line.upsideDown ? [ROTATE_180] : [];
  if (line.word === '') return { width, height, background: line.background, items: [], effects, seed };
  const aspect = itemAspect('word', line.word);
  const size = Math.min(line.size, (0.92 * width) / (height * aspect));
  const half = (size * height * aspect) / 2 / width;
  const x = line.position === 'left' ? 0.04 + half : line.position === 'right' ? 0.96 - half : 0.5;
  const item = {
    kind: 'word' as const,
    name: line.word,
    x: Math.min(1, Math.max(0, x)),
    y: 0.5,
    size,
    rotation: 0,
    flip: false,
    colour: line.colour,
  };
  return { width, height, background: line.background, items: [item], effects, seed };
}
