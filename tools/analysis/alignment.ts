import {
  centerPointHit,
  classifyPattern,
  IMAGE_PATTERN_THRESHOLDS,
  pointingGameHit,
  sharedInterest,
  softCoverageScores,
  type CoverageScores,
  type PatternThresholds,
  type PointingResult,
  type SharedInterestBinarization,
  type SharedInterestPattern,
} from '../metrics/index.ts';

/**
 * How well a saliency map agrees with a concept's exact mask on one stimulus, and over many.
 *
 * Per stimulus (Boggust et al., Shared Interest, CHI 2022; Zhang et al., Pointing Game, 2016):
 * - binary IoU, ground-truth coverage (GTC) and saliency coverage (SC) after binarising the map
 *   (default: mean + 1 std of the normalised map, the authors' rule for images);
 * - the same three scores, continuous (the map min-max normalised, no threshold);
 * - the Shared Interest pattern of the binary scores and the prediction's correctness (thresholds for
 *   images: low ≤ 0.2, high ≥ 0.65);
 * - the Pointing Game: does the map's peak fall in the mask (within a tolerance), with the centre
 *   point as the control.
 * An empty mask (the concept is not in the stimulus) or a constant map gives no scores: `empty` says
 * which, scores are 0 (never NaN) and the stimulus is left out of the means, the pattern counts and the
 * Pointing Game.
 */

export interface AlignmentOptions {
  binarization?: SharedInterestBinarization;
  thresholds?: PatternThresholds;
  tolerancePx?: number;
}

export interface StimulusAlignment {
  binary: CoverageScores;
  continuous: CoverageScores;
  pattern: SharedInterestPattern | null;
  correct: boolean;
  pointing: PointingResult;
  centerPoint: PointingResult;
}

export interface AlignmentSummary {
  /** Stimuli with both a non-empty mask and a non-constant map: what the means average over. */
  scored: number;
  /** Stimuli left out, by reason. */
  skipped: { emptyMask: number; emptySaliency: number };
  meanBinary: { iou: number; gtc: number; sc: number };
  meanContinuous: { iou: number; gtc: number; sc: number };
  patterns: Partial<Record<SharedInterestPattern, number>>;
  /** Scored stimuli whose scores fall in no pattern (middling values). */
  unpatterned: number;
  pointing: { accuracy: number; hits: number; evaluated: number };
  centerBaseline: { accuracy: number; hits: number };
}

export function alignStimulus(
  map: ArrayLike<number>,
  mask: ArrayLike<number>,
  width: number,
  height: number,
  correct: boolean,
  options: AlignmentOptions = {},
): StimulusAlignment {
  const binary = sharedInterest(
    map,
    mask,
    options.binarization ? { binarization: options.binarization } : {},
  );
  const continuous = softCoverageScores(map, mask);
  const tolerance = options.tolerancePx !== undefined ? { tolerancePx: options.tolerancePx } : {};
  const testCase = { map, groundTruth: mask, width, height };
  return {
    binary,
    continuous,
    pattern: classifyPattern(binary, correct, options.thresholds ?? IMAGE_PATTERN_THRESHOLDS),
    correct,
    pointing: pointingGameHit(testCase, tolerance),
    centerPoint: centerPointHit(testCase, tolerance),
  };
}

export function summarizeAlignment(results: readonly StimulusAlignment[]): AlignmentSummary {
  const scored = results.filter((r) => r.binary.empty === undefined);
  const mean = (pick: (r: StimulusAlignment) => CoverageScores) => {
    const n = scored.length;
    const sum = (key: 'iou' | 'gtc' | 'sc') => scored.reduce((s, r) => s + pick(r)[key], 0);
    return n === 0
      ? { iou: 0, gtc: 0, sc: 0 }
      : { iou: sum('iou') / n, gtc: sum('gtc') / n, sc: sum('sc') / n };
  };
  const patterns: Partial<Record<SharedInterestPattern, number>> = {};
  let unpatterned = 0;
  for (const r of scored) {
    if (r.pattern === null) unpatterned++;
    else patterns[r.pattern] = (patterns[r.pattern] ?? 0) + 1;
  }
  // The Pointing Game only needs a mask (a constant map still points somewhere), as in the paper.
  const pointed = results.filter((r) => !r.pointing.skipped);
  const hits = pointed.filter((r) => r.pointing.hit).length;
  const centerHits = pointed.filter((r) => r.centerPoint.hit).length;
  const rate = (n: number) => (pointed.length > 0 ? n / pointed.length : 0);
  return {
    scored: scored.length,
    skipped: {
      emptyMask: results.filter((r) => r.binary.empty === 'ground-truth' || r.binary.empty === 'both').length,
      emptySaliency: results.filter((r) => r.binary.empty === 'saliency').length,
    },
    meanBinary: mean((r) => r.binary),
    meanContinuous: mean((r) => r.continuous),
    patterns,
    unpatterned,
    pointing: { accuracy: rate(hits), hits, evaluated: pointed.length },
    centerBaseline: { accuracy: rate(centerHits), hits: centerHits },
  };
}
