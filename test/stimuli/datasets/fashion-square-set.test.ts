import { describe, expect, it } from 'vitest';
import { loadFashionMnistSubset } from '../../../stimuli/datasets/fashion-mnist.ts';
import { loadDataset, parseSetRef } from '../../../stimuli/datasets/registry.ts';
import {
  SQUARE_COLOUR_NAMES,
  SQUARE_COLOURS,
  SQUARE_SIZE,
  TEST_SQUARE_SEEDS,
  withSquares,
} from '../../../stimuli/datasets/spurious-square.ts';

const dataset = loadDataset('fashion-mnist-square');
const grey = loadFashionMnistSubset();
const W = 28;

const pixel = (data: Uint8Array, x: number, y: number) =>
  Array.from(data.subarray(3 * (y * W + x), 3 * (y * W + x) + 3));
const count = (mask: Uint8Array | undefined) => (mask ?? new Uint8Array()).reduce((n, v) => n + v, 0);

describe('fashion-mnist-square dataset stimuli', () => {
  it('draws the same images as the organisms were evaluated on, with exact masks and annotations', () => {
    const set = withSquares(grey, 'broken', TEST_SQUARE_SEEDS.broken);
    for (const index of [0, 7, 512]) {
      const image = dataset.image('broken', index);
      const base = index * 3 * W * W;
      // Same pixels as the evaluation tensor ([3, H, W] floats) wherever we look.
      for (const [x, y] of [
        [2, 2],
        [14, 14],
        [27, 0],
      ] as const) {
        const p = y * W + x;
        const expected = [0, 1, 2].map((c) => Math.round((set.tensor[base + c * W * W + p] as number) * 255));
        expect(pixel(image.image.data, x, y)).toEqual(expected);
      }
      const square = image.annotation.concepts.find((c) => c.name === 'square');
      expect(square?.colour).toBe(SQUARE_COLOUR_NAMES[set.annotations[index]?.squareClass as number]);
      expect(square?.colour).not.toBe(SQUARE_COLOUR_NAMES[image.annotation.labelIndex]);
      expect(count(image.masks.get('square'))).toBe(SQUARE_SIZE * SQUARE_SIZE);
      expect(image.id).toBe(`fashion-mnist-square/broken#${index}`);
    }
  });

  it('removes the square exactly: the garment pixels under it come back, masks follow', () => {
    const index = 3;
    const before = dataset.image('correlated', index);
    const after = dataset.image('correlated', index, [{ op: 'remove', concept: 'square' }]);
    expect(count(after.masks.get('square'))).toBe(0);
    const g = grey.images[index * W * W + 2 * W + 2] as number;
    expect(pixel(after.image.data, 2, 2)).toEqual([g, g, g]);
    // Nothing outside the square changed.
    let changed = 0;
    for (let p = 0; p < W * W; p++) if (before.image.data[3 * p] !== after.image.data[3 * p]) changed++;
    expect(changed).toBeLessThanOrEqual(SQUARE_SIZE * SQUARE_SIZE);
    expect(after.annotation.concepts.map((c) => c.name)).toEqual(['garment']);
  });

  it('recolours and moves the square, and removes the garment', () => {
    const recoloured = dataset.image('correlated', 0, [
      { op: 'recolour', concept: 'square', colour: 'blue' },
    ]);
    expect(pixel(recoloured.image.data, 2, 2)).toEqual([...(SQUARE_COLOURS[3] as readonly number[])]);
    const moved = dataset.image('correlated', 0, [{ op: 'move', concept: 'square', to: 'bottom-right' }]);
    const mask = moved.masks.get('square') as Uint8Array;
    expect(mask[2 * W + 2]).toBe(0);
    expect(mask[25 * W + 25]).toBe(1);
    expect(moved.annotation.concepts.find((c) => c.name === 'square')?.box).toEqual({
      x: 23,
      y: 23,
      width: 4,
      height: 4,
    });
    const bare = dataset.image('correlated', 0, [{ op: 'remove', concept: 'garment' }]);
    expect(count(bare.masks.get('garment'))).toBe(0);
    expect(count(bare.masks.get('square'))).toBe(16);
  });

  it('names what is wrong with a bad set, index or edit', () => {
    expect(() => dataset.image('brokn', 0)).toThrow(/no set 'brokn'.*broken/);
    expect(() => dataset.image('broken', 5000)).toThrow(/images 0–999/);
    expect(() => dataset.image('none', 0, [{ op: 'recolour', concept: 'square', colour: 'red' }])).toThrow(
      /no square/,
    );
    expect(() => dataset.image('broken', 0, [{ op: 'recolour', concept: 'square', colour: 'teal' }])).toThrow(
      /not a square colour/,
    );
    expect(() => dataset.image('broken', 0, [{ op: 'move', concept: 'garment', to: 'top-left' }])).toThrow(
      /only be removed/,
    );
    expect(() => parseSetRef('fashion-mnist-square')).toThrow(/dataset\/set/);
    expect(() => loadDataset('fashion')).toThrow(/no annotated dataset 'fashion'/);
  });
});
