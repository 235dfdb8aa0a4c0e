import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { attr } from '../../../subjects/autodiff/builder.ts';
import { GradientSessions } from '../../../subjects/autodiff/index.ts';
import type { ModelProto, NodeProto, TensorProto } from '../../../subjects/onnx/proto.ts';
import { SessionCache } from '../../../subjects/onnx/session.ts';
import { createTestSession, floatTensor, opNode } from './check.ts';

/** The compiled gradient graph as a whole: errors before running, weight styles, reuse, standard ops. */

function model(nodes: NodeProto[], initializer: TensorProto[] = []): ModelProto {
  return {
    ir_version: 8,
    opset_import: [{ domain: '', version: 13 }],
    graph: {
      name: 'g',
      node: nodes,
      initializer,
      input: [
        {
          name: 'x',
          type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_param: 'N' }, { dim_value: 3 }] } } },
        },
      ],
      output: [{ name: 'y' }],
    },
  };
}

const W = [0.5, -1, 2, 1, 0, -0.5];
const feeds = { x: new ort.Tensor('float32', Float32Array.from([1, 2, 3, -1, 0.5, 2]), [2, 3]) };

function sessionsFor(m: ModelProto) {
  let created = 0;
  const create = (p: ModelProto | Uint8Array) => {
    created++;
    return createTestSession(p);
  };
  const cache = new SessionCache(create, 4);
  return { gradients: new GradientSessions(m, cache, create), cache, created: () => created };
}

describe('gradient graphs', () => {
  it('names an op without a gradient rule and its node before compiling anything', async () => {
    const m = model(
      [opNode('Sin', ['x'], ['s']), opNode('MatMul', ['s', 'W'], ['y'])],
      [floatTensor('W', W, [3, 2])],
    );
    const { gradients, created } = sessionsFor(m);
    await expect(
      gradients.run(feeds, { objective: { tensor: 'y', unitAxis: 1, pool: 'mean' }, wrt: ['x'] }),
    ).rejects.toThrow(/no gradient rule for Sin \(node 'Sin_s'\)/);
    expect(created()).toBe(0);
  });

  it('differentiates against a weight given as an initializer or as a Constant node, with the same result', async () => {
    const asInitializer = model([opNode('MatMul', ['x', 'W'], ['y'])], [floatTensor('W', W, [3, 2])]);
    const asConstant = model([
      opNode('Constant', [], ['W'], [attr.tensor('value', floatTensor('W', W, [3, 2]))]),
      opNode('MatMul', ['x', 'W'], ['y']),
    ]);
    const results = [];
    for (const m of [asInitializer, asConstant]) {
      const { gradients, cache } = sessionsFor(m);
      const run = await gradients.run(
        feeds,
        { objective: { tensor: 'y', unitAxis: 1, pool: 'mean' }, wrt: ['W', 'x'] },
        [1, 0],
      );
      results.push(Array.from(run.gradients.W?.data as Float32Array));
      // d(Σ_n y[n,0])/dW[i,0] = Σ_n x[n,i]; column 1 gets nothing.
      expect(Array.from(run.gradients.W?.data as Float32Array)).toEqual([0, 0, 2.5, 0, 5, 0]);
      expect(Array.from(run.gradients.x?.data as Float32Array)).toEqual([0.5, 2, 0, 0.5, 2, 0]);
      await cache.dispose();
    }
    expect(results[0]).toEqual(results[1]);
  });

  it('serves every label from one compiled graph, and compiles again for a new input shape', async () => {
    const m = model([opNode('MatMul', ['x', 'W'], ['y'])], [floatTensor('W', W, [3, 2])]);
    const { gradients, cache } = sessionsFor(m);
    const request = { objective: { tensor: 'y', unitAxis: 1, pool: 'mean' as const }, wrt: ['x'] };
    const first = await gradients.run(feeds, request, [1, 0]);
    const second = await gradients.run(feeds, request, [0, 1]);
    expect(Array.from(first.gradients.x?.data as Float32Array).slice(0, 3)).toEqual([0.5, 2, 0]);
    expect(Array.from(second.gradients.x?.data as Float32Array).slice(0, 3)).toEqual([-1, 1, -0.5]);
    expect(gradients.built).toBe(1);
    await gradients.run({ x: new ort.Tensor('float32', new Float32Array(3), [1, 3]) }, request, [1, 0]);
    expect(gradients.built).toBe(2);
    await cache.dispose();
  });

  it('differentiates a float64 graph, with the objective weights fed as float64', async () => {
    const m = model(
      [opNode('MatMul', ['x', 'W'], ['y'])],
      [{ name: 'W', dims: [3, 2], data_type: 11, double_data: W }],
    );
    const input = m.graph?.input?.[0];
    if (input?.type?.tensor_type) input.type.tensor_type.elem_type = 11;
    const { gradients, cache } = sessionsFor(m);
    const x = new ort.Tensor('float64', Float64Array.from([1, 2, 3, -1, 0.5, 2]), [2, 3]);
    const run = await gradients.run(
      { x },
      { objective: { tensor: 'y', unitAxis: 1, pool: 'mean' }, wrt: ['x'] },
      [0, 2],
    );
    expect(run.gradients.x?.type).toBe('float64');
    expect(Array.from(run.gradients.x?.data as Float64Array)).toEqual([-2, 2, -1, -2, 2, -1]);
    expect(Array.from(run.objective.data as Float64Array)).toEqual([2 * (-1 + 2 - 1.5), 2 * (1 + 0.5 - 1)]);
    await cache.dispose();
  });

  it('gives the input its full gradient when a site downstream of it is asked for too', async () => {
    // x reaches y directly and through the site h = x⊙x: y = h·W + x·W.
    const m = model(
      [
        opNode('Mul', ['x', 'x'], ['h']),
        opNode('MatMul', ['h', 'W'], ['p']),
        opNode('MatMul', ['x', 'W'], ['q']),
        opNode('Add', ['p', 'q'], ['y']),
      ],
      [floatTensor('W', W, [3, 2])],
    );
    const { gradients, cache } = sessionsFor(m);
    const objective = { tensor: 'y', unitAxis: 1, pool: 'mean' as const };
    const both = await gradients.run(feeds, { objective, wrt: ['x', 'h'] }, [1, 0]);
    const inputOnly = await gradients.run(feeds, { objective, wrt: ['x'] }, [1, 0]);
    const siteOnly = await gradients.run(feeds, { objective, wrt: ['h'] }, [1, 0]);
    // dy0/dh = W[:, 0]; dy0/dx = 2x⊙W[:, 0] + W[:, 0].
    const column = [0.5, 2, 0];
    const x = Array.from(feeds.x.data as Float32Array);
    const expected = x.map((v, i) => 2 * v * (column[i % 3] as number) + (column[i % 3] as number));
    expect(Array.from(both.gradients.x?.data as Float32Array)).toEqual(expected);
    expect(Array.from(both.gradients.h?.data as Float32Array)).toEqual([...column, ...column]);
    expect(Array.from(inputOnly.gradients.x?.data as Float32Array)).toEqual(expected);
    expect(Array.from(siteOnly.gradients.h?.data as Float32Array)).toEqual([...column, ...column]);
    await cache.dispose();
  });

  it('sums gradients over the batch inside the run when asked, through a strided conv stem and for a site', async () => {
    // x [3, 2, 5, 6] → Conv 3×3 stride 2 pad 1 → Relu (site 'r') → Conv 1×1 → y: the input's sum is
    // taken before the stem's backward, the site's after; a weight's gradient is never batch-summed.
    const conv: ModelProto = {
      ir_version: 8,
      opset_import: [{ domain: '', version: 13 }],
      graph: {
        name: 'stem',
        node: [
          opNode(
            'Conv',
            ['x', 'K', 'KB'],
            ['c'],
            [attr.ints('strides', [2, 2]), attr.ints('pads', [1, 1, 1, 1])],
          ),
          opNode('Relu', ['c'], ['r']),
          opNode('Conv', ['r', 'P'], ['y']),
        ],
        initializer: [
          floatTensor(
            'K',
            Array.from({ length: 4 * 2 * 9 }, (_, i) => Math.sin(i * 1.3) * 0.5),
            [4, 2, 3, 3],
          ),
          floatTensor('KB', [0.1, -0.2, 0.05, 0], [4]),
          floatTensor('P', [0.7, -0.4, 0.9, 0.3, -0.6, 0.2, 0.5, -0.8], [2, 4, 1, 1]),
        ],
        input: [{ name: 'x', type: { tensor_type: { elem_type: 1 } } }],
        output: [{ name: 'y' }],
      },
    };
    const { gradients, cache } = sessionsFor(conv);
    const x = new ort.Tensor(
      'float32',
      Float32Array.from({ length: 3 * 2 * 5 * 6 }, (_, i) => Math.cos(i * 0.77) * 1.5),
      [3, 2, 5, 6],
    );
    const objective = { tensor: 'y', unitAxis: 1, pool: 'mean' as const };
    const each = await gradients.run({ x }, { objective, wrt: ['x', 'r', 'K'] });
    const summed = await gradients.run({ x }, { objective, wrt: ['x', 'r', 'K'], sumBatch: true });
    const batchSum = (t: ort.Tensor | undefined) => {
      const data = t?.data as Float32Array;
      const size = data.length / (t?.dims[0] as number);
      return Array.from({ length: size }, (_, i) => data[i]! + data[size + i]! + data[2 * size + i]!);
    };
    for (const name of ['x', 'r']) {
      expect(summed.gradients[name]?.dims).toEqual([1, ...(each.gradients[name]?.dims ?? []).slice(1)]);
      const expected = batchSum(each.gradients[name]);
      Array.from(summed.gradients[name]?.data as Float32Array).forEach((v, i) =>
        expect(v, `${name}[${i}]`).toBeCloseTo(expected[i] as number, 5),
      );
    }
    expect(summed.gradients.K?.dims).toEqual([4, 2, 3, 3]);
    expect(Array.from(summed.gradients.K?.data as Float32Array)).toEqual(
      Array.from(each.gradients.K?.data as Float32Array),
    );
    // Asked for the input alone, the stem's backward runs on one example's worth of gradient.
    const inputOnly = { objective, wrt: ['x'], sumBatch: true };
    const alone = await gradients.run({ x }, inputOnly);
    const graph = await gradients.graph({ x }, inputOnly);
    const stemBackward = (graph?.model.graph?.node ?? []).filter(
      (n) => n.op_type === 'ConvTranspose' && n.name?.startsWith('aia.grad'),
    );
    expect(stemBackward).toHaveLength(1);
    const producer = (graph?.model.graph?.node ?? []).find((n) =>
      n.output?.includes(stemBackward[0]?.input?.[0] ?? ''),
    );
    expect(producer?.op_type).toBe('ReduceSum');
    const expected = batchSum(each.gradients.x);
    Array.from(alone.gradients.x?.data as Float32Array).forEach((v, i) =>
      expect(v).toBeCloseTo(expected[i] as number, 5),
    );
    await cache.dispose();
  });

  it('emits only standard ONNX ops', async () => {
    const m = model(
      [opNode('MatMul', ['x', 'W'], ['h']), opNode('Softmax', ['h'], ['y'], [attr.int('axis', 1)])],
      [floatTensor('W', W, [3, 2])],
    );
    const { gradients, cache } = sessionsFor(m);
    const request = { objective: { tensor: 'y', unitAxis: 1, pool: 'mean' as const }, wrt: ['x'] };
    await gradients.run(feeds, request);
    const graph = await gradients.graph(feeds, request);
    expect(graph?.opset).toBe(17);
    expect((graph?.model.graph?.node ?? []).filter((n) => n.domain && n.domain !== 'ai.onnx')).toEqual([]);
    await cache.dispose();
  });
});
