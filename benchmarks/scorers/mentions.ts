import { formulaConcepts, parseFormula, type Formula } from '../../subjects/synthetic/index.ts';
import { getConcept, isA, lookupConcept, WORD_PREFIX } from '../../stimuli/vocabulary.ts';

/**
 * What a description names, as concept keys the scorers compare:
 *
 *   dog, light bulb, animal      vocabulary concepts (canonical names; synonyms and plurals accepted)
 *   word:stop                    a quoted string of two or more characters ("stop"), or word("stop")
 *   char:e                       one character: quoted ('e'), or "the letter e", "digit 7"
 *   orientation:upside-down      upside down, inverted, rotated 180°, …
 *   orientation:upright          upright, right side up, not rotated, …
 *
 * Keys are listed in order of first mention, each once. The extraction is deliberately literal (no
 * language model), so a score can be recomputed by anyone and never depends on a judge's mood.
 */

export const CHAR_PREFIX = 'char:';
export const ORIENTATION_PREFIX = 'orientation:';
export const ORIENTATIONS = ['upside-down', 'upright'] as const;

/**
 * Words that are synonyms of concepts but in a description almost always mean something else:
 * "fires on", "when a dog is present", "receptive field", "leads to", "dogs plus cats".
 */
const STOP_WORDS = new Set([
  'fire',
  'fires',
  'fired',
  'firing',
  'present',
  'field',
  'fields',
  'check',
  'lead',
  'leads',
  'box',
  'boxes',
  'drop',
  'drops',
  'setting',
  'plus',
]);

/** "light blue", "light colours": `light` is a shade there, not the light-bulb concept. */
const SHADE_WORDS = new Set(['light', 'dark', 'pale', 'bright']);

const UPSIDE_DOWN =
  /\bupside[\s-]*down\b|\binverted\b|\b(?:rotated|turned|flipped)\s+(?:by\s+|through\s+)?180\b|\b180\s*(?:°|degrees?\b|deg\b)|\bflipped\s+vertically\b/i;
const UPRIGHT =
  /\bupright\b|\bright[\s-]+side[\s-]+up\b|\bnot\s+(?:rotated|inverted|flipped)\b|\bunrotated\b|\b0\s*(?:°|degrees?\b|deg\b)|\bnormal(?:ly)?\s+orient/i;

/** Quotes open after a space or bracket and close before a space or punctuation, so "dog's" is no quote. */
const QUOTED = /(^|[\s([{:,;=])["“'‘`]([^"“”'‘’`\n]{1,40}?)["”'’`](?=$|[\s)\]}.,;:!?])/g;
const CHAR_PHRASE = /\b(?:letter|character|char|digit|numeral|glyph|symbol)\s+([A-Za-z0-9])(?![A-Za-z0-9])/g;

export function charKey(char: string): string {
  return `${CHAR_PREFIX}${char}`;
}

/** Whether a truth concept key is one the concept scorer can match. */
export function isScorableConcept(key: string): boolean {
  if (key.startsWith(CHAR_PREFIX)) return [...key.slice(CHAR_PREFIX.length)].length === 1;
  if (key.startsWith(ORIENTATION_PREFIX))
    return (ORIENTATIONS as readonly string[]).includes(key.slice(ORIENTATION_PREFIX.length));
  if (key.startsWith(WORD_PREFIX)) return key.length > WORD_PREFIX.length;
  return getConcept(key) !== undefined;
}

/** Concept keys named by a description and (optionally) a formula, in order of first mention. */
export function extractMentions(description: string, formula?: string): string[] {
  const keys: string[] = [];
  const add = (key: string) => {
    if (!keys.includes(key)) keys.push(key);
  };
  const unquoted = description.replace(QUOTED, (_match, before: string, inner: string) => {
    const text = inner.trim();
    if ([...text].length === 1) add(charKey(text));
    else if (text.length > 1) {
      add(`${WORD_PREFIX}${text.toLowerCase().replace(/\s+/g, ' ')}`);
      for (const concept of vocabularyConcepts(text)) add(concept);
    }
    return `${before} , `;
  });
  for (const match of unquoted.matchAll(CHAR_PHRASE)) add(charKey(match[1] ?? ''));
  if (UPSIDE_DOWN.test(unquoted)) add(`${ORIENTATION_PREFIX}upside-down`);
  if (UPRIGHT.test(unquoted)) add(`${ORIENTATION_PREFIX}upright`);
  for (const concept of vocabularyConcepts(unquoted.replace(CHAR_PHRASE, ' , '))) add(concept);
  if (formula !== undefined) for (const key of formulaMentions(formula)) add(key);
  return keys;
}

/** Vocabulary concepts in plain text: longest phrase first (three words, then two, then one). */
export function vocabularyConcepts(text: string): string[] {
  const out: string[] = [];
  // Commas and full stops split phrases ("dogs, cats"), so a bigram never spans them.
  for (const clause of text.toLowerCase().split(/[,.;:!?()[\]{}"“”]+/)) {
    const tokens = clause
      .split(/[^a-z0-9'°-]+/)
      .map((t) => t.replace(/'s$/, '').replace(/^['-]+|['-]+$/g, ''))
      .filter((t) => t.length > 0);
    for (let i = 0; i < tokens.length; ) {
      let matched = 0;
      for (let length = Math.min(3, tokens.length - i); length >= 1 && matched === 0; length--) {
        const phrase = tokens.slice(i, i + length).join(' ');
        if (length === 1 && skipSingle(tokens, i)) continue;
        const concept = lookupConcept(phrase);
        if (concept) {
          if (!out.includes(concept.name)) out.push(concept.name);
          matched = length;
        }
      }
      i += Math.max(1, matched);
    }
  }
  return out;
}

function skipSingle(tokens: string[], i: number): boolean {
  const token = tokens[i] ?? '';
  if (STOP_WORDS.has(token)) return true;
  // "text lines" are lines of text, not the stripes texture.
  if ((token === 'line' || token === 'lines') && tokens[i - 1] === 'text') return true;
  if (SHADE_WORDS.has(token)) {
    const next = lookupConcept(tokens[i + 1] ?? '');
    if (next && (next.kind === 'colour' || isA(next.name, 'colour'))) return true;
  }
  return false;
}

/** The keys a formula names: its concepts through the vocabulary, its words, the colour of a hue. */
export function formulaMentions(text: string): string[] {
  let tree: Formula;
  try {
    tree = parseFormula(text);
  } catch {
    return [];
  }
  const keys = formulaConcepts(tree).map((name) => lookupConcept(name)?.name ?? name);
  const words: string[] = [];
  const visit = (node: Formula): void => {
    if (node.op === 'word') words.push(`${WORD_PREFIX}${node.text}`);
    if (node.op === 'char') words.push(charKey(node.char));
    if (node.op === 'orientation') words.push(`${ORIENTATION_PREFIX}${node.orientation}`);
    if (node.op === 'not') return; // what must be absent is not what the unit detects
    if ('left' in node) {
      visit(node.left);
      visit(node.right);
    }
    if ('arg' in node) visit(node.arg);
    if ('reference' in node) visit(node.reference);
  };
  visit(tree);
  return [...new Set([...keys, ...words])];
}
