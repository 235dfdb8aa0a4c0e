import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import {
  FASHION_MNIST_LABELS,
  loadFashionMnist,
  loadFashionMnistSubset,
} from '../../../stimuli/datasets/fashion-mnist.ts';
import { encodeIdx, parseIdx } from '../../../stimuli/datasets/idx.ts';
import {
  GARMENT_THRESHOLD,
  oneHot,
  SQUARE_COLOURS,
  SQUARE_OFFSET,
  SQUARE_SIZE,
  withSquares,
} from '../../../stimuli/datasets/spurious-square.ts';

describe('IDX reader', () => {
  it('round-trips an array, gzipped or not', () => {
    const array = { dims: [2, 3], data: Uint8Array.from([1, 2, 3, 4, 5, 6]) };
    const bytes = encodeIdx(array);
    expect(parseIdx(bytes, 'x')).toEqual(array);
    expect(parseIdx(gzipSync(bytes), 'x')).toEqual(array);
  });

  it('names what is wrong with a bad file', () => {
    expect(() => parseIdx(Uint8Array.from([1, 2, 3, 4]), 'f.idx')).toThrow(/f.idx is not an IDX file/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]), 'f.idx')).toThrow(
      /type 0xd/,
    );
    const truncated = encodeIdx({ dims: [4], data: Uint8Array.from([1, 2, 3, 4]) }).subarray(0, 10);
    expect(() => parseIdx(truncated, 'f.idx')).toThrow(/should hold 4 values .* holds 2; is it truncated/);
  });

  it('says how to install the full dataset when it is missing', () => {
    expect(() => loadFashionMnist('train', '/nonexistent')).toThrow(/apt-get install dataset-fashion-mnist/);
  });
});

describe('Fashion-MNIST subset', () => {
  const subset = loadFashionMnistSubset();

  it('holds 1,000 test images of 28×28, 100 per class', () => {
    expect(subset.count).toBe(1000);
    expect([subset.height, subset.width]).toEqual([28, 28]);
    const perClass = new Array<number>(FASHION_MNIST_LABELS.length).fill(0);
    for (const label of subset.labels) perClass[label]!++;
    expect(perClass).toEqual(new Array<number>(10).fill(100));
  });

  it('puts a square of the label colour (correlated) or another class colour (broken)', () => {
    const correlated = withSquares(subset, 'correlated', 1);
    const broken = withSquares(subset, 'broken', 1);
    const pixels = 28 * 28;
    for (let n = 0; n < 50; n++) {
      expect(correlated.annotations[n]!.squareClass).toBe(subset.labels[n]);
      expect(broken.annotations[n]!.squareClass).not.toBe(subset.labels[n]);
      const colour = SQUARE_COLOURS[correlated.annotations[n]!.squareClass!]!;
      const p = SQUARE_OFFSET * 28 + SQUARE_OFFSET;
      for (let c = 0; c < 3; c++)
        expect(correlated.tensor[n * 3 * pixels + c * pixels + p]).toBeCloseTo(colour[c]! / 255, 6);
    }
    // Broken colours cover every other class, not one fixed shift.
    expect(new Set(broken.annotations.map((a) => (a.squareClass! - a.label + 10) % 10)).size).toBe(9);
  });

  it('annotates garment and square masks that do not overlap', () => {
    const set = withSquares(subset, 'correlated', 1);
    let squarePixels = 0;
    let overlap = 0;
    for (let i = 0; i < set.garmentMasks.length; i++) {
      overlap += set.garmentMasks[i]! & set.squareMasks[i]!;
      squarePixels += set.squareMasks[i]!;
    }
    expect(overlap).toBe(0);
    expect(squarePixels).toBe(1000 * SQUARE_SIZE * SQUARE_SIZE);
    // Garment pixels are the bright ones of the grey image.
    const n = 0;
    const p = 14 * 28 + 14;
    expect(set.garmentMasks[n * 784 + p]).toBe(subset.images[p]! > GARMENT_THRESHOLD ? 1 : 0);
    expect(Array.from(oneHot(Uint8Array.from([2]), 4))).toEqual([0, 0, 1, 0]);
  });

  it('draws the same squares from the same seed', () => {
    expect(withSquares(subset, 'broken', 5).annotations).toEqual(
      withSquares(subset, 'broken', 5).annotations,
    );
    expect(withSquares(subset, 'none', 5).annotations[0]!.square).toBeUndefined();
  });
});
