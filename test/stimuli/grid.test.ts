import { describe, expect, it } from 'vitest';
import { labelledGrid } from '../../stimuli/grid.ts';
import { InputError } from '../../util/errors.ts';
import { createImage, type RgbImage } from '../../util/image.ts';

function pixel(image: RgbImage, x: number, y: number): number[] {
  const i = (y * image.width + x) * 3;
  return Array.from(image.data.subarray(i, i + 3));
}

function darkPixels(image: RgbImage, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (pixel(image, x, y)[0]! < 128) n++;
  return n;
}

describe('labelledGrid', () => {
  it('is columns·cell wide and rows·(cell + caption) tall, with each image in its cell', async () => {
    const colours: [number, number, number][] = [
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
      [200, 200, 0],
      [0, 200, 200],
    ];
    const cells = colours.map((c, i) => ({ image: createImage(32, 32, c), caption: `cell ${i}` }));
    const grid = await labelledGrid(cells, { columns: 3, cellSize: 32, captionHeight: 12 });
    expect(grid.width).toBe(3 * 32);
    expect(grid.height).toBe(2 * (32 + 12));
    expect(pixel(grid, 16, 16)).toEqual([255, 0, 0]);
    expect(pixel(grid, 32 + 16, 16)).toEqual([0, 255, 0]);
    expect(pixel(grid, 64 + 16, 16)).toEqual([0, 0, 255]);
    expect(pixel(grid, 16, 44 + 16)).toEqual([200, 200, 0]);
    expect(pixel(grid, 32 + 16, 44 + 16)).toEqual([0, 200, 200]);
    // The sixth slot is empty: white.
    expect(pixel(grid, 64 + 16, 44 + 16)).toEqual([255, 255, 255]);
    // Captions put ink in the caption bands of filled cells only.
    expect(darkPixels(grid, 0, 32, 32, 44)).toBeGreaterThan(5);
    expect(darkPixels(grid, 64, 44 + 32, 96, 88)).toBe(0);
  });

  it('scales images to fit the cell, keeping aspect ratio and crisp edges when enlarging', async () => {
    const small = createImage(2, 1, [0, 0, 0]);
    small.data.set([255, 255, 255], 3);
    const grid = await labelledGrid([{ image: small, caption: '' }], { cellSize: 40, captionHeight: 0 });
    expect(grid.width).toBe(40);
    expect(grid.height).toBe(40);
    // 2×1 → 40×20, centred vertically: rows 10..29 hold it; left half black, right half white.
    expect(pixel(grid, 5, 15)).toEqual([0, 0, 0]);
    expect(pixel(grid, 35, 15)).toEqual([255, 255, 255]);
    expect(pixel(grid, 5, 5)).toEqual([255, 255, 255]);
    expect(pixel(grid, 5, 9)).toEqual([255, 255, 255]);
    expect(pixel(grid, 5, 10)).toEqual([0, 0, 0]);
  });

  it('fits a long caption inside its cell', async () => {
    const caption = 'a very long caption that cannot possibly fit in a small cell at all';
    const grid = await labelledGrid(
      [
        { image: createImage(48, 48, [255, 255, 255]), caption },
        { image: createImage(48, 48, [255, 255, 255]), caption: '' },
      ],
      { columns: 2, cellSize: 48, captionHeight: 16 },
    );
    expect(darkPixels(grid, 0, 48, 48, 64)).toBeGreaterThan(10);
    expect(darkPixels(grid, 48, 48, 96, 64)).toBe(0);
  });

  it('defaults to a near-square layout and refuses bad options', async () => {
    const cells = Array.from({ length: 5 }, () => ({ image: createImage(16, 16), caption: 'x' }));
    const grid = await labelledGrid(cells, { captionHeight: 12 });
    expect(grid.width).toBe(3 * 16);
    expect(grid.height).toBe(2 * (16 + 12));
    await expect(labelledGrid([])).rejects.toThrow(InputError);
    await expect(labelledGrid(cells, { columns: 0 })).rejects.toThrow(/columns/);
    await expect(labelledGrid(cells, { cellSize: 4 })).rejects.toThrow(/cellSize/);
  });
});
