import { backgroundRegionConcepts } from '../../stimuli/backgrounds.ts';
import { textureAdjective } from '../../stimuli/phrase.ts';
import { PROBE_WORDS } from '../../stimuli/probeset-specs.ts';
import type { EffectSpec } from '../../stimuli/spec.ts';
import {
  ancestors,
  conceptsOfKind,
  getConcept,
  isA,
  membersOf,
  TEXT_CONCEPT_NAME,
  WORD_PREFIX,
} from '../../stimuli/vocabulary.ts';
import { createRandom, hash32, pick, type Random } from '../../util/random.ts';
import { CHAR_PREFIX, ORIENTATION_PREFIX } from './mentions.ts';

/**
 * The scenes the predictive scorer shows a unit: for each trial, a scene the description predicts
 * will drive the unit and a paired neutral scene that differs only in what the description names.
 * Both are phrases (stimuli/phrase.ts), so a report can print exactly what was drawn:
 *
 *   "fires on dogs"            a dog on sand          ↔  a kite on sand
 *   "red things"               a red star             ↔  a teal star
 *   "the letter 'e'"           the word "hello"       ↔  the word "park"
 *   "upside-down text"         (text) rotated 180°    ↔  the same text upright
 *
 * At most MAX_DRIVERS of the named things are drawn (the first named), so listing everything in the
 * vocabulary does not put everything in the scene. When an orientation is named, the claim is about
 * orientation: the neutral scene keeps the content and takes the other orientation.
 */

export const MAX_DRIVERS = 3;

/** Words to draw: the probe-set words (what text units were seen on), then more letters and digits. */
export const PREDICTIVE_WORDS: readonly string[] = [
  ...PROBE_WORDS,
  'quiz', 'jump', 'wax', 'zoo', 'joy', 'van', 'milk', 'gift', 'lamp', 'jam', 'fox', 'queen', 'vivid',
  'kayak', 'lucky', 'cozy', 'jazz', 'world', 'river', 'garden', '2024', '365', '1987', '42', '100',
  '578', '6', '13',
]; // prettier-ignore

export interface ScenePlan {
  phrase: string;
  effects: EffectSpec[];
}

export interface ScenePair {
  predicted: ScenePlan;
  neutral: ScenePlan;
}

const OBJECTS = conceptsOfKind('object');
const SHAPES = conceptsOfKind('shape');
const COLOURS = conceptsOfKind('colour');
const TEXTURES = conceptsOfKind('texture');
const SCENE_BACKGROUNDS = ['sky', 'grass', 'sand', 'road', 'wood', 'snow', 'water', 'brick wall', 'beach'];
const PLAIN_BACKGROUNDS = ['white', 'white', 'gray', 'beige'];
const ROTATE_180: EffectSpec = { kind: 'rotate', degrees: 180 };

/** What the drawable part of a description is: things to draw, and an orientation if one is named. */
export interface Drivers {
  things: string[];
  orientation?: 'upside-down' | 'upright';
}

export function driversOf(mentions: readonly string[]): Drivers {
  const drawable = mentions.filter(
    (key) => key.startsWith(CHAR_PREFIX) || key.startsWith(WORD_PREFIX) || getConcept(key) !== undefined,
  );
  // A named word or letter already is text; drawing a second, random word would blur the contrast.
  const hasWords = drawable.some((key) => key.startsWith(CHAR_PREFIX) || key.startsWith(WORD_PREFIX));
  const things = drawable.filter((key) => !(hasWords && key === TEXT_CONCEPT_NAME)).slice(0, MAX_DRIVERS);
  const orientations = mentions.filter((key) => key.startsWith(ORIENTATION_PREFIX));
  const drivers: Drivers = { things };
  if (orientations.length === 1) {
    drivers.orientation = orientations[0] === `${ORIENTATION_PREFIX}upright` ? 'upright' : 'upside-down';
  }
  return drivers;
}

/** Whether two concepts are the same or one lies under the other. */
function related(a: string, b: string): boolean {
  return a === b || isA(a, b) || isA(b, a);
}

function article(words: string): string {
  return /^[aeiou]/i.test(words) ? 'an' : 'a';
}

function withArticle(words: string): string {
  return `${article(words)} ${words}`;
}

function quote(text: string): string {
  return text.includes('"') ? `'${text}'` : `"${text}"`;
}

interface Part {
  /** Phrase for the item; empty when the part is the background. */
  item: string;
  background?: string;
  /** Colours drawn, so the background never hides them. */
  colours: string[];
}

/** One trial's generator: everything drawn at random avoids the drivers and their relatives. */
class TrialPlanner {
  constructor(
    private readonly random: Random,
    private readonly avoid: readonly string[],
    private readonly textLines: boolean,
  ) {}

  private free(pool: readonly string[], extra: readonly string[] = []): string {
    const options = this.unrelated(pool, extra);
    return pick(this.random, options.length > 0 ? options : pool);
  }

  private unrelated(pool: readonly string[], extra: readonly string[] = []): string[] {
    return pool.filter(
      (name) =>
        ![...this.avoid, ...extra].some((other) => getConcept(other) !== undefined && related(name, other)),
    );
  }

  private word(test: (word: string) => boolean): string {
    const options = PREDICTIVE_WORDS.filter(test);
    return pick(this.random, options.length > 0 ? options : PREDICTIVE_WORDS);
  }

  /** A drawable stand-in for a category: one of its members, of whatever kind it has members of. */
  private member(category: string): string {
    for (const role of ['object', 'shape', 'colour', 'texture', 'background'] as const) {
      const members = membersOf(category, role);
      if (members.length > 0) return pick(this.random, members);
    }
    return category;
  }

  /** The part drawing `key` (predicted) and the part drawing something else in its place (neutral). */
  pair(key: string, filler: string): { predicted: Part; neutral: Part } {
    if (key.startsWith(CHAR_PREFIX) || key.startsWith(WORD_PREFIX)) {
      const isChar = key.startsWith(CHAR_PREFIX);
      const text = key.slice((isChar ? CHAR_PREFIX : WORD_PREFIX).length);
      const needle = text.toLowerCase();
      const shown = isChar ? this.word((w) => w.includes(needle)) : text;
      const cased = isChar && text !== needle ? shown.toUpperCase() : shown;
      const other = this.word((w) => !w.toLowerCase().includes(needle) && w !== shown);
      return {
        predicted: { item: `the word ${quote(cased)}`, colours: [] },
        neutral: {
          item: `the word ${quote(isChar && text !== needle ? other.toUpperCase() : other)}`,
          colours: [],
        },
      };
    }
    const concept = getConcept(key);
    const kind = concept?.kind;
    if (key === TEXT_CONCEPT_NAME) {
      return {
        predicted: { item: `the word ${quote(this.word(() => true))}`, colours: [] },
        neutral: { item: withArticle(this.free(OBJECTS)), colours: [] },
      };
    }
    if (kind === 'category') {
      const member = this.member(key);
      return member === key ? this.object(key) : this.pair(member, filler);
    }
    if (kind === 'colour') {
      const other = this.free(COLOURS);
      return {
        predicted: { item: withArticle(`${key} ${filler}`), colours: [key] },
        neutral: { item: withArticle(`${other} ${filler}`), colours: [other] },
      };
    }
    if (kind === 'texture' && (!concept?.roles.includes('background') || this.random() < 0.5)) {
      const other = this.free(TEXTURES);
      return {
        predicted: { item: withArticle(`${textureAdjective(key)} ${filler}`), colours: [] },
        neutral: { item: withArticle(`${textureAdjective(other)} ${filler}`), colours: [] },
      };
    }
    if (concept?.roles.includes('background') && kind !== 'object') {
      return {
        predicted: { item: '', background: key, colours: [] },
        neutral: { item: '', background: this.free(SCENE_BACKGROUNDS), colours: [] },
      };
    }
    return this.object(key);
  }

  private object(key: string): { predicted: Part; neutral: Part } {
    // A shape's neutral partner is another shape, unless the description names every shape ('shape',
    // 'polygon' covering them all): then an object, never a member of what the description names.
    const shape = getConcept(key)?.kind === 'shape';
    const pool = shape && this.unrelated(SHAPES).length > 0 ? SHAPES : OBJECTS;
    return {
      predicted: { item: withArticle(key), colours: [] },
      neutral: { item: withArticle(this.free(pool)), colours: [] },
    };
  }

  /** A background for both scenes that hides nothing drawn and brings none of the drivers. */
  background(colours: readonly string[]): string {
    if (this.textLines) return 'white';
    const pool = this.random() < 0.5 ? PLAIN_BACKGROUNDS : SCENE_BACKGROUNDS;
    const ok = pool.filter((name) => {
      const brings = [name, ...backgroundRegionConcepts(name).flat()];
      const closure = brings.flatMap((c) => [c, ...ancestors(c)]);
      return !colours.includes(name) && !this.avoid.some((a) => closure.some((c) => related(c, a)));
    });
    return pick(this.random, ok.length > 0 ? ok : ['white', 'gray']);
  }

  fillerShape(): string {
    return this.free(SHAPES);
  }

  content(): string {
    return this.textLines ? `the word ${quote(this.word(() => true))}` : withArticle(this.free(OBJECTS));
  }
}

function backgroundPhrase(name: string): string {
  const concept = getConcept(name);
  if (concept?.kind === 'colour') return `on a plain ${name} background`;
  if (name === 'sky') return 'in the sky';
  if (concept?.kind === 'background') return `on ${article(name)} ${name}`;
  return `on ${name}`;
}

function scene(items: string[], background: string, effects: EffectSpec[]): ScenePlan {
  const body = items.filter(Boolean).join(' and ');
  return { phrase: `${body}${body ? ' ' : ''}${backgroundPhrase(background)}`, effects };
}

/**
 * `trials` pairs of scene plans for a description's drivers, seeded: the same seed, drivers and
 * trial count always give the same phrases. Empty when the description names nothing drawable.
 */
export function planScenePairs(
  drivers: Drivers,
  options: { seed: number; trials: number; textLines: boolean },
): ScenePair[] {
  if (drivers.things.length === 0 && drivers.orientation === undefined) return [];
  const pairs: ScenePair[] = [];
  for (let t = 0; t < options.trials; t++) {
    const random = createRandom(hash32(options.seed, t, 0x70726564));
    const planner = new TrialPlanner(random, drivers.things, options.textLines);
    const filler = planner.fillerShape();
    const parts = drivers.things.map((key) => planner.pair(key, filler));
    const predictedItems = parts.map((p) => p.predicted.item);
    let neutralItems = parts.map((p) => p.neutral.item);
    const colours = parts.flatMap((p) => [...p.predicted.colours, ...p.neutral.colours]);
    const shared = planner.background(colours);
    const predictedBackground = parts.find((p) => p.predicted.background)?.predicted.background ?? shared;
    let neutralBackground = parts.find((p) => p.neutral.background)?.neutral.background ?? shared;
    if (!predictedItems.some((item) => item !== '') && drivers.orientation !== undefined) {
      // Only an orientation was named: draw some content to turn.
      predictedItems.push(planner.content());
    }
    let predictedEffects: EffectSpec[] = [];
    let neutralEffects: EffectSpec[] = [];
    if (drivers.orientation !== undefined) {
      neutralItems = [...predictedItems];
      neutralBackground = predictedBackground;
      if (drivers.orientation === 'upside-down') predictedEffects = [ROTATE_180];
      else neutralEffects = [ROTATE_180];
    }
    pairs.push({
      predicted: scene(predictedItems, predictedBackground, predictedEffects),
      neutral: scene(neutralItems, neutralBackground, neutralEffects),
    });
  }
  return pairs;
}
