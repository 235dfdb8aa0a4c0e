import { describe, expect, it } from 'vitest';
import { riseSaliency } from '../../../tools/saliency/rise.ts';
import { sharedInterest } from '../../../tools/metrics/shared-interest.ts';
import { pointingGameHit } from '../../../tools/metrics/pointing-game.ts';
import { InputError } from '../../../util/errors.ts';
import type { RgbImage } from '../../../util/image.ts';
import { squareToy } from './toy.ts';

describe('riseSaliency', () => {
  it('recovers the square the toy scorer looks at (fixed seed, N = 1000)', async () => {
    const { image, square, score } = squareToy(32, 4, 14, 12);
    const { map, width, height } = await riseSaliency(image, score, { masks: 1000, seed: 1 });
    expect(sharedInterest(map, square).iou).toBeGreaterThanOrEqual(0.5);
    expect(
      sharedInterest(map, square, { binarization: { method: 'ground-truth-area' } }).iou,
    ).toBeGreaterThanOrEqual(0.5);
    expect(pointingGameHit({ map, groundTruth: square, width, height }).hit).toBe(true);
  });

  it('gives identical maps for the same seed, different maps for another seed, whatever the batch size', async () => {
    const { image, score } = squareToy(24, 4, 4, 8);
    const a = await riseSaliency(image, score, { masks: 200, seed: 5, batchSize: 16 });
    const b = await riseSaliency(image, score, { masks: 200, seed: 5, batchSize: 50 });
    const c = await riseSaliency(image, score, { masks: 200, seed: 6 });
    expect(Array.from(a.map)).toEqual(Array.from(b.map));
    expect(Array.from(a.map)).not.toEqual(Array.from(c.map));
  });

  it('normalises by N·p: a constant score of 1 gives a map of about 1 everywhere', async () => {
    const image: RgbImage = { width: 20, height: 16, data: new Uint8Array(20 * 16 * 3).fill(200) };
    for (const probability of [0.5, 0.25]) {
      const { map } = await riseSaliency(image, async (images) => new Float32Array(images.length).fill(1), {
        masks: 2000,
        probability,
        seed: 2,
      });
      const mean = map.reduce((s, v) => s + v, 0) / map.length;
      expect(mean).toBeGreaterThan(0.95);
      expect(mean).toBeLessThan(1.05);
    }
  });

  it('passes masked images (image × mask, values in [0, 255]) to the scorer in batches', async () => {
    const image: RgbImage = { width: 10, height: 10, data: new Uint8Array(300).fill(100) };
    const batchSizes: number[] = [];
    let maxValue = 0;
    let sawPartial = false;
    await riseSaliency(
      image,
      async (images) => {
        batchSizes.push(images.length);
        for (const im of images) {
          for (const v of im.data) {
            maxValue = Math.max(maxValue, v);
            if (v > 0 && v < 100) sawPartial = true;
          }
        }
        return new Float32Array(images.length);
      },
      { masks: 45, batchSize: 20, gridSize: 3 },
    );
    expect(batchSizes).toEqual([20, 20, 5]);
    expect(maxValue).toBeLessThanOrEqual(100);
    expect(sawPartial).toBe(true); // bilinear upsampling makes soft mask edges
  });

  it('rejects bad options', async () => {
    const { image, score } = squareToy(16, 2, 2, 4);
    await expect(riseSaliency(image, score, { probability: 0 })).rejects.toThrow(
      /probability must be in \(0, 1\]/,
    );
    await expect(riseSaliency(image, score, { gridSize: 17 })).rejects.toThrow(
      /gridSize must be an integer in \[1, 16\]/,
    );
    await expect(riseSaliency(image, score, { masks: 0 })).rejects.toThrow(InputError);
    await expect(riseSaliency(image, score, { seed: 0.5 })).rejects.toThrow(/seed must be an integer/);
  });
});
