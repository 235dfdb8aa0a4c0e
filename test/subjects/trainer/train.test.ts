import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { smallCnn } from '../../../subjects/trainer/small-cnn.ts';
import { train, type TrainingSet } from '../../../subjects/trainer/train.ts';
import { readWeights } from '../../../subjects/trainer/weights.ts';
import { createRandom } from '../../../util/random.ts';

/**
 * Training the small CNN on a tiny synthetic problem: class 0 has a bright 2×2 blob in the left
 * half of an 8×8 image, class 1 in the right half, on noise. A few epochs must lower the loss and
 * raise accuracy; the same seed must give bit-identical weights.
 */

function blobs(count: number, seed: number): TrainingSet {
  const random = createRandom(seed);
  const inputs = new Float32Array(count * 3 * 64);
  const targets = new Float32Array(count * 2);
  for (let n = 0; n < count; n++) {
    const label = n % 2;
    for (let i = 0; i < 3 * 64; i++) inputs[n * 192 + i] = 0.2 * random();
    const y = Math.floor(random() * 7);
    const x = label * 4 + Math.floor(random() * 3);
    for (let c = 0; c < 3; c++)
      for (let dy = 0; dy < 2; dy++)
        for (let dx = 0; dx < 2; dx++) inputs[n * 192 + c * 64 + (y + dy) * 8 + x + dx] = 1;
    targets[n * 2 + label] = 1;
  }
  return { inputs, inputShape: [3, 8, 8], targets, targetShape: [2], count };
}

const model = () => smallCnn({ input: [3, 8, 8], classes: 2, conv: [4, 4], hidden: 8, seed: 7 });

describe('train', () => {
  it('lowers the loss and raises accuracy on a tiny problem', async () => {
    const { history } = await train(model(), blobs(64, 1), {
      seed: 3,
      epochs: 6,
      batchSize: 16,
      optimiser: { name: 'adam', learningRate: 0.02 },
      loss: 'cross-entropy',
      quiet: true,
    });
    const first = history[0]!;
    const last = history[history.length - 1]!;
    expect(last.loss).toBeLessThan(first.loss * 0.6);
    expect(last.accuracy).toBeGreaterThan(0.9);
    expect(last.accuracy!).toBeGreaterThan(first.accuracy!);
  });

  it('gives identical weights for the same seed and different ones for another', async () => {
    const run = (seed: number) =>
      train(model(), blobs(32, 1), {
        seed,
        epochs: 2,
        batchSize: 8,
        optimiser: { name: 'sgd', learningRate: 0.05, momentum: 0.9 },
        loss: 'cross-entropy',
        quiet: true,
      });
    const [a, b, c] = await Promise.all([run(5), run(5), run(6)]);
    for (const [name, w] of a.weights)
      expect(Array.from(b.weights.get(name)!.values)).toEqual(Array.from(w.values));
    expect(Array.from(c.weights.get('fc2.weight')!.values)).not.toEqual(
      Array.from(a.weights.get('fc2.weight')!.values),
    );
  });

  it('exports the trained weights as initializers of the plain model', async () => {
    const result = await train(model(), blobs(16, 1), {
      seed: 1,
      epochs: 1,
      batchSize: 8,
      optimiser: { name: 'sgd', learningRate: 0.1 },
      loss: 'cross-entropy',
      quiet: true,
    });
    const exported = readWeights(result.model);
    expect(Array.from(exported.get('conv1.weight')!.values)).toEqual(
      Array.from(result.weights.get('conv1.weight')!.values),
    );
    expect(Array.from(exported.get('conv1.weight')!.values)).not.toEqual(
      Array.from(readWeights(model()).get('conv1.weight')!.values),
    );
    expect(result.model.graph?.input?.map((v) => v.name)).toEqual(['image']);
  });
});

describe('checkpoints', () => {
  it('resuming from an epoch checkpoint gives the weights of an unbroken run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aia-train-'));
    const config = {
      seed: 4,
      epochs: 3,
      batchSize: 8,
      optimiser: { name: 'adam', learningRate: 0.01 },
      loss: 'cross-entropy',
      quiet: true,
    } as const;
    const unbroken = await train(model(), blobs(24, 2), { ...config, checkpointDir: dir });
    expect(existsSync(join(dir, 'epoch-1.onnx'))).toBe(true);
    const resumed = await train(model(), blobs(24, 2), { ...config, resume: join(dir, 'epoch-1.json') });
    expect(resumed.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    for (const [name, w] of unbroken.weights) {
      expect(Array.from(resumed.weights.get(name)!.values)).toEqual(Array.from(w.values));
    }
  });
});

describe('bad training input', () => {
  it('says which checkpoint is missing', async () => {
    await expect(
      train(model(), blobs(8, 1), {
        seed: 1,
        epochs: 1,
        batchSize: 8,
        optimiser: { name: 'sgd', learningRate: 0.1 },
        loss: 'cross-entropy',
        quiet: true,
        resume: '/nonexistent/epoch-1.json',
      }),
    ).rejects.toThrow(/checkpoint file '\/nonexistent\/epoch-1.json' does not exist/);
  });

  it('rejects an unknown optimiser or loss by name', async () => {
    const config = { seed: 1, epochs: 1, batchSize: 8, quiet: true };
    await expect(
      train(model(), blobs(8, 1), {
        ...config,
        optimiser: { name: 'rmsprop', learningRate: 0.1 },
        loss: 'mse',
      } as never),
    ).rejects.toThrow(/optimiser/);
    await expect(
      train(model(), blobs(8, 1), {
        ...config,
        optimiser: { name: 'sgd', learningRate: 0.1 },
        loss: 'hinge',
      } as never),
    ).rejects.toThrow(/loss/);
  });
});
