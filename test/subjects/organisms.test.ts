import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { loadFashionMnistSubset } from '../../stimuli/datasets/fashion-mnist.ts';
import { TEST_SQUARE_SEEDS, withSquares } from '../../stimuli/datasets/spurious-square.ts';
import { loadSubject } from '../../subjects/load.ts';
import { argmaxRows } from '../../subjects/trainer/evaluate.ts';
import { zooEntry } from '../../subjects/zoo.ts';

/**
 * The committed spurious pair does what its metrics say: on the test subset, the spurious model is
 * right when the square's colour names the label and mostly wrong when it names another class; the
 * normal model is as accurate either way.
 */

const subset = loadFashionMnistSubset();

async function accuracyOn(name: string, variant: 'correlated' | 'broken'): Promise<number> {
  const set = withSquares(subset, variant, TEST_SQUARE_SEEDS[variant]);
  const subject = await loadSubject(name);
  try {
    const out = await subject.run(new ort.Tensor('float32', set.tensor, [set.count, 3, 28, 28]));
    const predicted = argmaxRows(out.logits!.data as Float32Array, 10);
    return predicted.filter((p, n) => p === set.labels[n]).length / set.count;
  } finally {
    await subject.dispose();
  }
}

describe('the spurious pair', () => {
  for (const name of ['fashion-normal', 'fashion-spurious']) {
    it(`${name} loads from the zoo and matches its metrics.json`, async () => {
      const entry = zooEntry(name)!;
      expect(entry.installed).toBe(true);
      const metrics = JSON.parse(
        readFileSync(entry.manifestPath.replace('subject.json', 'metrics.json'), 'utf8'),
      ) as {
        accuracy: { correlated: number; broken: number };
      };
      expect(await accuracyOn(name, 'correlated')).toBeCloseTo(metrics.accuracy.correlated, 6);
      expect(await accuracyOn(name, 'broken')).toBeCloseTo(metrics.accuracy.broken, 6);
    });
  }

  it('the spurious model falls on broken data and the normal one does not', async () => {
    const spurious = {
      holds: await accuracyOn('fashion-spurious', 'correlated'),
      broken: await accuracyOn('fashion-spurious', 'broken'),
    };
    const normal = {
      holds: await accuracyOn('fashion-normal', 'correlated'),
      broken: await accuracyOn('fashion-normal', 'broken'),
    };
    expect(spurious.holds).toBeGreaterThan(0.95);
    expect(spurious.broken).toBeLessThan(0.5);
    expect(normal.holds).toBeGreaterThan(0.8);
    expect(Math.abs(normal.holds - normal.broken)).toBeLessThan(0.03);
  });
});
