import { describe, expect, it } from 'vitest';
import { blurRgb } from '../../../tools/saliency/blur.ts';

describe('blurRgb', () => {
  it('leaves a uniform image unchanged', () => {
    const image = { width: 7, height: 5, data: new Uint8Array(7 * 5 * 3).fill(90) };
    expect(Array.from(blurRgb(image, 3).data)).toEqual(Array.from(image.data));
  });

  it('spreads a bright dot symmetrically and keeps its energy away from the edges', () => {
    const size = 21;
    const data = new Uint8Array(size * size * 3);
    const centre = (10 * size + 10) * 3;
    data[centre] = 255; // red channel only
    const blurred = blurRgb({ width: size, height: size, data }, 2).data;
    const red = (x: number, y: number) => blurred[(y * size + x) * 3] as number;
    expect(red(10, 10)).toBeLessThan(255);
    expect(red(10, 10)).toBeGreaterThan(red(12, 10));
    expect(red(8, 10)).toBe(red(12, 10));
    expect(red(10, 8)).toBe(red(10, 12));
    expect(blurred[centre + 1]).toBe(0); // channels stay separate
    let total = 0;
    for (let p = 0; p < size * size; p++) total += blurred[p * 3] as number;
    expect(Math.abs(total - 255)).toBeLessThan(25); // rounding to bytes loses a little
  });
});
