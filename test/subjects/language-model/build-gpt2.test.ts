import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildGpt2Model } from '../../../subjects/language-model/build-gpt2.ts';
import { randomGpt2Weights } from '../../../subjects/language-model/gpt2-weights.ts';
import { encodeModel } from '../../../subjects/onnx/proto.ts';
import { InputError } from '../../../util/errors.ts';
import { TINY_CONFIG } from './fixtures.ts';
import { referenceForward } from './gpt2-reference.ts';

const weights = randomGpt2Weights(TINY_CONFIG, 11, 25);
const ids = [5, 17, 200, 3, 3, 99, 42];

async function run(style: 'torchscript' | 'dynamo', mask?: number[]): Promise<Float32Array> {
  const model = buildGpt2Model(TINY_CONFIG, weights, { style, attentionMask: mask !== undefined });
  const session = await ort.InferenceSession.create(encodeModel(model));
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
  };
  if (mask) feeds.attention_mask = new ort.Tensor('int64', BigInt64Array.from(mask, BigInt), [1, ids.length]);
  const result = await session.run(feeds);
  await session.release();
  expect(result.logits?.dims).toEqual([1, ids.length, TINY_CONFIG.vocabSize]);
  return result.logits?.data as Float32Array;
}

describe('GPT-2 ONNX builder', () => {
  it('computes GPT-2 (checked against a plain JavaScript forward pass) in both naming styles', async () => {
    const { logits } = referenceForward(TINY_CONFIG, weights, ids);
    const expected = logits.flat();
    const spread = Math.max(...expected) - Math.min(...expected);
    expect(spread).toBeGreaterThan(1); // not a degenerate model
    for (const style of ['torchscript', 'dynamo'] as const) {
      const actual = await run(style);
      actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 3));
    }
  });

  it('applies the attention mask: padding after a text leaves its tokens alone, masking a key changes later tokens', async () => {
    const plain = await run('torchscript');
    const padded = await run('torchscript', [1, 1, 1, 1, 1, 0, 0]);
    const vocab = TINY_CONFIG.vocabSize;
    for (let i = 0; i < 5 * vocab; i++) expect(padded[i]).toBeCloseTo(plain[i] as number, 4);
    const hole = await run('torchscript', [1, 0, 1, 1, 1, 1, 1]);
    for (let i = 0; i < vocab; i++) expect(hole[i]).toBeCloseTo(plain[i] as number, 4);
    const later = Array.from({ length: vocab }, (_, v) =>
      Math.abs((hole[2 * vocab + v] as number) - (plain[2 * vocab + v] as number)),
    );
    expect(Math.max(...later)).toBeGreaterThan(1e-3);
  });

  it('names nodes as each exporter does', () => {
    const torchscript = buildGpt2Model(TINY_CONFIG, weights, { style: 'torchscript' }).graph?.node ?? [];
    expect(torchscript.map((n) => n.name)).toContain('/transformer/h.0/mlp/act/Mul_1');
    expect(torchscript.flatMap((n) => n.output)).toContain('/transformer/h.1/attn/Softmax_output_0');
    const dynamo = buildGpt2Model(TINY_CONFIG, weights, { style: 'dynamo' }).graph?.node ?? [];
    const softmax = dynamo.find((n) => n.op_type === 'Softmax');
    expect(softmax?.name).toBe('node_softmax');
    expect(softmax?.metadata_props?.find((p) => p.key === 'pkg.torch.onnx.name_scopes')?.value).toBe(
      "['', 'transformer', 'transformer.h.0', 'transformer.h.0.attn', 'softmax']",
    );
  });

  it('rejects weights that do not fit the config', () => {
    const other = randomGpt2Weights({ ...TINY_CONFIG, layers: 1 }, 1);
    expect(() => buildGpt2Model(TINY_CONFIG, other, { style: 'dynamo' })).toThrow(InputError);
    expect(() => buildGpt2Model({ ...TINY_CONFIG, heads: 3 }, weights, { style: 'dynamo' })).toThrow(
      /not a multiple of heads/,
    );
  });
});
