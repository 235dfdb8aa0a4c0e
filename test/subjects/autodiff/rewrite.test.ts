import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { attr } from '../../../subjects/autodiff/builder.ts';
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

/**
 * A squeeze-excitation block whose hidden width (20) is not a whole number of onnxruntime's
 * 16-channel blocks: the gradient graph widens it with zero channels and spreads the scale over the
 * image before the product. Gradients still match finite differences and the unwidened graph.
 */
describe('squeeze-excitation blocks', () => {
  const C = 24;
  const H = 20;
  const seWeights: TensorProto[] = [
    floatTensor(
      'W1',
      Array.from({ length: H * C }, (_, i) => Math.sin(i * 0.37) * 0.3),
      [H, C, 1, 1],
    ),
    floatTensor(
      'B1',
      Array.from({ length: H }, (_, i) => Math.cos(i) * 0.1),
      [H],
    ),
    floatTensor(
      'W2',
      Array.from({ length: C * H }, (_, i) => Math.cos(i * 0.53) * 0.3),
      [C, H, 1, 1],
    ),
    floatTensor(
      'B2',
      Array.from({ length: C }, (_, i) => Math.sin(i) * 0.1),
      [C],
    ),
  ];
  const seNodes: NodeProto[] = [
    opNode('GlobalAveragePool', ['x'], ['pooled']),
    opNode('Conv', ['pooled', 'W1', 'B1'], ['squeezed']),
    opNode('Relu', ['squeezed'], ['hidden']),
    opNode('Conv', ['hidden', 'W2', 'B2'], ['excited']),
    opNode('HardSigmoid', ['excited'], ['scale'], [attr.float('alpha', 1 / 6), attr.float('beta', 0.5)]),
    opNode('Mul', ['x', 'scale'], ['y']),
  ];

  it('keeps the gradient equal to finite differences', async () => {
    const { worst } = await checkGradients({
      nodes: seNodes,
      initializers: seWeights,
      inputs: { x: { dims: [2, C, 3, 4] } },
      opset: 13,
      seed: 5,
    });
    expect(worst).toBeLessThan(1e-2);
  });

  it('widens the hidden layer to 32 channels unless the request reads it, with the same gradient', async () => {
    const create = (p: ModelProto | Uint8Array) => createTestSession(p);
    const cache = new SessionCache(create, 4);
    const se: ModelProto = {
      ir_version: 8,
      opset_import: [{ domain: '', version: 13 }],
      graph: {
        name: 'se',
        node: seNodes,
        initializer: seWeights,
        input: [{ name: 'x', type: { tensor_type: { elem_type: 1 } } }],
        output: [{ name: 'y' }],
      },
    };
    const gradients = new GradientSessions(se, cache, create);
    const x = new ort.Tensor(
      'float32',
      Float32Array.from({ length: 2 * C * 3 * 4 }, (_, i) => Math.sin(i * 0.7) * 2),
      [2, C, 3, 4],
    );
    const run = async (read: string[]) => {
      const request = { objective: { tensor: 'y', unitAxis: 1, pool: 'mean' as const }, wrt: ['x'], read };
      const result = await gradients.run({ x }, request);
      const graph = await gradients.graph({ x }, request);
      return { nodes: graph?.model.graph?.node ?? [], result };
    };
    const widened = await run([]);
    expect(widened.nodes.filter((n) => n.op_type === 'Pad')).toHaveLength(3); // W1, B1, W2
    expect(widened.nodes.some((n) => n.op_type === 'Resize')).toBe(true);
    const kept = await run(['hidden']);
    expect(kept.nodes.some((n) => n.op_type === 'Pad')).toBe(false);
    expect(kept.result.tensors.hidden?.dims).toEqual([2, H, 1, 1]);
    const a = Array.from(widened.result.gradients.x?.data as Float32Array);
    const b = Array.from(kept.result.gradients.x?.data as Float32Array);
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i] as number, 5));
    await cache.dispose();
  });
});
