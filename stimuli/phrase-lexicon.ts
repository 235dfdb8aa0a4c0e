import { editDistance } from '../util/names.ts';
import { InputError } from '../util/errors.ts';
import {
  conceptsOfKind,
  getConcept,
  lookupConcept,
  suggestConcepts,
  type Concept,
  type ConceptKind,
} from './vocabulary.ts';

/**
 * The words of the scene and edit phrase grammars: tokenising, the closed word classes (numbers,
 * sizes, positions, relations, stop-words), and resolving open words to vocabulary concepts with
 * plurals and "did you mean" errors. The grammars themselves live in phrase-grammar.ts and
 * edit-phrase.ts; this file only knows words.
 */

export type Token =
  | { type: 'word'; text: string }
  /** A quoted string: the text of a word item, kept exactly as written (case included). */
  | { type: 'quoted'; text: string }
  /** A separator: ',' or ';'. */
  | { type: 'punct'; text: string };

const QUOTE_PAIRS: Record<string, string> = { "'": "'", '"': '"', '‘': '’', '“': '”' };

/**
 * Split a phrase into lowercase words, quoted strings and separators. A quote opens only at the start
 * of a word (so "dog's" is one word) and closes at its partner followed by a space, separator or end;
 * a backslash escapes the next character inside quotes.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let word = '';
  const flush = () => {
    // Sentence punctuation only separates ("remove the dog. add a cat"); hyphens, apostrophes and
    // decimal points inside words are kept.
    const endsSentence = /[.!?]$/.test(word);
    const cleaned = word.toLowerCase().replace(/^[.!?:()]+|[.!?:()]+$/g, '');
    if (cleaned) tokens.push({ type: 'word', text: cleaned });
    if (endsSentence) tokens.push({ type: 'punct', text: ';' });
    word = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const close = QUOTE_PAIRS[ch];
    if (close !== undefined && word === '') {
      let quoted = '';
      let j = i + 1;
      let closed = false;
      for (; j < text.length; j++) {
        const c = text[j]!;
        if (c === '\\' && j + 1 < text.length) {
          quoted += text[++j];
          continue;
        }
        if (c === close && (j + 1 === text.length || /[\s,;.!?:)]/.test(text[j + 1]!))) {
          closed = true;
          break;
        }
        quoted += c;
      }
      if (!closed) throw new InputError(`unclosed quote in "${text}": end the quoted text with ${close}`);
      if (quoted.trim() === '')
        throw new InputError(`empty quoted text in "${text}": put the word between quotes`);
      tokens.push({ type: 'quoted', text: quoted });
      i = j;
      continue;
    }
    if (/\s/.test(ch)) {
      flush();
    } else if (ch === ',' || ch === ';') {
      flush();
      tokens.push({ type: 'punct', text: ch });
    } else if (ch === '&') {
      flush();
      tokens.push({ type: 'word', text: 'and' });
    } else {
      word += ch;
    }
  }
  flush();
  return splitCompoundPositions(tokens);
}

/** "top-left" → "top", "left", so position compounds read like their spaced forms. */
function splitCompoundPositions(tokens: Token[]): Token[] {
  return tokens.flatMap((token) => {
    if (token.type !== 'word' || !token.text.includes('-')) return [token];
    const parts = token.text.split('-');
    return parts.every((p) => p in ZONE_WORDS)
      ? parts.map((text): Token => ({ type: 'word', text }))
      : [token];
  });
}

/** Spelled-out counts; digits are read too. */
export const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  several: 3,
  few: 3,
  some: 3,
  many: 5,
  couple: 2,
  pair: 2,
};

export const COUNT_NAMES: readonly string[] = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
];

/** The count a word names (a number word or digits), or undefined. */
export function countOf(word: string): number | undefined {
  if (/^\d+$/.test(word)) return Number(word);
  return NUMBER_WORDS[word];
}

/** The count written as a word where we have one ("two"), else digits ("14"). */
export function countWord(n: number): string {
  return COUNT_NAMES[n] ?? String(n);
}

/**
 * Size adjectives, as factors on the default item size of the scene. describeSpec picks the word
 * whose factor is nearest in log scale, so these must stay distinct.
 */
export const SIZE_WORDS: Record<string, number> = {
  tiny: 0.45,
  small: 0.7,
  little: 0.7,
  medium: 1,
  large: 1.4,
  big: 1.4,
  huge: 1.8,
  giant: 1.8,
  enormous: 1.8,
};

/** The canonical size words, smallest first, that describeSpec uses ('' = default size). */
export const SIZE_CLASSES: [string, number][] = [
  ['tiny', 0.45],
  ['small', 0.7],
  ['', 1],
  ['large', 1.4],
  ['huge', 1.8],
];

/** Where an item sits in the image: a horizontal and/or a vertical third. */
export interface Zone {
  horizontal?: 'left' | 'centre' | 'right';
  vertical?: 'top' | 'centre' | 'bottom';
}

export const ZONE_WORDS: Record<string, Zone> = {
  left: { horizontal: 'left' },
  right: { horizontal: 'right' },
  top: { vertical: 'top' },
  upper: { vertical: 'top' },
  bottom: { vertical: 'bottom' },
  lower: { vertical: 'bottom' },
  centre: { horizontal: 'centre', vertical: 'centre' },
  center: { horizontal: 'centre', vertical: 'centre' },
  middle: { horizontal: 'centre', vertical: 'centre' },
};

/** Words that may follow a position and add nothing ("on the left side", "in the top left corner"). */
export const ZONE_TAIL_WORDS = new Set(['side', 'corner', 'half', 'part', 'edge', 'area', 'hand']);

export type RelationType = 'above' | 'below' | 'beside' | 'leftOf' | 'rightOf';

/**
 * Relations between items, longest form first so "on top of" wins over "on". Plain "on X" with an
 * object X means resting on it (above); "on" with a background is a background (handled by the grammar).
 */
export const RELATION_FORMS: [string[], RelationType][] = [
  [['to', 'the', 'left', 'of'], 'leftOf'],
  [['to', 'the', 'right', 'of'], 'rightOf'],
  [['on', 'the', 'left', 'of'], 'leftOf'],
  [['on', 'the', 'right', 'of'], 'rightOf'],
  [['on', 'top', 'of'], 'above'],
  [['next', 'to'], 'beside'],
  [['left', 'of'], 'leftOf'],
  [['right', 'of'], 'rightOf'],
  [['above'], 'above'],
  [['over'], 'above'],
  [['atop'], 'above'],
  [['on'], 'above'],
  [['upon'], 'above'],
  [['below'], 'below'],
  [['under'], 'below'],
  [['underneath'], 'below'],
  [['beneath'], 'below'],
  [['beside'], 'beside'],
  [['by'], 'beside'],
  [['near'], 'beside'],
  [['alongside'], 'beside'],
];

/** The words describeSpec and error messages use for each relation. */
export const RELATION_WORD: Record<RelationType, string> = {
  above: 'above',
  below: 'below',
  beside: 'beside',
  leftOf: 'to the left of',
  rightOf: 'to the right of',
};

/** Prepositions that introduce a background ("on grass", "in the sky", "against a white background"). */
export const BACKGROUND_PREPOSITIONS = new Set(['on', 'in', 'against', 'over']);
/** Words naming the background itself ("a plain white background"). */
export const BACKGROUND_NOUNS = new Set(['background', 'backdrop', 'backround', 'bg']);
/** Words introducing a word item ("the word 'stop'", "the text \"hi\""). */
export const WORD_NOUNS = new Set([
  'word',
  'words',
  'text',
  'texts',
  'label',
  'labels',
  'writing',
  'caption',
]);

/**
 * The only words the grammar skips when it cannot use them: fillers and framing ("a picture of").
 * Anything else it cannot place is an error, so a typo never silently vanishes.
 */
export const STOP_WORDS = new Set([
  'picture',
  'image',
  'photo',
  'photograph',
  'drawing',
  'scene',
  'of',
  'showing',
  'shows',
  'show',
  'draw',
  'render',
  'there',
  'is',
  'are',
  'please',
  'plain',
  'coloured',
  'colored',
  'sitting',
  'standing',
  'lying',
  'placed',
  'located',
  'that',
  'which',
  'who',
]);

/** Words with a fixed role in either grammar, offered as near matches for misspellings. */
export const GRAMMAR_WORDS = [
  ...Object.keys(NUMBER_WORDS),
  ...Object.keys(SIZE_WORDS),
  ...Object.keys(ZONE_WORDS),
  ...RELATION_FORMS.map(([form]) => form.join(' ')),
  ...BACKGROUND_NOUNS,
  ...WORD_NOUNS,
  'and',
  'with',
  'the',
  'a',
  'an',
];

/** An error for a word the grammar could not place, quoting it and listing near concepts and words. */
export function unknownWordError(word: string, phrase: string, extraWords: string[] = []): InputError {
  const concepts = suggestConcepts(word, 5);
  const grammar = [...GRAMMAR_WORDS, ...extraWords]
    .filter((w) => w.length > 2 && editDistance(word, w) <= Math.max(1, Math.floor(w.length / 3)))
    .sort((a, b) => editDistance(word, a) - editDistance(word, b));
  const near = [...new Set([...grammar.slice(0, 2), ...concepts])].slice(0, 6);
  return new InputError(
    `unknown word '${word}' in "${phrase}"${near.length ? `: did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : ''}`,
  );
}

const IRREGULAR_PLURALS: Record<string, string> = {
  man: 'men',
  woman: 'women',
  child: 'children',
  foot: 'feet',
  mouse: 'mice',
  person: 'persons',
  leaf: 'leaves',
  wolf: 'wolves',
  knife: 'knives',
  scarf: 'scarves',
  sheep: 'sheep',
  deer: 'deer',
  fish: 'fish',
};

/** English plural of a concept name; multi-word names pluralise their last word ("hot dogs"). */
export function pluralOf(name: string): string {
  const space = name.lastIndexOf(' ');
  const head = name.slice(0, space + 1);
  const last = name.slice(space + 1);
  const irregular = IRREGULAR_PLURALS[last];
  if (irregular !== undefined) return head + irregular;
  // Names already plural in form (jeans, glasses, scissors, grapes) stay as they are.
  if (last.endsWith('s') && !last.endsWith('ss') && !last.endsWith('us')) return name;
  if (/(s|x|z|ch|sh)$/.test(last)) return `${name}es`;
  if (/[^aeiou]y$/.test(last)) return `${name.slice(0, -1)}ies`;
  return `${name}s`;
}

/** Plural form → canonical name, for every drawable or category concept whose plural differs. */
const PLURALS: Map<string, string> = (() => {
  const map = new Map<string, string>();
  for (const kind of ['object', 'shape', 'category'] as const) {
    for (const name of conceptsOfKind(kind)) {
      const plural = pluralOf(name);
      if (plural !== name && !map.has(plural)) map.set(plural, name);
    }
  }
  return map;
})();

export interface ResolvedConcept {
  concept: Concept;
  /** The words were a plural form ("dogs", "old men"): the count defaults to several. */
  plural: boolean;
}

/** The concept these words name (name, synonym or plural), or undefined. */
export function resolveWords(words: string): ResolvedConcept | undefined {
  const fromPlural = PLURALS.get(words);
  if (fromPlural !== undefined) return { concept: getConcept(fromPlural)!, plural: true };
  const concept = lookupConcept(words);
  if (!concept) return undefined;
  // lookupConcept also accepts regular plurals; a form that is neither the name nor a synonym is one.
  const plural = words !== concept.name && !concept.synonyms.includes(words);
  return { concept, plural };
}

/**
 * The longest run of word tokens (up to 3) starting at `start` that names a concept accepted by
 * `accept`, so "brick wall" wins over "brick" and "hot dog" over "hot".
 */
export function longestConcept(
  tokens: Token[],
  start: number,
  accept: (concept: Concept) => boolean = () => true,
): { resolved: ResolvedConcept; length: number } | undefined {
  for (let length = 3; length >= 1; length--) {
    const slice = tokens.slice(start, start + length);
    if (slice.length < length || slice.some((t) => t.type !== 'word')) continue;
    const words = slice.map((t) => t.text).join(' ');
    const resolved = resolveWords(words);
    if (resolved && accept(resolved.concept)) return { resolved, length };
    // A plural form can also name a different concept than its literal match ("dots": the texture,
    // but "three dots" are circles): let the caller's filter see the singular's concept too.
    if (resolved && !accept(resolved.concept) && words.endsWith('s')) {
      const singular = lookupConcept(words.slice(0, -1));
      if (singular && accept(singular)) return { resolved: { concept: singular, plural: true }, length };
    }
  }
  return undefined;
}

export function canPlay(concept: Concept, ...roles: ConceptKind[]): boolean {
  return concept.roles.some((r) => roles.includes(r));
}

/**
 * A colour, texture or background name given by a person or model → its canonical name, checked
 * against the vocabulary: unknown names get an InputError with the nearest names of that role.
 */
export function canonicalName(word: string, role: ConceptKind, what = role): string {
  const concept = lookupConcept(word);
  if (concept && concept.roles.includes(role)) return concept.name;
  const near = suggestConcepts(word, 5, [role]);
  const hint = concept ? ` ('${word}' is ${/^[aeiou]/.test(concept.kind) ? 'an' : 'a'} ${concept.kind})` : '';
  throw new InputError(
    `unknown ${what} '${word}'${hint}${near.length ? `: did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : ''}`,
  );
}
