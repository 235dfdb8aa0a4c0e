import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../../util/errors.ts';
import { createRandom, randomInt } from '../../util/random.ts';
import { annotateText } from './annotate.ts';
import { brownDocuments, brownText, readBrownDocument, TEXT_SPLITS, type TextSplit } from './brown.ts';
import { universalTags } from './brown-tags.ts';
import { generateStory } from './stories.ts';
import { AnnotatedText } from './types.ts';

/**
 * Text sets: seeded, cached collections of annotated texts, the text counterpart of probe sets. A set
 * is passages of Brown from one split (one to three consecutive sentences) mixed with generated
 * stories, annotated once (compromise is slow) and stored as JSON under `<cacheDir>/textsets/`, keyed
 * by everything that decides its content, annotation version included.
 */

/** Bump when annotation or sampling changes, so cached sets are remade. */
export const TEXT_SET_VERSION = 1;

export const TextSetSpec = z.strictObject({
  split: z.enum(TEXT_SPLITS),
  seed: z.number().int().min(0).max(0xffffffff),
  n: z.number().int().min(1).max(20_000),
  /** Share of the set that is generated stories (the rest is Brown). */
  storyShare: z.number().min(0).max(1).default(0.3),
});
export type TextSetSpec = z.input<typeof TextSetSpec>;

export interface TextSet {
  spec: z.output<typeof TextSetSpec>;
  /** Content key: identifies the set in caches of activations. */
  key: string;
  texts: AnnotatedText[];
}

const CachedSet = z.strictObject({ version: z.literal(TEXT_SET_VERSION), texts: z.array(AnnotatedText) });

/** Passages stop growing once they reach this many Brown tokens (or three sentences). */
const PASSAGE_TOKENS = 30;

export function textSetKey(spec: TextSetSpec): string {
  const s = TextSetSpec.parse(spec);
  return `v${TEXT_SET_VERSION}-${s.split}-s${s.seed}-n${s.n}-st${s.storyShare}`;
}

export interface MakeTextSetOptions {
  /** Root of the caches (the set goes in `textsets/`); without one nothing is stored. */
  cacheDir?: string;
  onProgress?: (done: number, total: number) => void;
}

export function makeTextSet(input: TextSetSpec, options: MakeTextSetOptions = {}): TextSet {
  const parsed = TextSetSpec.safeParse(input);
  if (!parsed.success) throw new InputError(`invalid text set: ${z.prettifyError(parsed.error)}`);
  const spec = parsed.data;
  const key = textSetKey(spec);
  const path = options.cacheDir ? join(options.cacheDir, 'textsets', `${key}.json`) : undefined;
  if (path && existsSync(path)) {
    const cached = CachedSet.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (cached.success) return { spec, key, texts: cached.data.texts };
  }
  const texts = buildTexts(spec, options.onProgress);
  if (path) {
    mkdirSync(join(options.cacheDir!, 'textsets'), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ version: TEXT_SET_VERSION, texts }));
    renameSync(temporary, path);
  }
  return { spec, key, texts };
}

function buildTexts(
  spec: z.output<typeof TextSetSpec>,
  onProgress?: (done: number, total: number) => void,
): AnnotatedText[] {
  const random = createRandom(spec.seed);
  const stories = Math.round(spec.n * spec.storyShare);
  const documents = brownDocuments(spec.split).map(readBrownDocument);
  const texts: AnnotatedText[] = [];
  for (let i = 0; i < spec.n; i++) {
    if (i < stories) {
      // Stories of different splits and seeds never share a generator seed.
      const storySeed = (spec.seed * 7919 + i * 31 + TEXT_SPLITS.indexOf(spec.split)) >>> 0;
      const story = generateStory(storySeed, 2 + randomInt(random, 3));
      texts.push(annotateText(story.text, { id: `story:${spec.split}:${storySeed}`, source: 'story' }));
    } else {
      const document = documents[randomInt(random, documents.length)]!;
      const first = randomInt(random, document.sentences.length);
      const sentences = [];
      let tokens = 0;
      for (let s = first; s < document.sentences.length && sentences.length < 3; s++) {
        sentences.push(document.sentences[s]!);
        tokens += document.sentences[s]!.length;
        if (tokens >= PASSAGE_TOKENS) break;
      }
      texts.push(brownPassage(`brown:${document.name}:${first}`, sentences));
    }
    onProgress?.(i + 1, spec.n);
  }
  return texts;
}

/** A Brown passage, annotated, each token carrying the gold tag of the Brown token it starts. */
export function brownPassage(id: string, sentences: Parameters<typeof brownText>[0]): AnnotatedText {
  const { text, spans } = brownText(sentences);
  const annotated = annotateText(text, { id, source: 'brown' });
  const byStart = new Map(spans.map((span) => [span.start, span.tag]));
  for (const token of annotated.tokens) {
    const tag = byStart.get(token.start);
    const gold = tag === undefined ? undefined : universalTags(tag);
    if (gold) token.gold = gold.join('|');
  }
  return annotated;
}

export type { TextSplit };
