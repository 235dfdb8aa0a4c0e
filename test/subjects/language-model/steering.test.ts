import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGpt2Model } from '../../../subjects/language-model/build-gpt2.ts';
import { randomGpt2Weights, type Gpt2Config } from '../../../subjects/language-model/gpt2-weights.ts';
import type { LanguageModel } from '../../../subjects/language-model/language-model.ts';
import { loadLanguageModel } from '../../../subjects/language-model/load.ts';
import { differenceOfMeans, steeringEdit } from '../../../subjects/language-model/steering.ts';
import { encodeModel } from '../../../subjects/onnx/proto.ts';
import { trainByteLevelBpe } from '../../../subjects/tokenizers/train-bpe.ts';

/**
 * Difference-of-means directions on a tiny random GPT: the vector is the mean of the site over the
 * positive texts' tokens (first left out) minus the negatives', as read token by token; adding it
 * moves the site by exactly scale × the vector.
 */

const config: Gpt2Config = { vocabSize: 300, contextLength: 16, layers: 2, heads: 2, width: 8 };
const SITE = 'blocks.0.hook_resid_post';
let lm: LanguageModel;

beforeAll(async () => {
  const folder = mkdtempSync(join(tmpdir(), 'aia-steer-'));
  const tokenizer = trainByteLevelBpe(['the cat sat on the mat', 'THE CAT SAT ON THE MAT'], {
    vocabSize: 270,
  });
  writeFileSync(join(folder, 'tokenizer.json'), JSON.stringify(tokenizer.tokenizer));
  writeFileSync(join(folder, 'tokenizer_config.json'), JSON.stringify(tokenizer.config));
  const model = buildGpt2Model(config, randomGpt2Weights(config, 3, 10), { style: 'torchscript' });
  writeFileSync(join(folder, 'model.onnx'), encodeModel(model));
  lm = await loadLanguageModel(join(folder, 'model.onnx'), { cacheDir: false });
});
afterAll(async () => {
  await lm.dispose();
});

const positive = ['THE CAT SAT', 'ON THE MAT NOW'];
const negative = ['the cat sat', 'on the mat now', 'the mat'];

async function meanOf(texts: string[], skip: number): Promise<Float64Array> {
  const reads = await lm.readTokens(texts, [SITE]);
  const mean = new Float64Array(config.width);
  let n = 0;
  for (const r of reads) {
    const s = r.sites[SITE]!;
    for (let t = skip; t < s.dims[0]!; t++) {
      for (let u = 0; u < config.width; u++) mean[u]! += s.data[t * config.width + u]!;
      n++;
    }
  }
  return mean.map((v) => v / n);
}

describe('difference of means', () => {
  it('is the positive mean minus the negative mean over tokens after the first', async () => {
    const direction = await differenceOfMeans(lm, SITE, positive, negative);
    const [p, q] = [await meanOf(positive, 1), await meanOf(negative, 1)];
    direction.vector.forEach((v, u) => expect(v).toBeCloseTo(p[u]! - q[u]!, 4));
    expect(direction.norm).toBeGreaterThan(0);
    const all = await differenceOfMeans(lm, SITE, positive, negative, { skip: 0 });
    expect(all.tokens.positive).toBe(direction.tokens.positive + positive.length);
  });

  it('steers the site by scale × the vector', async () => {
    const direction = await differenceOfMeans(lm, SITE, positive, negative);
    const [plain] = await lm.readTokens(['the cat'], [SITE]);
    const [steered] = await lm.readTokens(['the cat'], [SITE], { edits: [steeringEdit(direction, 3)] });
    const a = plain!.sites[SITE]!.data;
    const b = steered!.sites[SITE]!.data;
    for (let i = 0; i < a.length; i++)
      expect(b[i]! - a[i]!).toBeCloseTo(3 * direction.vector[i % config.width]!, 4);
  });

  it('refuses empty sides, a non-token site and a non-finite scale', async () => {
    await expect(differenceOfMeans(lm, SITE, [], negative)).rejects.toThrow(/both sides/);
    await expect(differenceOfMeans(lm, 'blocks.0.attn.hook_pattern', positive, negative)).rejects.toThrow(
      /not a per-token/,
    );
    const direction = await differenceOfMeans(lm, SITE, positive, negative);
    expect(() => steeringEdit(direction, Number.NaN)).toThrow(/finite/);
  });
});
