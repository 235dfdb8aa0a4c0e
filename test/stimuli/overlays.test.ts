import { describe, expect, it } from 'vitest';
import {
  colourMapRgb,
  heatmapOverlay,
  maskedImage,
  maskOutline,
  quantileOf,
  upsampleMap,
} from '../../stimuli/overlays.ts';
import { InputError } from '../../util/errors.ts';
import type { RgbImage } from '../../util/image.ts';

/** A deterministic image whose every byte differs from its neighbours', so copies are checkable. */
function patternImage(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37 + 11) % 256;
  return { width, height, data };
}

describe('upsampleMap', () => {
  it('matches hand-computed bilinear values for 2×2 → 4×4 (half-pixel centres, edge clamp)', () => {
    const map = Float32Array.from([0, 4, 8, 12]);
    const out = upsampleMap(map, 2, 2, 4, 4);
    // Source coordinates of output columns/rows: clamp(-0.25)=0, 0.25, 0.75, clamp(1.25)=1.
    // Row 0 (y=0): 0, 1, 3, 4. Row 1 (y=0.25): +2. Row 2 (y=0.75): +6. Row 3 (y=1): +8.
    expect(Array.from(out)).toEqual([0, 1, 3, 4, 2, 3, 5, 6, 6, 7, 9, 10, 8, 9, 11, 12]);
  });

  it('copies a map of the target size and keeps a constant map constant', () => {
    const map = Float32Array.from([1, 2, 3, 4, 5, 6]);
    expect(Array.from(upsampleMap(map, 3, 2, 3, 2))).toEqual([1, 2, 3, 4, 5, 6]);
    const constant = upsampleMap(new Float32Array(49).fill(2.5), 7, 7, 224, 224);
    expect(constant.length).toBe(224 * 224);
    expect(constant.every((v) => v === 2.5)).toBe(true);
  });

  it('refuses a map whose length does not match its size', () => {
    expect(() => upsampleMap(new Float32Array(5), 2, 2, 4, 4)).toThrow(InputError);
    expect(() => upsampleMap(new Float32Array(4), 2, 2, 0, 4)).toThrow(/positive integers/);
  });
});

describe('heatmapOverlay', () => {
  const image = patternImage(16, 12);

  it('returns the image unchanged for a constant-zero map at alpha 0', () => {
    const out = heatmapOverlay(image, new Float32Array(4), 2, 2, { alpha: 0 });
    expect(out.width).toBe(16);
    expect(out.height).toBe(12);
    expect(Buffer.from(out.data).equals(Buffer.from(image.data))).toBe(true);
    expect(out.data).not.toBe(image.data);
  });

  it('at alpha 1 shows the colour map: low values dark, high values bright', () => {
    const map = Float32Array.from([0, 1]);
    const out = heatmapOverlay(image, map, 2, 1, { alpha: 1 });
    const left = [out.data[0], out.data[1], out.data[2]];
    const lastPixel = (16 - 1) * 3;
    const right = [out.data[lastPixel], out.data[lastPixel + 1], out.data[lastPixel + 2]];
    expect(left).toEqual(colourMapRgb(0));
    expect(right).toEqual(colourMapRgb(1));
    expect(colourMapRgb(0).reduce((a, b) => a + b)).toBeLessThan(30);
    expect(colourMapRgb(1).reduce((a, b) => a + b)).toBeGreaterThan(600);
  });

  it('blends at alpha 0.5 and clamps values outside an explicit range', () => {
    const grey: RgbImage = { width: 2, height: 1, data: Uint8Array.from([100, 100, 100, 100, 100, 100]) };
    const out = heatmapOverlay(grey, Float32Array.from([-5, 99]), 2, 1, { alpha: 0.5, range: [0, 1] });
    const low = colourMapRgb(0);
    const high = colourMapRgb(1);
    expect(Array.from(out.data)).toEqual([...low, ...high].map((c) => Math.round(100 * 0.5 + c * 0.5)));
  });

  it('refuses a bad alpha or range', () => {
    expect(() => heatmapOverlay(image, new Float32Array(1), 1, 1, { alpha: 2 })).toThrow(/alpha/);
    expect(() => heatmapOverlay(image, new Float32Array(1), 1, 1, { range: [1, 0] })).toThrow(/range/);
  });
});

describe('maskedImage', () => {
  const image = patternImage(8, 8);
  // Left half hot, right half cold.
  const map = Float32Array.from([1, 0, 1, 0]);

  it('keeps pixels inside the thresholded map exactly and darkens the rest by dim', () => {
    const out = maskedImage(image, map, 2, 2, { threshold: 0.5, dim: 0.25 });
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        for (let c = 0; c < 3; c++) {
          const i = (y * 8 + x) * 3 + c;
          // Upsampled columns 0..3 are ≥ 0.5 (1, 1, 0.875, 0.625); 4..7 are below.
          const expected = x < 4 ? image.data[i] : Math.round(image.data[i]! * 0.25);
          expect(out.data[i]).toBe(expected);
        }
      }
    }
  });

  it('thresholds at a quantile of the map when no threshold is given', () => {
    const ramp = Float32Array.from({ length: 100 }, (_, i) => i);
    const img = patternImage(10, 10);
    const out = maskedImage(img, ramp, 10, 10, { quantile: 0.9, dim: 0 });
    let kept = 0;
    for (let p = 0; p < 100; p++) if (out.data[p * 3] === img.data[p * 3] && img.data[p * 3] !== 0) kept++;
    expect(kept).toBe(10);
    expect(quantileOf(ramp, 0.5)).toBeCloseTo(49.5);
  });
});

describe('maskOutline', () => {
  it('colours exactly the boundary pixels of the mask', () => {
    const image: RgbImage = { width: 5, height: 5, data: new Uint8Array(75) };
    const mask = new Uint8Array(25);
    for (let y = 1; y <= 3; y++) for (let x = 1; x <= 3; x++) mask[y * 5 + x] = 1;
    const out = maskOutline(image, mask, [255, 0, 0]);
    const red: number[] = [];
    for (let p = 0; p < 25; p++) if (out.data[p * 3] === 255) red.push(p);
    // The 3×3 square's ring: everything in it except its centre (12).
    expect(red).toEqual([6, 7, 8, 11, 13, 16, 17, 18]);
    expect(out.data[12 * 3]).toBe(0);
    // A thickness of 2 fills the centre too.
    const thick = maskOutline(image, mask, [0, 255, 0], { thickness: 2 });
    expect(thick.data[12 * 3 + 1]).toBe(255);
  });

  it('refuses a mask of the wrong size', () => {
    expect(() => maskOutline(patternImage(4, 4), new Uint8Array(15), [0, 0, 0])).toThrow(
      /mask has 15 pixels/,
    );
  });
});
