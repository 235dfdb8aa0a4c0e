import { describe, expect, it } from 'vitest';
import { alignStimulus, summarizeAlignment } from '../../../tools/analysis/alignment.ts';

/** 4×4 images. The concept is the 2×2 top-left block. */
const MASK = Uint8Array.from([1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
const ON_CONCEPT = Float32Array.from([9, 8, 0, 0, 7, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
const ELSEWHERE = Float32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 8, 0, 0, 7, 9]);

describe('alignStimulus', () => {
  it('scores a map on the concept as Human Aligned with a Pointing Game hit', () => {
    const result = alignStimulus(ON_CONCEPT, MASK, 4, 4, true, {
      binarization: { method: 'ground-truth-area' },
    });
    expect(result.binary).toMatchObject({ iou: 1, gtc: 1, sc: 1 });
    expect(result.pattern).toBe('Human Aligned');
    expect(result.pointing).toMatchObject({ hit: true, point: { x: 0, y: 0 }, skipped: false });
    // The centre point (2, 2) is outside the block.
    expect(result.centerPoint.hit).toBe(false);
    expect(result.continuous.gtc).toBeGreaterThan(0.8);
  });

  it('calls a wrong prediction looking elsewhere a Distractor', () => {
    const result = alignStimulus(ELSEWHERE, MASK, 4, 4, false);
    expect(result.binary.iou).toBe(0);
    expect(result.pattern).toBe('Distractor');
    expect(result.pointing.hit).toBe(false);
  });

  it('flags an empty mask and a flat map instead of producing NaN', () => {
    const noConcept = alignStimulus(ON_CONCEPT, new Uint8Array(16), 4, 4, true);
    expect(noConcept.binary.empty).toBe('ground-truth');
    expect(noConcept.pattern).toBeNull();
    expect(noConcept.pointing.skipped).toBe(true);
    const flat = alignStimulus(new Float32Array(16).fill(2), MASK, 4, 4, true);
    expect(flat.binary.empty).toBe('saliency');
    expect(flat.continuous.empty).toBe('saliency');
    for (const r of [noConcept, flat]) {
      for (const scores of [r.binary, r.continuous]) {
        expect([scores.iou, scores.gtc, scores.sc].every(Number.isFinite)).toBe(true);
      }
    }
  });
});

describe('summarizeAlignment', () => {
  it('averages only scored stimuli and counts patterns and Pointing Game hits', () => {
    const results = [
      alignStimulus(ON_CONCEPT, MASK, 4, 4, true, { binarization: { method: 'ground-truth-area' } }),
      alignStimulus(ELSEWHERE, MASK, 4, 4, false),
      alignStimulus(ON_CONCEPT, new Uint8Array(16), 4, 4, true),
      alignStimulus(new Float32Array(16), MASK, 4, 4, true),
    ];
    const summary = summarizeAlignment(results);
    expect(summary.scored).toBe(2);
    expect(summary.skipped).toEqual({ emptyMask: 1, emptySaliency: 1 });
    expect(summary.meanBinary.iou).toBeCloseTo(0.5);
    expect(summary.patterns).toEqual({ 'Human Aligned': 1, Distractor: 1 });
    // Three stimuli have the concept; the flat map points at (0, 0), inside the block.
    expect(summary.pointing).toEqual({ accuracy: 2 / 3, hits: 2, evaluated: 3 });
    expect(summary.centerBaseline).toEqual({ accuracy: 0, hits: 0 });
  });

  it('gives zeros, not NaN, when nothing can be scored', () => {
    const summary = summarizeAlignment([alignStimulus(ON_CONCEPT, new Uint8Array(16), 4, 4, true)]);
    expect(summary.scored).toBe(0);
    expect(summary.meanBinary).toEqual({ iou: 0, gtc: 0, sc: 0 });
    expect(summary.meanContinuous).toEqual({ iou: 0, gtc: 0, sc: 0 });
    expect(summary.pointing).toEqual({ accuracy: 0, hits: 0, evaluated: 0 });
    expect(JSON.stringify(summary)).not.toMatch(/NaN|null/);
  });
});
