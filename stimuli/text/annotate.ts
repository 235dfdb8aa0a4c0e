import nlp from 'compromise';
import winkNLP, { type WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { posConcept } from './concepts.ts';
import { lexicalCategories } from './lexicon.ts';
import type { AnnotatedText, TextSource, TextToken } from './types.ts';

/**
 * Token annotation: wink-nlp splits the text into word-level tokens and tags their part of speech;
 * compromise finds people, places and values (merged into the person, place and number concepts);
 * the curated lexicon gives lexical categories; the rest (sentence starts, quotes, brackets,
 * repetition, capitals) is read off the token sequence. Deterministic: the same text always gets the
 * same annotation.
 */

let wink: WinkMethods | undefined;

/** wink's model takes about 0.4 s to load: once per process, on first use. */
function winkInstance(): WinkMethods {
  return (wink ??= winkNLP(model));
}

export interface AnnotateOptions {
  id: string;
  source: TextSource;
  /**
   * Run compromise's entity finder (people, places, values). About 4 ms a sentence, so a large corpus
   * is annotated once and cached (textset.ts). Default true.
   */
  entities?: boolean;
}

const OPEN_BRACKETS = new Set(['(', '[', '{']);
const CLOSE_BRACKETS = new Set([')', ']', '}']);
const SENTENCE_END = new Set(['.', '!', '?']);
const QUOTES = new Set(['"', '“', '”']);

export function annotateText(text: string, options: AnnotateOptions): AnnotatedText {
  const w = winkInstance();
  const doc = w.readDoc(text);
  const values = doc.tokens().out(w.its.value) as string[];
  const tags = doc.tokens().out(w.its.pos) as string[];
  const tokens: TextToken[] = [];
  let cursor = 0;
  values.forEach((value, i) => {
    // wink may normalise a token's text (e.g. contractions); find it in the text, else skip it.
    const start = text.indexOf(value, cursor);
    if (start < 0 || value.trim() === '') return;
    const end = start + value.length;
    cursor = end;
    tokens.push({ text: value, start, end, pos: tags[i] ?? 'X', bracketDepth: 0, concepts: [] });
  });
  const entities = options.entities === false ? new Map<number, string[]>() : entitySpans(text, tokens);
  markTokens(tokens, entities);
  return { id: options.id, source: options.source, text, tokens };
}

/** Per token index: the concepts compromise's people, places and values give it. */
function entitySpans(text: string, tokens: readonly TextToken[]): Map<number, string[]> {
  const found = new Map<number, string[]>();
  const doc = nlp(text);
  const kinds: [string, { json(options: object): unknown[] }][] = [
    ['person', doc.people()],
    ['place', doc.places()],
    ['number', doc.numbers()],
  ];
  for (const [concept, view] of kinds) {
    for (const match of view.json({ offset: true }) as { offset?: { start: number; length: number } }[]) {
      if (!match.offset) continue;
      const from = match.offset.start;
      const to = from + match.offset.length;
      tokens.forEach((token, i) => {
        if (token.start >= from && token.end <= to && /[\p{L}\p{N}]/u.test(token.text))
          found.set(i, [...(found.get(i) ?? []), concept]);
      });
    }
  }
  return found;
}

function isWord(token: TextToken): boolean {
  return /[\p{L}\p{N}]/u.test(token.text);
}

/** Fill every token's concepts and bracket depth from its neighbours and the lexicon. */
function markTokens(tokens: TextToken[], entities: ReadonlyMap<number, string[]>): void {
  let brackets = 0;
  let inQuotes = false;
  let sentenceStart = true;
  const seen = new Set<string>();
  tokens.forEach((token, i) => {
    const concepts = new Set<string>();
    const t = token.text;
    if (CLOSE_BRACKETS.has(t)) brackets = Math.max(0, brackets - 1);
    const quote = QUOTES.has(t);
    if (t === '”') inQuotes = false;
    // A bracket itself stands at the depth outside it (closing ones were counted down above).
    token.bracketDepth = brackets;
    if (brackets > 0 && !CLOSE_BRACKETS.has(t) && !OPEN_BRACKETS.has(t)) concepts.add('in_brackets');
    if (inQuotes && !quote) concepts.add('in_quotes');
    const pos = posConcept(token.pos);
    if (pos) concepts.add(pos);
    if (isWord(token)) {
      if (sentenceStart) concepts.add('sentence_start');
      sentenceStart = false;
      if (/^\p{Lu}/u.test(t)) concepts.add('capitalised');
      const lower = t.toLowerCase();
      if (seen.has(lower)) concepts.add('repeated');
      seen.add(lower);
      for (const category of lexicalCategories(t)) concepts.add(category);
      if (/^\d+([.,]\d+)*$/.test(t)) concepts.add('number');
      for (const concept of entities.get(i) ?? []) concepts.add(concept);
    } else if (SENTENCE_END.has(t)) {
      sentenceStart = true;
    }
    if (OPEN_BRACKETS.has(t)) brackets++;
    if (t === '“') inQuotes = true;
    else if (t === '"') inQuotes = !inQuotes;
    token.concepts = [...concepts].sort();
  });
}
