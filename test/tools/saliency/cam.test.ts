import { describe, expect, it } from 'vitest';
import { classActivationMap } from '../../../tools/saliency/cam.ts';
import { resizeBilinear } from '../../../tools/saliency/resize.ts';
import { InputError } from '../../../util/errors.ts';

// Feature maps [C=2, h=2, w=2]: F0 = [[1, 2], [3, 4]], F1 = [[0, 1], [0, 1]].
const features = { data: Float32Array.from([1, 2, 3, 4, 0, 1, 0, 1]), channels: 2, height: 2, width: 2 };
// Weights [K=2, C=2]: class 0 = F0 − F1, class 1 = 0.5·F0 + 2·F1.
const weights = { data: Float32Array.from([1, -1, 0.5, 2]), classes: 2, channels: 2 };

describe('classActivationMap', () => {
  it('computes Σ_c w[k,c]·F_c (hand-computed 2×2×2 example)', () => {
    expect(Array.from(classActivationMap(features, weights, 0, { width: 2, height: 2 }).map)).toEqual([
      1, 1, 3, 3,
    ]);
    expect(Array.from(classActivationMap(features, weights, 1, { width: 2, height: 2 }).map)).toEqual([
      0.5, 3, 1.5, 4,
    ]);
  });

  it('upsamples bilinearly to the image size (half-pixel centres, clamped edges)', () => {
    const cam0 = classActivationMap(features, weights, 0, { width: 4, height: 4 });
    expect(cam0).toMatchObject({ width: 4, height: 4 });
    // Rows of [[1, 1], [3, 3]] sampled at source y = 0, 0.25, 0.75, 1.
    expect(Array.from(cam0.map)).toEqual([1, 1, 1, 1, 1.5, 1.5, 1.5, 1.5, 2.5, 2.5, 2.5, 2.5, 3, 3, 3, 3]);
    const cam1 = classActivationMap(features, weights, 1, { width: 4, height: 4 });
    // First row [0.5, 3] sampled at source x = 0, 0.25, 0.75, 1.
    expect(Array.from(cam1.map.subarray(0, 4))).toEqual([0.5, 1.125, 2.375, 3]);
  });

  it('rejects mismatched shapes and an out-of-range class, naming the limit', () => {
    expect(() => classActivationMap(features, weights, 2, { width: 2, height: 2 })).toThrow(/classes 0–1/);
    expect(() =>
      classActivationMap(features, { data: new Float32Array(6), classes: 2, channels: 3 }, 0, {
        width: 2,
        height: 2,
      }),
    ).toThrow(/expects 3 channels but the feature maps have 2/);
    expect(() =>
      classActivationMap({ ...features, data: new Float32Array(7) }, weights, 0, { width: 2, height: 2 }),
    ).toThrow(InputError);
  });
});

describe('resizeBilinear', () => {
  it('is exact for same-size resizing and reproduces constants', () => {
    const src = Float32Array.from([1, 2, 3, 4, 5, 6]);
    expect(Array.from(resizeBilinear(src, 3, 2, 3, 2))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(resizeBilinear(new Float32Array(4).fill(7), 2, 2, 5, 3))).toEqual(
      new Array(15).fill(7),
    );
  });

  it('downsamples by averaging neighbours at half-pixel centres', () => {
    // 4 → 2: output x = 0 samples source 0.5 → mean of 1 and 2.
    expect(Array.from(resizeBilinear(Float32Array.from([1, 2, 3, 4]), 4, 1, 2, 1))).toEqual([1.5, 3.5]);
  });
});
