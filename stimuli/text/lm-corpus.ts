import { createRandom, hash32 } from '../../util/random.ts';
import { brownDocuments, brownText, readBrownDocument, type TextSplit } from './brown.ts';
import { generateStory } from './stories.ts';

/**
 * What our own language models are trained and scored on: the Brown documents of one split as
 * running text (one text per document) and seeded stories, with a few passages written wholly in
 * capitals. Real prose has an all-capitals register (headlines, signs, shouting) but Brown's is
 * tiny; a model that has never seen one has no "capitals" direction to find or to steer along.
 * Story seeds are disjoint per split, as Brown's documents are.
 */

export interface LmCorpusOptions {
  /** Stories added after the Brown documents (default 4000). */
  stories?: number;
  /** Fraction of passages rewritten in capitals (default 0.05), chosen by seed. */
  capitalsFraction?: number;
  seed?: number;
}

/** The first story seed of each split (a split's stories are seeds base … base + n − 1). */
const STORY_SEED_BASE: Record<TextSplit, number> = { train: 0, 'held-out': 1_000_000, test: 2_000_000 };

export function brownRunningTexts(split: TextSplit): string[] {
  return brownDocuments(split).map((name) => brownText(readBrownDocument(name).sentences).text);
}

export function storyTexts(split: TextSplit, count: number): string[] {
  const base = STORY_SEED_BASE[split];
  return Array.from({ length: count }, (_, i) => generateStory(base + i, 4 + (i % 4)).text);
}

/**
 * Brown's documents of the split, then its stories; passages (a document's paragraphs-sized pieces
 * of about 600 characters, or whole stories) are capitalised with probability `capitalsFraction`.
 */
export function lmCorpus(split: TextSplit, options: LmCorpusOptions = {}): string[] {
  const random = createRandom(hash32(options.seed ?? 0, 0x1c0a));
  const fraction = options.capitalsFraction ?? 0.05;
  const shout = (text: string) => (random() < fraction ? text.toUpperCase() : text);
  const brown = brownRunningTexts(split).map((text) => passages(text, 600).map(shout).join(' '));
  const stories = storyTexts(split, options.stories ?? 4000).map(shout);
  return [...brown, ...stories];
}

/** A text cut at sentence ends into pieces of at least `size` characters. */
export function passages(text: string, size: number): string[] {
  const out: string[] = [];
  let start = 0;
  const sentenceEnd = /[.!?]["”)]? /g;
  for (let m = sentenceEnd.exec(text); m; m = sentenceEnd.exec(text)) {
    const end = m.index + m[0].length - 1;
    if (end - start >= size) {
      out.push(text.slice(start, end));
      start = end + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}
