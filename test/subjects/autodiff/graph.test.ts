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
