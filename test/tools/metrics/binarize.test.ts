import { describe, expect, it } from 'vitest';
import { binarizeSaliency, normalizeSaliency } from '../../../tools/metrics/binarize.ts';
import { InputError } from '../../../util/errors.ts';

describe('normalizeSaliency', () => {
  it('maps min → 0 and max → 1, and a constant map to zeros', () => {
    expect(Array.from(normalizeSaliency([-2, 0, 2]))).toEqual([0, 0.5, 1]);
    expect(Array.from(normalizeSaliency([4, 4]))).toEqual([0, 0]);
  });
});

describe('binarizeSaliency', () => {
  it('mean + 1 std keeps the values that stand out', () => {
    // Normalised [0, 0, 0, 0, 0, 0, 0.5, 1]: mean 0.1875, std ≈ 0.348 → threshold ≈ 0.536.
    const map = [0, 0, 0, 0, 0, 0, 5, 10];
    expect(Array.from(binarizeSaliency(map))).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(Array.from(binarizeSaliency(map, { method: 'mean-std', numStd: 0 }))).toEqual([
      0, 0, 0, 0, 0, 0, 1, 1,
    ]);
  });

  it('a fixed threshold applies to the normalised map', () => {
    expect(Array.from(binarizeSaliency([0, 1, 2, 3, 4], { method: 'threshold', value: 0.5 }))).toEqual([
      0, 0, 1, 1, 1,
    ]);
  });

  it('top-fraction keeps exactly round(fraction·N) pixels, breaking ties by lower index', () => {
    const map = [1, 5, 3, 5, 5, 0];
    expect(Array.from(binarizeSaliency(map, { method: 'top-fraction', fraction: 0.5 }))).toEqual([
      0, 1, 0, 1, 1, 0,
    ]);
    // Three tied 5s but only two places: the first two win.
    expect(Array.from(binarizeSaliency(map, { method: 'top-fraction', fraction: 2 / 6 }))).toEqual([
      0, 1, 0, 1, 0, 0,
    ]);
    expect(Array.from(binarizeSaliency(map, { method: 'top-fraction', fraction: 0 }))).toEqual([
      0, 0, 0, 0, 0, 0,
    ]);
    expect(Array.from(binarizeSaliency(map, { method: 'top-fraction', fraction: 1 }))).toEqual([
      1, 1, 1, 1, 1, 1,
    ]);
  });

  it('returns an empty region for a constant map, whatever the method', () => {
    for (const b of [
      { method: 'mean-std' },
      { method: 'threshold', value: 0 },
      { method: 'top-fraction', fraction: 0.5 },
    ] as const) {
      expect(Array.from(binarizeSaliency([2, 2, 2, 2], b))).toEqual([0, 0, 0, 0]);
    }
  });

  it('rejects bad input with a message naming the problem', () => {
    expect(() => binarizeSaliency([1, Infinity])).toThrow(/non-finite value \(Infinity\) at pixel 1/);
    expect(() => binarizeSaliency([])).toThrow(InputError);
    expect(() => binarizeSaliency([1, 2], { method: 'top-fraction', fraction: 1.5 })).toThrow(/\[0, 1\]/);
    expect(() => binarizeSaliency([1, 2], { method: 'threshold', value: -1 })).toThrow(InputError);
    expect(() => binarizeSaliency([1, 2], { method: 'otsu' } as never)).toThrow(
      /unknown binarization method 'otsu'/,
    );
  });
});
