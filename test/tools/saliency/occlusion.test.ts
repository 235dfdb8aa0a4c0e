import { describe, expect, it } from 'vitest';
import { occlusionSaliency } from '../../../tools/saliency/occlusion.ts';
import { sharedInterest } from '../../../tools/metrics/shared-interest.ts';
import { pointingGameHit, saliencyPeak } from '../../../tools/metrics/pointing-game.ts';
import { InputError } from '../../../util/errors.ts';
import type { RgbImage } from '../../../util/image.ts';
import { squareToy } from './toy.ts';

describe('occlusionSaliency', () => {
  it('finds the square the toy scorer looks at', async () => {
    const { image, square, score } = squareToy(48, 8, 20, 16);
    const { map, width, height } = await occlusionSaliency(image, score);
    expect([width, height]).toEqual([48, 48]);
    const peak = saliencyPeak(map, width, height);
    expect(square[peak.y * width + peak.x]).toBe(1);
    expect(pointingGameHit({ map, groundTruth: square, width, height }).hit).toBe(true);
    const scores = sharedInterest(map, square);
    expect(scores.iou).toBeGreaterThanOrEqual(0.5);
    // Occluding background pixels cannot change this score.
    expect(map[0]).toBe(0);
    expect(map[47 * 48 + 47]).toBe(0);
  });

  it('averages the score drop over the patches covering each pixel (hand-computed)', async () => {
    // 4×4 black image with one white pixel at (1, 1); the score is that pixel's brightness.
    const data = new Uint8Array(4 * 4 * 3);
    data.fill(255, (1 * 4 + 1) * 3, (1 * 4 + 1) * 3 + 3);
    const image: RgbImage = { width: 4, height: 4, data };
    const score = async (images: RgbImage[]) =>
      Float32Array.from(images, (im) => im.data[(1 * 4 + 1) * 3] as number);
    // Patch 2, stride 1: starts 0, 1, 2 on each axis; grey fill turns 255 into 128, a drop of 127.
    const { map } = await occlusionSaliency(image, score, { patchSize: 2, stride: 1 });
    expect(map[0 * 4 + 0]).toBeCloseTo(127, 5); // one patch covers it, and it hides (1, 1)
    expect(map[1 * 4 + 1]).toBeCloseTo(127, 5); // all four covering patches hide (1, 1)
    expect(map[1 * 4 + 2]).toBeCloseTo(127 / 2, 5); // two of four covering patches hide (1, 1)
    expect(map[2 * 4 + 2]).toBeCloseTo(127 / 4, 5); // one of four
    expect(map[3 * 4 + 3]).toBe(0); // the only patch covering it misses (1, 1)
  });

  it('is deterministic and independent of the batch size', async () => {
    const { image, score } = squareToy(32, 4, 6, 10);
    const a = await occlusionSaliency(image, score, { batchSize: 7 });
    const b = await occlusionSaliency(image, score, { batchSize: 64 });
    expect(Array.from(a.map)).toEqual(Array.from(b.map));
  });

  it('scores all occluded copies in batches of the requested size, plus the baseline', async () => {
    const toy = squareToy(48, 8, 20, 16);
    // Patch 6, stride 3 on 48 px: starts 0, 3, …, 39 and 42 → 15 per axis, 225 patches.
    const progress: string[] = [];
    await occlusionSaliency(toy.image, toy.score, {
      patchSize: 6,
      stride: 3,
      batchSize: 32,
      onProgress: (done, total) => progress.push(`${done}/${total}`),
    });
    expect(toy.stats()).toEqual({ calls: 1 + Math.ceil(225 / 32), imagesScored: 226 });
    expect(progress).toEqual([
      '32/225',
      '64/225',
      '96/225',
      '128/225',
      '160/225',
      '192/225',
      '224/225',
      '225/225',
    ]);
  });

  it('uses the fill: a white fill over a white square changes nothing, a blur does', async () => {
    const { image, square, score } = squareToy(32, 8, 8, 12);
    const white = await occlusionSaliency(image, score, { fill: [255, 255, 255] });
    expect(Math.max(...white.map)).toBe(0);
    const blurred = await occlusionSaliency(image, score, { fill: 'blur' });
    const peak = saliencyPeak(blurred.map, 32, 32);
    expect(square[peak.y * 32 + peak.x]).toBe(1);
    expect(Math.max(...blurred.map)).toBeGreaterThan(0);
  });

  it('leaves the input image untouched, even when its data is a Node Buffer', async () => {
    const data = Buffer.alloc(8 * 8 * 3, 200);
    const before = Buffer.from(data);
    await occlusionSaliency(
      { width: 8, height: 8, data },
      async (images) => new Float32Array(images.length),
      {
        patchSize: 2,
      },
    );
    expect(before.equals(data)).toBe(true);
  });

  it('rejects bad options with the limit in the message', async () => {
    const { image, score } = squareToy(16, 2, 2, 4);
    await expect(occlusionSaliency(image, score, { patchSize: 17 })).rejects.toThrow(
      /patchSize must be an integer in \[1, 16\]/,
    );
    await expect(occlusionSaliency(image, score, { stride: 0 })).rejects.toThrow(InputError);
    await expect(occlusionSaliency(image, score, { fill: [300, 0, 0] })).rejects.toThrow(/0–255/);
    await expect(occlusionSaliency({ width: 4, height: 4, data: new Uint8Array(3) }, score)).rejects.toThrow(
      /needs 48/,
    );
  });

  it('rejects a score callback that returns the wrong number of scores', async () => {
    const { image } = squareToy(16, 2, 2, 4);
    await expect(occlusionSaliency(image, async () => new Float32Array(0))).rejects.toThrow(
      /returned 0 values for 1 images/,
    );
  });
});
