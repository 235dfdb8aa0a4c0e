import { describe, expect, it } from 'vitest';
import {
  centerPoint,
  centerPointHit,
  pointingGame,
  pointingGameHit,
  saliencyPeak,
  type PointingCase,
} from '../../../tools/metrics/pointing-game.ts';
import { InputError } from '../../../util/errors.ts';

const W = 40;
const H = 30;
function boxMask(x0: number, y0: number, x1: number, y1: number): Uint8Array {
  const mask = new Uint8Array(W * H);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) mask[y * W + x] = 1;
  return mask;
}
function peakAt(x: number, y: number): Float32Array {
  const map = new Float32Array(W * H);
  map[y * W + x] = 1;
  return map;
}

describe('saliencyPeak', () => {
  it('finds the maximum and breaks ties by the first pixel in row-major order', () => {
    const map = new Float32Array(W * H);
    map[5 * W + 30] = 2;
    map[5 * W + 10] = 2;
    map[20 * W + 1] = 2;
    expect(saliencyPeak(map, W, H)).toEqual({ x: 10, y: 5 });
  });

  it('handles all-negative maps', () => {
    const map = new Float32Array(W * H).fill(-5);
    map[7 * W + 3] = -1;
    expect(saliencyPeak(map, W, H)).toEqual({ x: 3, y: 7 });
  });
});

describe('pointingGameHit', () => {
  const groundTruth = boxMask(10, 10, 20, 20);

  it('hits when the peak is inside the ground truth and misses outside', () => {
    expect(pointingGameHit({ map: peakAt(15, 12), groundTruth, width: W, height: H })).toMatchObject({
      hit: true,
      skipped: false,
      point: { x: 15, y: 12 },
    });
    expect(pointingGameHit({ map: peakAt(25, 12), groundTruth, width: W, height: H }).hit).toBe(false);
  });

  it('counts a peak within the tolerance radius (Euclidean) as a hit', () => {
    const testCase = { map: peakAt(25, 12), groundTruth, width: W, height: H };
    // Nearest ground-truth pixel is (19, 12): 6 px away.
    expect(pointingGameHit(testCase, { tolerancePx: 5 }).hit).toBe(false);
    expect(pointingGameHit(testCase, { tolerancePx: 6 }).hit).toBe(true);
    // Diagonal: (23, 23) to the corner (19, 19) is √32 ≈ 5.66 px.
    const diagonal = { map: peakAt(23, 23), groundTruth, width: W, height: H };
    expect(pointingGameHit(diagonal, { tolerancePx: 5.6 }).hit).toBe(false);
    expect(pointingGameHit(diagonal, { tolerancePx: 5.7 }).hit).toBe(true);
  });

  it('skips a case whose ground truth is empty', () => {
    expect(
      pointingGameHit({ map: peakAt(1, 1), groundTruth: new Uint8Array(W * H), width: W, height: H }),
    ).toMatchObject({ hit: false, skipped: true });
  });

  it('rejects a map of the wrong size and a negative tolerance', () => {
    expect(() => pointingGameHit({ map: new Float32Array(10), groundTruth, width: W, height: H })).toThrow(
      /10 values but a 40×30 image has 1200/,
    );
    expect(() =>
      pointingGameHit({ map: peakAt(1, 1), groundTruth, width: W, height: H }, { tolerancePx: -1 }),
    ).toThrow(InputError);
  });
});

describe('centre-point baseline and aggregation', () => {
  it('points at the centre pixel', () => {
    expect(centerPoint(W, H)).toEqual({ x: 20, y: 15 });
    expect(centerPointHit({ groundTruth: boxMask(18, 13, 22, 17), width: W, height: H }).hit).toBe(true);
    expect(centerPointHit({ groundTruth: boxMask(0, 0, 5, 5), width: W, height: H }).hit).toBe(false);
  });

  it('aggregates hit rates over cases, excluding empty ground truths, with the centre control', () => {
    const cases: PointingCase[] = [
      { map: peakAt(2, 2), groundTruth: boxMask(0, 0, 5, 5), width: W, height: H }, // hit, centre misses
      { map: peakAt(35, 25), groundTruth: boxMask(30, 20, 40, 30), width: W, height: H }, // hit, centre misses
      { map: peakAt(2, 2), groundTruth: boxMask(15, 10, 25, 20), width: W, height: H }, // miss, centre hits
      { map: peakAt(2, 2), groundTruth: new Uint8Array(W * H), width: W, height: H }, // skipped
    ];
    const summary = pointingGame(cases);
    expect(summary).toEqual({
      accuracy: 2 / 3,
      hits: 2,
      evaluated: 3,
      skipped: 1,
      centerBaseline: { accuracy: 1 / 3, hits: 1 },
    });
  });

  it('reports accuracy 0 (not NaN) when nothing could be evaluated', () => {
    expect(pointingGame([]).accuracy).toBe(0);
  });
});
