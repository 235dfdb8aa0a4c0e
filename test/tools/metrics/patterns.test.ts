import { describe, expect, it } from 'vitest';
import { classifyPattern, SHARED_INTEREST_PATTERNS } from '../../../tools/metrics/patterns.ts';
import { coverageScores } from '../../../tools/metrics/shared-interest.ts';
import { InputError } from '../../../util/errors.ts';

describe('classifyPattern', () => {
  const cases = [
    { scores: { iou: 0.8, gtc: 0.9, sc: 0.85 }, correct: 'Human Aligned', incorrect: 'Confuser' },
    {
      scores: { iou: 0.1, gtc: 0.1, sc: 0.9 },
      correct: 'Sufficient Subset',
      incorrect: 'Insufficient Subset',
    },
    {
      scores: { iou: 0.15, gtc: 0.9, sc: 0.15 },
      correct: 'Context Dependent',
      incorrect: 'Context Confusion',
    },
    { scores: { iou: 0.05, gtc: 0.1, sc: 0.1 }, correct: 'Sufficient Context', incorrect: 'Distractor' },
  ] as const;

  for (const { scores, correct, incorrect } of cases) {
    it(`${correct} / ${incorrect}`, () => {
      expect(classifyPattern(scores, true)).toBe(correct);
      expect(classifyPattern(scores, false)).toBe(incorrect);
    });
  }

  it('covers all eight patterns of the paper', () => {
    const found = new Set(cases.flatMap((c) => [c.correct, c.incorrect]));
    expect([...found].sort()).toEqual([...SHARED_INTEREST_PATTERNS].sort());
  });

  it('treats the thresholds as inclusive: low ≤ 0.2, high ≥ 0.65', () => {
    expect(classifyPattern({ iou: 0.65, gtc: 0.8, sc: 0.8 }, true)).toBe('Human Aligned');
    expect(classifyPattern({ iou: 0.64, gtc: 0.8, sc: 0.75 }, true)).toBeNull();
    expect(classifyPattern({ iou: 0.2, gtc: 0.2, sc: 0.2 }, false)).toBe('Distractor');
    expect(classifyPattern({ iou: 0.2, gtc: 0.21, sc: 0.2 }, false)).toBeNull();
    expect(classifyPattern({ iou: 0.2, gtc: 0.2, sc: 0.65 }, true)).toBe('Sufficient Subset');
  });

  it('returns null for middling scores that match no pattern', () => {
    expect(classifyPattern({ iou: 0.3, gtc: 0.4, sc: 0.5 }, true)).toBeNull();
  });

  it('returns null when a region was empty (the scores are placeholders)', () => {
    const scores = coverageScores(new Uint8Array(4), new Uint8Array([1, 0, 0, 0]));
    expect(scores.empty).toBe('saliency');
    expect(classifyPattern(scores, true)).toBeNull();
  });

  it('classifies the reference case (IoU 0.14, GTC 0.25, SC 0.25) as no pattern', () => {
    expect(classifyPattern({ iou: 1 / 7, gtc: 0.25, sc: 0.25 }, true)).toBeNull();
  });

  it('accepts other thresholds (e.g. for text) and rejects impossible ones', () => {
    expect(classifyPattern({ iou: 0.5, gtc: 0.6, sc: 0.7 }, true, { low: 0.1, high: 0.5 })).toBe(
      'Human Aligned',
    );
    expect(() => classifyPattern({ iou: 0.5, gtc: 0.6, sc: 0.7 }, true, { low: 0.6, high: 0.5 })).toThrow(
      InputError,
    );
    expect(() => classifyPattern({ iou: Number.NaN, gtc: 0.6, sc: 0.7 }, true)).toThrow(
      /iou must be a score/,
    );
  });
});
