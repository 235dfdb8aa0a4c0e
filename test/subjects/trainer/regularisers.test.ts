import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { ModelProto } from '../../../subjects/onnx/proto.ts';
import { createSession, defaultSessionOptions } from '../../../subjects/onnx/session.ts';
import { magnitudeMasks } from '../../../subjects/trainer/prune.ts';
import { smallCnn } from '../../../subjects/trainer/small-cnn.ts';
import { train, type TrainConfigInput, type ValueSet } from '../../../subjects/trainer/train.ts';
import { createRandom } from '../../../util/random.ts';

/**
 * The regularisers on a tiny problem (4×4 images, class = which half is brighter): each must do
 * what it says — L1 shrinks what it penalises, pruning zeroes a fraction that stays zero, an
 * auxiliary loss makes a chosen unit follow its target.
 */

function halves(count: number): ValueSet {
  const random = createRandom(11);
  const inputs = new Float32Array(count * 3 * 16);
  const targets = new Float32Array(count * 2);
  for (let n = 0; n < count; n++) {
    const label = n % 2;
    for (let c = 0; c < 3; c++)
      for (let p = 0; p < 16; p++) {
        const right = p % 4 >= 2;
        inputs[n * 48 + c * 16 + p] = (right === (label === 1) ? 0.8 : 0.1) + 0.2 * random();
      }
    targets[n * 2 + label] = 1;
  }
  return { inputs, inputShape: [3, 4, 4], targets, targetShape: [2], count };
}

const tiny = () => smallCnn({ input: [3, 4, 4], classes: 2, conv: [4, 4], hidden: 6, seed: 2 });
const base: TrainConfigInput = {
  seed: 1,
  epochs: 4,
  batchSize: 8,
  optimiser: { name: 'adam', learningRate: 0.02 },
  loss: 'cross-entropy',
  quiet: true,
};

async function site(model: ModelProto, name: string, set: ValueSet): Promise<Float32Array> {
  const probe = { ...model, graph: { ...model.graph, output: [{ name }] } };
  const session = await createSession(probe, defaultSessionOptions(), '.', 'test');
  try {
    const out = await session.run({
      image: new ort.Tensor('float32', set.inputs, [set.count, ...set.inputShape]),
    });
    return out[name]!.data as Float32Array;
  } finally {
    await session.release();
  }
}

const sumAbs = (values: Float32Array) => values.reduce((s, v) => s + Math.abs(v), 0);

describe('regularisers', () => {
  it('L1 on weights shrinks them', async () => {
    const set = halves(32);
    const plain = await train(tiny(), set, base);
    const sparse = await train(tiny(), set, { ...base, weightL1: { weight: 0.05, params: ['fc1.weight'] } });
    expect(sumAbs(sparse.weights.get('fc1.weight')!.values)).toBeLessThan(
      0.7 * sumAbs(plain.weights.get('fc1.weight')!.values),
    );
  });

  it('L1 on an activation shrinks that activation and counts in the total loss', async () => {
    const set = halves(32);
    const plain = await train(tiny(), set, base);
    const sparse = await train(tiny(), set, { ...base, activationL1: [{ site: 'fc1_relu', weight: 0.05 }] });
    expect(sparse.history[0]!.total).toBeGreaterThan(sparse.history[0]!.loss);
    const a = sumAbs(await site(plain.model, 'fc1_relu', set));
    const b = sumAbs(await site(sparse.model, 'fc1_relu', set));
    expect(b).toBeLessThan(0.5 * a);
  });

  it('magnitude pruning zeroes the smallest weights and keeps them zero', async () => {
    const set = halves(32);
    const { weights } = await train(tiny(), set, {
      ...base,
      prune: { fraction: 0.5, afterEpoch: 2, params: ['fc1.weight'] },
    });
    const values = weights.get('fc1.weight')!.values;
    expect(values.filter((v) => v === 0).length).toBeGreaterThanOrEqual(Math.floor(values.length / 2));
  });

  it('masks exactly the given fraction, smallest magnitudes first', () => {
    const masks = magnitudeMasks(
      new Map([['w', { dims: [4], values: Float32Array.from([0.3, -0.1, 2, -0.05]) }]]),
      ['w'],
      0.5,
    );
    expect(Array.from(masks.get('w')!)).toEqual([1, 0, 1, 0]);
  });

  it('an auxiliary loss trains a chosen unit toward its target', async () => {
    const set = halves(32);
    // Unit 2 of conv2_relu should be 1 (spatial mean) on class-1 images and 0 on class-0 ones.
    const targets = new Float32Array(set.count);
    for (let n = 0; n < set.count; n++) targets[n] = n % 2;
    const result = await train(
      tiny(),
      { ...set, auxiliaryTargets: { planted: { values: targets, shape: [1] } } },
      {
        ...base,
        epochs: 8,
        auxiliary: [{ name: 'planted', site: 'conv2_relu', units: [2], weight: 1 }],
      },
    );
    const first = result.history[0]!;
    const last = result.history[result.history.length - 1]!;
    expect(last.total - last.loss).toBeLessThan(0.3 * (first.total - first.loss));
    const activations = await site(result.model, 'conv2_relu', set);
    // conv2_relu is [N, 4, 2, 2]: the mean of unit 2 per image.
    const mean = (n: number) => activations.subarray(n * 16 + 8, n * 16 + 12).reduce((s, v) => s + v, 0) / 4;
    const class1 = Array.from({ length: 16 }, (_, k) => mean(2 * k + 1));
    const class0 = Array.from({ length: 16 }, (_, k) => mean(2 * k));
    expect(Math.min(...class1)).toBeGreaterThan(Math.max(...class0));
  });

  it('says which auxiliary targets are missing and which weights are unknown', async () => {
    const set = halves(8);
    await expect(
      train(tiny(), set, { ...base, auxiliary: [{ name: 'x', site: 'conv2_relu', units: [0] }] }),
    ).rejects.toThrow(/no targets were given for auxiliary loss 'x'/);
    await expect(train(tiny(), set, { ...base, params: ['nope'] })).rejects.toThrow(/no weight 'nope'/);
    await expect(
      train(tiny(), set, { ...base, activationL1: [{ site: 'nope', weight: 1 }] }),
    ).rejects.toThrow(/no tensor 'nope'/);
    await expect(train(tiny(), { ...set, count: 4 }, { ...base })).rejects.toThrow(/hold/);
  });
});
