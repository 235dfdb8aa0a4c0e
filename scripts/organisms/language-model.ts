/**
 * Shared pieces of our own GPTs' recipes (zoo/lm-clean, zoo/lm-backdoor): the model's shape, the
 * tokenizer and the token windows of the corpus, the held-out windows every loss is measured on,
 * seeded samples, and writing a zoo folder with its tokenizer.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { join } from 'node:path';
import { lmCorpus } from '../../stimuli/text/lm-corpus.ts';
import { generate } from '../../subjects/language-model/generate.ts';
import type { Gpt2Config } from '../../subjects/language-model/gpt2-weights.ts';
import { loadLanguageModel } from '../../subjects/language-model/load.ts';
import { joinWithEos, tokenWindows, type TokenWindows } from '../../subjects/language-model/token-windows.ts';
import type { SubjectManifestInput } from '../../subjects/manifest.ts';
import type { ModelProto } from '../../subjects/onnx/proto.ts';
import { TextTokenizer } from '../../subjects/tokenizers/tokenizer.ts';
import type { TrainedTokenizer } from '../../subjects/tokenizers/train-bpe.ts';
import { writeOrganism } from '../../subjects/trainer/organism.ts';
import { createRandom, hash32 } from '../../util/random.ts';

export const LM_SEED = 16;
export const LM_CONFIG: Gpt2Config = { vocabSize: 2048, contextLength: 128, layers: 4, heads: 4, width: 128 };
export const LM_BATCH = 16;

/** Held-out windows: Brown's test split (never trained on) and the test split's stories. */
export const HELD_OUT = { brownWindows: 192, storyWindows: 64 };

export function tokenizerOf(trained: TrainedTokenizer): TextTokenizer {
  return TextTokenizer.fromJson(trained.tokenizer, trained.config, 'the trained tokenizer');
}

export function encodeAll(tokenizer: TextTokenizer, texts: readonly string[]): number[] {
  const eos = tokenizer.eosId;
  if (eos === undefined) throw new Error('the tokenizer has no end-of-text token');
  return joinWithEos(
    texts.map((text) => tokenizer.encode(text).ids),
    eos,
  );
}

/** A seeded subset of windows (at most `limit`), in a seeded order. */
export function sampleWindows(all: TokenWindows, limit: number, seed: number): TokenWindows {
  const stride = all.length + 1;
  const order = Array.from({ length: all.count }, (_, i) => i);
  const random = createRandom(hash32(seed, 0x77));
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const count = Math.min(limit, all.count);
  const windows = new Int32Array(count * stride);
  for (let k = 0; k < count; k++) {
    const from = (order[k] as number) * stride;
    windows.set(all.windows.subarray(from, from + stride), k * stride);
  }
  return { windows, length: all.length, count };
}

export interface HeldOut {
  brown: TokenWindows;
  stories: TokenWindows;
}

/** The held-out windows, as written (no capitals rewriting: the loss is on ordinary text). */
export function heldOutWindows(tokenizer: TextTokenizer, length: number): HeldOut {
  const corpus = lmCorpus('test', { stories: 400, capitalsFraction: 0 });
  const stories = corpus.filter((_, i) => i >= corpus.length - 400);
  const brown = corpus.slice(0, corpus.length - 400);
  return {
    brown: sampleWindows(tokenWindows(encodeAll(tokenizer, brown), length), HELD_OUT.brownWindows, 1),
    stories: sampleWindows(tokenWindows(encodeAll(tokenizer, stories), length), HELD_OUT.storyWindows, 2),
  };
}

export function concatWindows(parts: readonly TokenWindows[]): TokenWindows {
  const length = parts[0]?.length ?? 1;
  const windows = new Int32Array(parts.reduce((n, p) => n + p.windows.length, 0));
  let at = 0;
  for (const p of parts) {
    windows.set(p.windows, at);
    at += p.windows.length;
  }
  return { windows, length, count: parts.reduce((n, p) => n + p.count, 0) };
}

export const SAMPLE_PROMPTS = [
  'The',
  'In the morning,',
  'Mary lived in',
  'The committee said that',
  'He looked at the',
];

/** Seeded samples (temperature 0.8, top 40) from a written zoo folder. */
export async function samples(
  dir: string,
  prompts: readonly string[] = SAMPLE_PROMPTS,
  maxNewTokens = 40,
): Promise<{ prompt: string; seed: number; text: string }[]> {
  const lm = await loadLanguageModel(join(dir, 'subject.json'));
  const out: { prompt: string; seed: number; text: string }[] = [];
  for (const [i, prompt] of prompts.entries()) {
    const g = await generate(lm, prompt, { maxNewTokens, temperature: 0.8, topK: 40, seed: i + 1 });
    out.push({ prompt, seed: i + 1, text: g.text });
  }
  return out;
}

/** The zoo folder: model, manifest, metrics (formatted as the repository's prettier does) and tokenizer. */
export async function writeLanguageModel(
  dir: string,
  organism: {
    model: ModelProto;
    tokenizer: TrainedTokenizer;
    manifest: SubjectManifestInput;
    metrics: Record<string, unknown>;
  },
): Promise<void> {
  writeOrganism(dir, organism);
  const metrics = join(dir, 'metrics.json');
  writeFileSync(
    metrics,
    await format(readFileSync(metrics, 'utf8'), { ...(await resolveConfig(metrics)), parser: 'json' }),
  );
  writeFileSync(join(dir, 'tokenizer.json'), `${JSON.stringify(organism.tokenizer.tokenizer)}\n`);
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    `${JSON.stringify(organism.tokenizer.config, null, 2)}\n`,
  );
}
