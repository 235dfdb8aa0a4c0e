import { describe, expect, it } from 'vitest';
import { ElemType, type ModelProto } from '../../../subjects/onnx/proto.ts';
import { createOptimiser } from '../../../subjects/trainer/optimisers.ts';
import { floatTensor } from '../../../subjects/trainer/small-cnn.ts';
import { train } from '../../../subjects/trainer/train.ts';

/**
 * SGD with momentum and Adam against a hand computation on a 2-parameter problem: y = w·x with
 * x = (1, 2), target 3, loss (y − 3)², starting at w = (0.5, −0.5). Step 1: y = −0.5, gradient
 * 2(y − 3)·x = (−7, −14). The numbers below were worked by hand from PyTorch's update rules.
 */

function linear(): ModelProto {
  return {
    ir_version: 8,
    opset_import: [{ domain: '', version: 17 }],
    graph: {
      name: 'linear',
      node: [{ op_type: 'MatMul', name: 'y', input: ['x', 'w'], output: ['y'] }],
      initializer: [floatTensor('w', [2, 1], Float32Array.from([0.5, -0.5]))],
      input: [{ name: 'x', type: { tensor_type: { elem_type: ElemType.FLOAT } } }],
      output: [{ name: 'y', type: { tensor_type: { elem_type: ElemType.FLOAT } } }],
    },
  };
}

const oneExample = {
  inputs: Float32Array.from([1, 2]),
  inputShape: [2],
  targets: Float32Array.from([3]),
  targetShape: [1],
  count: 1,
};

async function twoSteps(optimiser: Parameters<typeof train>[2]['optimiser']): Promise<number[]> {
  const { weights } = await train(linear(), oneExample, {
    seed: 0,
    epochs: 2,
    batchSize: 1,
    optimiser,
    loss: 'mse',
    quiet: true,
  });
  return Array.from(weights.get('w')!.values);
}

describe('optimisers', () => {
  it('SGD with momentum matches the hand computation through the gradient graph', async () => {
    // Step 1: v = g = (−7, −14), w = (0.5, −0.5) − 0.1·v = (1.2, 0.9). Step 2: y = 3, g = 0,
    // v = 0.9·(−7, −14) = (−6.3, −12.6), w = (1.2, 0.9) + (0.63, 1.26) = (1.83, 2.16).
    const w = await twoSteps({ name: 'sgd', learningRate: 0.1, momentum: 0.9 });
    expect(w[0]).toBeCloseTo(1.83, 5);
    expect(w[1]).toBeCloseTo(2.16, 5);
  });

  it('Adam matches the hand computation through the gradient graph', async () => {
    // Step 1: m̂ = g, v̂ = g², so each weight moves by lr = 0.1 against the sign: w = (0.6, −0.4).
    // Step 2: y = −0.2, g = (−6.4, −12.8); m = (−1.27, −2.54), v = (0.089911, 0.359644);
    // m̂ = m/0.19, v̂ = v/0.001999 → steps 0.099667, 0.099668 → w = (0.699667, −0.300333).
    const w = await twoSteps({ name: 'adam', learningRate: 0.1 });
    expect(w[0]).toBeCloseTo(0.699667, 5);
    expect(w[1]).toBeCloseTo(-0.300333, 5);
  });

  it('restores its state from a checkpoint and continues identically', () => {
    const a = createOptimiser({ name: 'adam', learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    const w = Float32Array.from([1, -1]);
    const g = new Map([['w', Float32Array.from([0.5, -2])]]);
    a.step(new Map([['w', w]]), g);
    const b = createOptimiser({ name: 'adam', learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    b.restore(JSON.parse(JSON.stringify(a.state())));
    const wa = Float32Array.from(w);
    const wb = Float32Array.from(w);
    a.step(new Map([['w', wa]]), g);
    b.step(new Map([['w', wb]]), g);
    expect(Array.from(wb)).toEqual(Array.from(wa));
  });

  it('rejects a gradient of the wrong length', () => {
    const sgd = createOptimiser({ name: 'sgd', learningRate: 0.1, momentum: 0 });
    expect(() =>
      sgd.step(new Map([['w', new Float32Array(2)]]), new Map([['w', new Float32Array(3)]])),
    ).toThrow(/3 values, the parameter 2/);
  });
});
