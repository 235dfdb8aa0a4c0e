import { InputError } from '../../util/errors.ts';
import type { CoverageScores } from './shared-interest.ts';

/**
 * The eight recurring patterns of Shared Interest (Boggust et al., CHI 2022), named as in the paper.
 * Each is a region of (IoU, GTC, SC) space plus whether the prediction was correct. For images the paper
 * calls a score low when ≤ 0.2 and high when ≥ 0.65.
 *
 * | pattern             | prediction | IoU  | GTC  | SC   | reading                                            |
 * | ------------------- | ---------- | ---- | ---- | ---- | -------------------------------------------------- |
 * | Human Aligned       | correct    | high |      |      | saliency matches the object                         |
 * | Sufficient Subset   | correct    |      | low  | high | a part of the object was enough                     |
 * | Sufficient Context  | correct    | low  | low  | low  | context alone (outside the object) was enough       |
 * | Context Dependent   | correct    |      | high | low  | the object plus its surroundings                    |
 * | Confuser            | incorrect  | high |      |      | looked at the object and still got it wrong         |
 * | Insufficient Subset | incorrect  |      | low  | high | a part of the object was not enough                 |
 * | Distractor          | incorrect  | low  | low  | low  | looked somewhere else (another object, background)  |
 * | Context Confusion   | incorrect  |      | high | low  | the object plus misleading surroundings             |
 *
 * Blank cells are unconstrained, but they follow from the others: IoU = 1 / (1/GTC + 1/SC − 1), so a high
 * IoU forces GTC and SC high, and a low GTC or SC forces a low IoU. The rows are therefore disjoint.
 * Scores in between (e.g. GTC 0.4) match no pattern: classifyPattern returns null.
 */
export const SHARED_INTEREST_PATTERNS = [
  'Human Aligned',
  'Sufficient Subset',
  'Sufficient Context',
  'Context Dependent',
  'Confuser',
  'Insufficient Subset',
  'Distractor',
  'Context Confusion',
] as const;

export type SharedInterestPattern = (typeof SHARED_INTEREST_PATTERNS)[number];

export interface PatternThresholds {
  /** A score ≤ low is low. */
  low: number;
  /** A score ≥ high is high. */
  high: number;
}

/** The paper's thresholds for image data. */
export const IMAGE_PATTERN_THRESHOLDS: PatternThresholds = { low: 0.2, high: 0.65 };

export type PatternScores = Pick<CoverageScores, 'iou' | 'gtc' | 'sc' | 'empty'>;

/**
 * The Shared Interest pattern that the scores and the prediction's correctness fall in, or null when they
 * fall in none (middling scores) or when a region was empty (the scores are then placeholders).
 */
export function classifyPattern(
  scores: PatternScores,
  correct: boolean,
  thresholds: PatternThresholds = IMAGE_PATTERN_THRESHOLDS,
): SharedInterestPattern | null {
  validate(scores, thresholds);
  if (scores.empty !== undefined) return null;
  const high = (v: number) => v >= thresholds.high;
  const low = (v: number) => v <= thresholds.low;
  const { iou, gtc, sc } = scores;
  if (high(iou)) return correct ? 'Human Aligned' : 'Confuser';
  if (low(gtc) && high(sc)) return correct ? 'Sufficient Subset' : 'Insufficient Subset';
  if (high(gtc) && low(sc)) return correct ? 'Context Dependent' : 'Context Confusion';
  if (low(iou) && low(gtc) && low(sc)) return correct ? 'Sufficient Context' : 'Distractor';
  return null;
}

function validate(scores: PatternScores, thresholds: PatternThresholds): void {
  for (const name of ['iou', 'gtc', 'sc'] as const) {
    const v = scores[name];
    if (!(v >= 0 && v <= 1)) throw new InputError(`${name} must be a score in [0, 1], got ${v}`);
  }
  const { low, high } = thresholds;
  if (!(low >= 0 && high <= 1 && low < high)) {
    throw new InputError(`pattern thresholds need 0 ≤ low < high ≤ 1, got low ${low}, high ${high}`);
  }
}
