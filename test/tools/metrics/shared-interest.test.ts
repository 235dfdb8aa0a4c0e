import { describe, expect, it } from 'vitest';
import {
  coverageScores,
  sharedInterest,
  softCoverageScores,
} from '../../../tools/metrics/shared-interest.ts';
import { InputError } from '../../../util/errors.ts';

/** A width×height mask with the rectangle [x0, x1) × [y0, y1) set to `value`. */
function rect(width: number, height: number, x0: number, y0: number, x1: number, y1: number, value = 1) {
  const mask = new Float32Array(width * height);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) mask[y * width + x] = value;
  return mask;
}
const toMask = (a: Float32Array) => Uint8Array.from(a, (v) => (v !== 0 ? 1 : 0));

describe('coverageScores (binary Shared Interest)', () => {
  it('reproduces the reference case: two 100×100 squares offset by 50 px diagonally in 200×200', () => {
    const groundTruth = toMask(rect(200, 200, 0, 0, 100, 100));
    const saliency = toMask(rect(200, 200, 50, 50, 150, 150));
    const scores = coverageScores(saliency, groundTruth);
    expect(scores.iou).toBeCloseTo(0.1429, 4);
    expect(scores.sc).toBeCloseTo(0.25, 10);
    expect(scores.gtc).toBeCloseTo(0.25, 10);
    expect(scores).toMatchObject({ intersection: 2500, saliencyArea: 10_000, groundTruthArea: 10_000 });
    expect(scores.empty).toBeUndefined();
  });

  it('separates containment in either direction, disjoint and identical regions', () => {
    // The other Shared Interest reference cases (250×250).
    const g1 = toMask(rect(250, 250, 200, 100, 250, 250));
    const s1 = toMask(rect(250, 250, 100, 50, 250, 250)); // G inside S
    expect(coverageScores(s1, g1)).toMatchObject({ iou: 0.25, gtc: 1, sc: 0.25 });

    const g2 = toMask(rect(250, 250, 0, 0, 250, 250));
    const s2 = toMask(rect(250, 250, 50, 50, 100, 100)); // S inside G
    const contained = coverageScores(s2, g2);
    expect(contained.iou).toBeCloseTo(0.04, 10);
    expect(contained.gtc).toBeCloseTo(0.04, 10);
    expect(contained.sc).toBe(1);

    const g3 = toMask(rect(250, 250, 0, 0, 1, 1));
    const s3 = toMask(rect(250, 250, 150, 100, 250, 150));
    expect(coverageScores(s3, g3)).toMatchObject({ iou: 0, gtc: 0, sc: 0 });

    const g4 = toMask(rect(250, 250, 50, 50, 100, 100));
    expect(coverageScores(g4, g4)).toMatchObject({ iou: 1, gtc: 1, sc: 1 });
  });

  it('defines empty regions without NaN and flags which was empty', () => {
    const empty = new Uint8Array(16);
    const some = toMask(rect(4, 4, 0, 0, 2, 2));
    const noGroundTruth = coverageScores(some, empty);
    const noSaliency = coverageScores(empty, some);
    const neither = coverageScores(empty, empty);
    expect(noGroundTruth).toMatchObject({ iou: 0, gtc: 0, sc: 0, empty: 'ground-truth' });
    expect(noSaliency).toMatchObject({ iou: 0, gtc: 0, sc: 0, empty: 'saliency' });
    expect(neither).toMatchObject({ iou: 0, gtc: 0, sc: 0, empty: 'both' });
    for (const scores of [noGroundTruth, noSaliency, neither]) {
      for (const v of [scores.iou, scores.gtc, scores.sc]) expect(Number.isNaN(v)).toBe(false);
    }
  });

  it('rejects masks of different sizes', () => {
    expect(() => coverageScores(new Uint8Array(4), new Uint8Array(5))).toThrow(InputError);
    expect(() => coverageScores(new Uint8Array(4), new Uint8Array(5))).toThrow(/4 pixels.*5/);
  });
});

describe('sharedInterest (continuous map → binary region)', () => {
  it('binarises with mean + 1 std by default and reproduces the reference case', () => {
    const groundTruth = toMask(rect(200, 200, 0, 0, 100, 100));
    const map = rect(200, 200, 50, 50, 150, 150, 0.7);
    const scores = sharedInterest(map, groundTruth);
    expect(scores.iou).toBeCloseTo(1 / 7, 10);
    expect(scores.gtc).toBeCloseTo(0.25, 10);
    expect(scores.sc).toBeCloseTo(0.25, 10);
  });

  it('ground-truth-area keeps as many pixels as the ground truth has', () => {
    // A ramp: the top 25 % of values are the bottom quarter of rows.
    const width = 10;
    const height = 8;
    const map = Float32Array.from({ length: width * height }, (_, i) => Math.floor(i / width));
    const groundTruth = toMask(rect(width, height, 0, 6, width, 8));
    const scores = sharedInterest(map, groundTruth, { binarization: { method: 'ground-truth-area' } });
    expect(scores.saliencyArea).toBe(20);
    expect(scores).toMatchObject({ iou: 1, gtc: 1, sc: 1 });
  });

  it('a constant map (no information) counts as empty saliency', () => {
    const groundTruth = toMask(rect(4, 4, 0, 0, 2, 2));
    expect(sharedInterest(new Float32Array(16).fill(3), groundTruth)).toMatchObject({
      empty: 'saliency',
      iou: 0,
    });
  });
});

describe('softCoverageScores', () => {
  it('equals the binary scores for a binary map, whatever its scale', () => {
    const groundTruth = toMask(rect(200, 200, 0, 0, 100, 100));
    const soft = softCoverageScores(rect(200, 200, 50, 50, 150, 150, 0.2), groundTruth);
    expect(soft.iou).toBeCloseTo(1 / 7, 10);
    expect(soft.gtc).toBeCloseTo(0.25, 10);
    expect(soft.sc).toBeCloseTo(0.25, 10);
  });

  it('computes sum(min)/sum(max), sum(S·G)/sum(G) and sum(S·G)/sum(S) on a graded map', () => {
    // Normalised map [0, 0.5, 1, 0.5] against G = [0, 1, 1, 0].
    const map = [10, 20, 30, 20];
    const groundTruth = [0, 1, 1, 0];
    const soft = softCoverageScores(map, groundTruth);
    expect(soft.intersection).toBeCloseTo(1.5, 10);
    expect(soft.gtc).toBeCloseTo(1.5 / 2, 10);
    expect(soft.sc).toBeCloseTo(1.5 / 2, 10);
    // min: [0, 0.5, 1, 0] = 1.5; max: [0, 1, 1, 0.5] = 2.5
    expect(soft.iou).toBeCloseTo(1.5 / 2.5, 10);
  });

  it('flags empty regions instead of dividing by zero', () => {
    expect(softCoverageScores([1, 2, 3, 4], [0, 0, 0, 0])).toMatchObject({ empty: 'ground-truth', gtc: 0 });
    expect(softCoverageScores([5, 5, 5, 5], [0, 1, 0, 0])).toMatchObject({
      empty: 'saliency',
      sc: 0,
      iou: 0,
    });
    expect(softCoverageScores([5, 5, 5, 5], [0, 0, 0, 0])).toMatchObject({ empty: 'both' });
  });

  it('rejects NaN in the map', () => {
    expect(() => softCoverageScores([1, Number.NaN], [0, 1])).toThrow(/non-finite value \(NaN\) at pixel 1/);
  });
});
