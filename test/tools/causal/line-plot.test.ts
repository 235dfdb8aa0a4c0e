import { describe, expect, it } from 'vitest';
import { formatNumber, renderLinePlot } from '../../../tools/causal/index.ts';

function pixel(image: { width: number; data: Uint8Array }, x: number, y: number): number[] {
  const o = (y * image.width + x) * 3;
  return [image.data[o] ?? -1, image.data[o + 1] ?? -1, image.data[o + 2] ?? -1];
}

describe('renderLinePlot', () => {
  it('draws each series in its own colour at the requested size', async () => {
    const image = await renderLinePlot({
      title: 'test',
      xLabel: 'dose',
      x: [-2, -1, 0, 1, 2],
      series: [
        { name: 'up', values: [0, 0.25, 0.5, 0.75, 1] },
        { name: 'down', values: [1, 0.75, 0.5, 0.25, 0] },
      ],
      width: 400,
      height: 260,
    });
    expect(image.width).toBe(400);
    expect(image.height).toBe(260);
    const colours = new Set<string>();
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) colours.add(pixel(image, x, y).join(','));
    }
    // The first two palette colours (Okabe–Ito blue and vermillion) are drawn.
    expect(colours.has('0,114,178')).toBe(true);
    expect(colours.has('213,94,0')).toBe(true);
    // The rising series reaches the top right of the plot area, the falling one the bottom right.
    const rightColumn = Array.from({ length: image.height }, (_, y) => pixel(image, 385, y).join(','));
    const blueAt = rightColumn.indexOf('0,114,178');
    const redAt = rightColumn.indexOf('213,94,0');
    expect(blueAt).toBeGreaterThan(0);
    expect(redAt).toBeGreaterThan(blueAt);
  });

  it('rejects series that do not match the x values', async () => {
    await expect(
      renderLinePlot({ title: '', xLabel: '', x: [0, 1], series: [{ name: 's', values: [1] }] }),
    ).rejects.toThrow(/1 values for 2 x values/);
  });
});

describe('formatNumber', () => {
  it('keeps three significant digits', () => {
    expect(formatNumber(0.93456)).toBe('0.935');
    expect(formatNumber(-2)).toBe('-2');
    expect(formatNumber(123456)).toBe('1.2e+5');
    expect(formatNumber(0)).toBe('0');
  });
});
