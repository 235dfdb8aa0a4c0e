import { describe, expect, it } from 'vitest';
import {
  cropToImage,
  siteMaxima,
  siteStats,
  unitMapOverImage,
  unitSums,
} from '../../../tools/probe/site-maps.ts';

/** A [1, 2, 2, 4] tensor: unit 0's map is 0..7 row-major, unit 1's is its negation. */
const data = Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, -0, -1, -2, -3, -4, -5, -6, -7]);
const tensor = { data, dims: [1, 2, 2, 4], unitAxis: 1 };

describe('unit maps over the image', () => {
  it('crops the padded part of an NCHW map exactly when the image ends on a cell boundary', () => {
    // The image fills the left half of a 4-column input (e.g. 96 of 192 pixels).
    const placement = { inputWidth: 192, inputHeight: 48, width: 96, height: 48 };
    const map = unitMapOverImage(tensor, 0, 0, placement);
    expect([map.width, map.height]).toEqual([2, 2]);
    expect(Array.from(map.map)).toEqual([0, 1, 4, 5]);
    expect(map.value).toBe(5); // the padding column's 7 is not counted
    expect(Array.from(siteMaxima(tensor, [placement]))).toEqual([5, -0]);
  });

  it('area-resamples a fractional crop to whole cells that span exactly the image', () => {
    // 1.5 of 4 columns covered: resampled to 2 cells of 0.75 source columns each.
    const out = cropToImage(Float32Array.from([0, 4, 8, 12]), 4, 1, { inputWidth: 4, inputHeight: 1, width: 1.5, height: 1 });
    expect(out.width).toBe(2);
    expect(out.values[0]).toBeCloseTo(0);
    expect(out.values[1]).toBeCloseTo((0.25 * 0 + 0.5 * 4) / 0.75); // cells [0.75, 1.5)
    // siteMaxima takes the same route for fractional crops.
    const frac = { inputWidth: 192, inputHeight: 48, width: 72, height: 48 }; // 1.5 of 4 columns
    expect(siteMaxima(tensor, [frac])[0]).toBeCloseTo(unitMapOverImage(tensor, 0, 0, frac).value);
  }); // prettier-ignore

  it('reads [N, T, C] sequences as 1×T rows and [N, C] as 1×1, uncropped', () => {
    const seq = { data: Float32Array.from([1, 10, 2, 20, 3, 30]), dims: [1, 3, 2], unitAxis: 2 };
    const placement = { inputWidth: 10, inputHeight: 1, width: 5, height: 1 };
    const map = unitMapOverImage(seq, 0, 1, placement);
    expect([map.width, map.height, Array.from(map.map)]).toEqual([3, 1, [10, 20, 30]]);
    const vec = { data: Float32Array.from([1, 2, 3, 4]), dims: [2, 2], unitAxis: 1 };
    expect(Array.from(siteMaxima(vec, [placement, placement]))).toEqual([1, 2, 3, 4]);
  });

  it('sums every position of each unit, whatever the layout', () => {
    expect(unitSums(tensor, 2)).toEqual({ sums: Float64Array.from([28, -28]), positions: 8 });
    const seq = { data: Float32Array.from([1, 10, 2, 20]), dims: [1, 2, 2], unitAxis: 2 };
    expect(unitSums(seq, 2)).toEqual({ sums: Float64Array.from([3, 30]), positions: 2 });
  });
});

describe('site statistics in one pass', () => {
  it('equal siteMaxima and unitSums, for exact crops and for the general route', () => {
    const half = { inputWidth: 192, inputHeight: 48, width: 96, height: 48 };
    const frac = { inputWidth: 192, inputHeight: 48, width: 72, height: 48 };
    for (const placement of [half, frac]) {
      expect(siteStats(tensor, [placement], 2)).toEqual({
        values: siteMaxima(tensor, [placement]),
        ...unitSums(tensor, 2),
      });
    }
  });
});
