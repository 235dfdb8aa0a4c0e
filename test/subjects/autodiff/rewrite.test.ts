import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GradientSessions } from '../../../subjects/autodiff/index.ts';
import type { ModelProto, NodeProto, TensorProto } from '../../../subjects/onnx/proto.ts';
import { SessionCache } from '../../../subjects/onnx/session.ts';
import { checkGradients, createTestSession, floatTensor, opNode } from './check.ts';

/**
 * The forward rewrites made before differentiating (BatchNormalization folded into the Conv before
 * it; x·Clip(x + 3, 0, 6)/6 as one HardSwish, emitted as HardSigmoid then Mul): the gradients still match finite differences, the
 * rewrites happen where they may, and they are left alone where the request names an intermediate.
 */

const C = 4;
const weights: TensorProto[] = [
  floatTensor(
    'W',
    Array.from({ length: C * 2 * 9 }, (_, i) => Math.sin(i * 1.7) * 0.6),
    [C, 2, 3, 3],
  ),
  floatTensor('B', [0.1, -0.2, 0.3, 0], [C]),
  floatTensor('scale', [1.5, 0.7, -1.2, 2], [C]),
  floatTensor('bias', [0.2, -0.4, 1, 0.5], [C]),
  floatTensor('mean', [0.3, -0.1, 0.05, -0.6], [C]),
  floatTensor('var', [0.8, 1.3, 0.4, 2.2], [C]),
  floatTensor('three', [3], []),
  floatTensor('zero', [0], []),
  floatTensor('six', [6], []),
];
const nodes: NodeProto[] = [
  opNode('Conv', ['x', 'W', 'B'], ['c'], []),
  opNode('BatchNormalization', ['c', 'scale', 'bias', 'mean', 'var'], ['n']),
  opNode('Add', ['n', 'three'], ['a']),
  opNode('Clip', ['a', 'zero', 'six'], ['k']),
  opNode('Mul', ['n', 'k'], ['m']),
  opNode('Div', ['m', 'six'], ['y']),
];

function model(): ModelProto {
  return {
    ir_version: 8,
    opset_import: [{ domain: '', version: 13 }],
    graph: {
      name: 'g',
      node: nodes,
      initializer: weights,
      input: [{ name: 'x', type: { tensor_type: { elem_type: 1 } } }],
      output: [{ name: 'y' }],
    },
  };
}

describe('forward rewrites before differentiating', () => {
  it('keeps conv + batch norm + written-out hard-swish gradients equal to finite differences', async () => {
    const { worst } = await checkGradients({
      nodes,
      initializers: weights,
      inputs: { x: { dims: [2, 2, 5, 6] } },
      opset: 13,
      seed: 3,
    });
    expect(worst).toBeLessThan(1e-2);
  });

  it('folds the normalisation and fuses hard-swish, unless the request names what they remove', async () => {
    const create = (p: ModelProto | Uint8Array) => createTestSession(p);
    const cache = new SessionCache(create, 4);
    const gradients = new GradientSessions(model(), cache, create);
    const x = new ort.Tensor(
      'float32',
      Float32Array.from({ length: 2 * 2 * 5 * 6 }, (_, i) => Math.cos(i * 0.9) * 2),
      [2, 2, 5, 6],
    );
    const ops = async (read: string[]) => {
      const request = { objective: { tensor: 'y', unitAxis: 1, pool: 'mean' as const }, wrt: ['x'], read };
      const run = await gradients.run({ x }, request);
      const graph = await gradients.graph({ x }, request);
      return { ops: (graph?.model.graph?.node ?? []).map((n) => n.op_type), grad: run.gradients.x?.data };
    };
    const rewritten = await ops([]);
    expect(rewritten.ops).not.toContain('BatchNormalization');
    // Fused, the hard-swish is emitted as the HardSigmoid and product onnxruntime runs it as (the
    // backward reads the HardSigmoid's output): the written-out Clip is gone.
    expect(rewritten.ops).toContain('HardSigmoid');
    expect(rewritten.ops).not.toContain('Clip');
    const kept = await ops(['c', 'k']);
    expect(kept.ops).toContain('BatchNormalization');
    expect(kept.ops).toContain('Clip');
    expect(kept.ops).not.toContain('HardSigmoid');
    const a = Array.from(rewritten.grad as Float32Array);
    const b = Array.from(kept.grad as Float32Array);
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i] as number, 4));
    await cache.dispose();
  });
});
