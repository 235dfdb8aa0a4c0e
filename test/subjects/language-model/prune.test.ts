import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildGpt2Model } from '../../../subjects/language-model/build-gpt2.ts';
import { randomGpt2Weights } from '../../../subjects/language-model/gpt2-weights.ts';
import { encodeModel } from '../../../subjects/onnx/proto.ts';
import { withExtraOutputs, withOutputsOnly } from '../../../subjects/onnx/surgery.ts';
import { TINY_CONFIG } from './fixtures.ts';

describe('withOutputsOnly', () => {
  it('drops the nodes and weights after a read site, and the read is unchanged', async () => {
    const model = buildGpt2Model(TINY_CONFIG, randomGpt2Weights(TINY_CONFIG, 2, 25), {
      style: 'torchscript',
    });
    const site = '/transformer/h.0/Add_1_output_0'; // blocks.0.hook_resid_post
    const read = withExtraOutputs(model, [{ name: site, elemType: 1 }]);
    const pruned = withOutputsOnly(read, [site]);
    const names = (pruned.graph?.node ?? []).map((n) => n.name ?? '');
    expect(names).not.toContain('/lm_head/MatMul');
    expect(names.some((n) => n.startsWith('/transformer/h.1/'))).toBe(false);
    expect(names).toContain('/transformer/h.0/mlp/act/Mul_1');
    expect((pruned.graph?.initializer ?? []).map((t) => t.name)).not.toContain('transformer.h.1.ln_1.weight');
    expect(pruned.graph?.output?.map((o) => o.name)).toEqual([site]);

    const ids = new ort.Tensor('int64', BigInt64Array.from([4, 8, 15, 16], BigInt), [1, 4]);
    const full = await ort.InferenceSession.create(encodeModel(read));
    const small = await ort.InferenceSession.create(encodeModel(pruned));
    const a = (await full.run({ input_ids: ids }))[site]?.data as Float32Array;
    const b = (await small.run({ input_ids: ids }))[site]?.data as Float32Array;
    expect(Array.from(b)).toEqual(Array.from(a));
    await full.release();
    await small.release();
  });
});
