import { describe, expect, it } from 'vitest';
import { buildGpt2Model } from '../../../subjects/language-model/build-gpt2.ts';
import { corpusLoss } from '../../../subjects/language-model/corpus-loss.ts';
import { randomGpt2Weights, type Gpt2Config } from '../../../subjects/language-model/gpt2-weights.ts';
import { tokenWindows } from '../../../subjects/language-model/token-windows.ts';
import { smallCnn } from '../../../subjects/trainer/small-cnn.ts';
import { train, type TokenSet } from '../../../subjects/trainer/train.ts';

/**
 * Training a language model: int64 token windows in, the next-token loss (the target's
 * log-probability picked inside the graph) out. A tiny GPT learns a deterministic sequence; the
 * trainer's loss at the initial weights equals the loss computed apart from the graph; a set of the
 * wrong kind for the loss is refused.
 */

const config: Gpt2Config = { vocabSize: 13, contextLength: 8, layers: 1, heads: 2, width: 16 };
const gpt = (seed = 5) =>
  buildGpt2Model(config, randomGpt2Weights(config, seed, 5), { style: 'torchscript' });

/** id t+1 = (3·id t + 1) mod 13 from a few starting ids: learnable from the last token alone. */
function sequenceSet(count: number): TokenSet {
  const ids: number[] = [];
  let x = 0;
  for (let i = 0; i < count * config.contextLength + 1; i++) {
    ids.push(x);
    x = i % 23 === 22 ? (x + 5) % 13 : (3 * x + 1) % 13;
  }
  return { kind: 'tokens', ...tokenWindows(ids, config.contextLength) };
}

const base = {
  seed: 2,
  batchSize: 8,
  loss: 'next-token' as const,
  graphOptimization: 'basic' as const,
  quiet: true,
};

describe('training on token windows', () => {
  it('reports at the initial weights the loss measured outside the graph', async () => {
    const set = sequenceSet(8);
    const model = gpt();
    const expected = await corpusLoss(model, set);
    // One step over the whole set: the step's loss is computed before its update.
    const { history } = await train(model, set, {
      ...base,
      epochs: 1,
      optimiser: { name: 'sgd', learningRate: 0.1 },
    });
    expect(history[0]!.loss).toBeCloseTo(expected, 4);
    expect(expected).toBeGreaterThan(1);
  });

  it('learns a deterministic sequence: the loss falls far below ln(vocabulary)', async () => {
    const set = sequenceSet(32);
    const { model, history } = await train(gpt(), set, {
      ...base,
      epochs: 8,
      optimiser: { name: 'adam', learningRate: 0.02 },
      schedule: { warmupSteps: 2, decay: 'cosine' },
      clipNorm: 1,
    });
    const held = await corpusLoss(model, sequenceSet(4));
    expect(history[0]!.loss).toBeGreaterThan(1.5);
    expect(history.at(-1)!.loss).toBeLessThan(0.5);
    expect(held).toBeLessThan(0.5);
    expect(history.at(-1)!.accuracy).toBeGreaterThan(0.8);
  }, 60_000);

  it('refuses a set of the wrong kind for the loss', async () => {
    await expect(
      train(gpt(), sequenceSet(8), {
        ...base,
        epochs: 1,
        loss: 'cross-entropy',
        optimiser: { name: 'sgd', learningRate: 0.1 },
      }),
    ).rejects.toThrow(/needs float targets.*token windows/);
    const cnn = smallCnn({ input: [1, 4, 4], classes: 2, conv: [2, 2], hidden: 4, seed: 1 });
    const values = {
      inputs: new Float32Array(8 * 16),
      inputShape: [1, 4, 4],
      targets: new Float32Array(16),
      targetShape: [2],
      count: 8,
    };
    await expect(
      train(cnn, values, { ...base, epochs: 1, optimiser: { name: 'sgd', learningRate: 0.1 } }),
    ).rejects.toThrow(/needs a token set/);
    await expect(
      train(
        gpt(),
        { kind: 'tokens', windows: new Int32Array(10), length: 8, count: 2 },
        { ...base, epochs: 1, optimiser: { name: 'sgd', learningRate: 0.1 } },
      ),
    ).rejects.toThrow(/token windows hold 10 ids, not 2 × \(length 8 \+ 1\)/);
  });
});
