import { describe, expect, it } from 'vitest';
import { scopeFromNameScopes, moduleScope } from '../../../subjects/language-model/module-scopes.ts';
import { buildGpt2Model } from '../../../subjects/language-model/build-gpt2.ts';
import { randomGpt2Weights } from '../../../subjects/language-model/gpt2-weights.ts';
import { transformerLensNames } from '../../../subjects/language-model/transformer-lens-names.ts';
import { indexGraph } from '../../../subjects/onnx/graph.ts';
import type { ModelProto } from '../../../subjects/onnx/proto.ts';
import { loadSubject } from '../../../subjects/load.ts';
import { encodeModel } from '../../../subjects/onnx/proto.ts';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { TINY_CONFIG } from './fixtures.ts';

const weights = randomGpt2Weights(TINY_CONFIG, 5, 25);
const HOOKS = [
  'hook_embed',
  'hook_pos_embed',
  'ln_final',
  ...[0, 1].flatMap((L) =>
    [
      'hook_resid_pre',
      'hook_resid_mid',
      'hook_resid_post',
      'hook_attn_out',
      'hook_mlp_out',
      'attn.hook_pattern',
      'attn.hook_z',
      'mlp.hook_pre',
      'mlp.hook_post',
    ].map((h) => `blocks.${L}.${h}`),
  ),
];

function names(model: ModelProto): Map<string, string> {
  const index = indexGraph(model.graph ?? {});
  return transformerLensNames(index, new Set(index.dynamicTensors));
}

function producerOf(model: ModelProto, tensor: string) {
  return model.graph?.node?.find((n) => n.output?.includes(tensor));
}

describe('TransformerLens names from module scopes', () => {
  for (const style of ['torchscript', 'dynamo'] as const) {
    it(`finds every hook in a ${style} export by scope and op type`, () => {
      const model = buildGpt2Model(TINY_CONFIG, weights, { style });
      const found = names(model);
      expect([...found.keys()].sort()).toEqual([...HOOKS].sort());
      const op = (name: string) => producerOf(model, found.get(name) as string)?.op_type;
      expect(op('hook_embed')).toBe('Gather');
      expect(op('hook_pos_embed')).toBe('Gather');
      expect(op('blocks.1.attn.hook_pattern')).toBe('Softmax');
      expect(op('blocks.1.attn.hook_z')).toBe('MatMul');
      expect(op('ln_final')).toBe('LayerNormalization');
      // The residual stream runs through: block 1 starts where block 0 ends.
      expect(found.get('blocks.1.hook_resid_pre')).toBe(found.get('blocks.0.hook_resid_post'));
      // resid_mid adds the attention output to resid_pre; resid_post adds the MLP output to resid_mid.
      const mid = producerOf(model, found.get('blocks.0.hook_resid_mid') as string);
      expect(mid?.input).toEqual([found.get('blocks.0.hook_resid_pre'), found.get('blocks.0.hook_attn_out')]);
      const post = producerOf(model, found.get('blocks.0.hook_resid_post') as string);
      expect(post?.input).toEqual([found.get('blocks.0.hook_resid_mid'), found.get('blocks.0.hook_mlp_out')]);
      // mlp.hook_post is the GELU's output, read by the MLP's second linear layer.
      const proj = model.graph?.node?.find((n) =>
        n.input?.includes(found.get('blocks.0.mlp.hook_post') as string),
      );
      expect(proj?.op_type).toBe('MatMul');
      expect(producerOf(model, found.get('blocks.0.mlp.hook_pre') as string)?.op_type).toBe('Add');
    });
  }

  it('gives the same activations under the same name in both styles', async () => {
    const values: Record<string, Float32Array>[] = [];
    for (const style of ['torchscript', 'dynamo'] as const) {
      const dir = mkdtempSync(join(tmpdir(), 'aia-lm-'));
      const path = join(dir, 'model.onnx');
      writeFileSync(path, encodeModel(buildGpt2Model(TINY_CONFIG, weights, { style })));
      const subject = await loadSubject(path, {
        cacheDir: false,
        exampleShapes: { input_ids: [1, 11] },
      });
      const ids = new ort.Tensor('int64', BigInt64Array.from([3, 14, 15, 92, 65], BigInt), [1, 5]);
      const { sites } = await subject.read(ids, HOOKS);
      values.push(Object.fromEntries(HOOKS.map((h) => [h, sites[h]?.data as Float32Array])));
      await subject.dispose();
    }
    for (const hook of HOOKS) {
      const [a, b] = [values[0]?.[hook], values[1]?.[hook]] as [Float32Array, Float32Array];
      expect(a.length).toBe(b.length);
      a.forEach((v, i) => expect(v).toBeCloseTo(b[i] as number, 5));
    }
  });

  it('names nothing in a graph without module scopes', () => {
    const model = buildGpt2Model(TINY_CONFIG, weights, { style: 'torchscript' });
    const bare: ModelProto = {
      ...model,
      graph: { ...model.graph, node: (model.graph?.node ?? []).map((n, i) => ({ ...n, name: `n${i}` })) },
    };
    expect(names(bare).size).toBe(0);
    // Blocks named layers.L but no attention (say a CNN's modules): not a transformer either.
    const noAttention: ModelProto = {
      ...model,
      graph: {
        ...model.graph,
        node: (model.graph?.node ?? []).map((n) => ({
          ...n,
          name: (n.name ?? '').replace('/transformer/h.', '/features/layers.').replace('/attn/', '/conv/'),
        })),
      },
    };
    expect(names(noAttention).size).toBe(0);
  });

  it('reads module paths from both exporters, whatever the torch version wrote', () => {
    expect(
      scopeFromNameScopes("['', 'transformer', 'transformer.h.3', 'transformer.h.3.mlp', 'mul_7']"),
    ).toBe('transformer.h.3.mlp');
    // Module names not cumulative, and torch.export's L['self'] paths with [i] indices.
    expect(scopeFromNameScopes("['', 'transformer', 'h.3', 'mlp', 'mul_7']")).toBe('transformer.h.3.mlp');
    expect(scopeFromNameScopes("['', \"L['self'].transformer.h[2].attn\", 'softmax']")).toBe(
      'transformer.h.2.attn',
    );
    expect(moduleScope({ name: '/transformer/h.0/attn/Softmax_1' })).toBe('transformer.h.0.attn');
    expect(moduleScope({ name: 'node_softmax' })).toBeUndefined();
  });
});
