import { describe, expect, it } from 'vitest';
import { cellOfPixel, poolArea } from '../../../subjects/synthetic/pool.ts';

describe('poolArea', () => {
  it('averages whole cells when the grid divides the image', () => {
    const map = new Float32Array(8 * 8);
    for (let y = 0; y < 2; y++) for (let x = 0; x < 4; x++) map[y * 8 + x] = 1; // top-left 4×2
    const pooled = poolArea(map, 8, 8, 2);
    expect(Array.from(pooled)).toEqual([0.5, 0, 0, 0]);
  });

  it('weights straddling pixels by overlap, so the mean is preserved at any size', () => {
    const width = 10;
    const height = 7;
    const map = Float32Array.from({ length: width * height }, (_, p) => (p * 37) % 11);
    const pooled = poolArea(map, width, height, 3);
    const mean = (values: Float32Array) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean(pooled)).toBeCloseTo(mean(map), 4);
    // Cell (0,0) covers x in [0, 3.33) and y in [0, 2.33): pixel (3,2) counts 1/3 × 1/3.
    let expected = 0;
    for (let y = 0; y < 3; y++) {
      for (let x = 0; x < 4; x++) {
        const wx = x < 3 ? 1 : 1 / 3;
        const wy = y < 2 ? 1 : 1 / 3;
        expected += map[y * width + x]! * wx * wy;
      }
    }
    expect(pooled[0]).toBeCloseTo(expected / ((10 / 3) * (7 / 3)), 4);
  });

  it('rejects a grid finer than the image', () => {
    expect(() => poolArea(new Float32Array(16), 4, 4, 5)).toThrow(
      /cannot pool 4 pixels into 5 cells; use a grid ≤ 4/,
    );
  });

  it('maps each pixel to the cell holding its centre', () => {
    // Cells are 7/3 = 2.33 px: pixel 2's centre (2.5) is in cell 1, pixel 5's (5.5) in cell 2.
    expect(Array.from(cellOfPixel(7, 3))).toEqual([0, 0, 1, 1, 1, 2, 2]);
  });
});
