import { InputError } from '../../util/errors.ts';
import { binarizeSaliency, normalizeSaliency, DEFAULT_BINARIZATION, type Binarization } from './binarize.ts';

/**
 * Shared Interest (Boggust et al., CHI 2022): how a saliency region S and a ground-truth region G overlap.
 *
 *   IoU = |S ∩ G| / |S ∪ G|    ground-truth coverage GTC = |S ∩ G| / |G|    saliency coverage SC = |S ∩ G| / |S|
 *
 * Ground truth here is an exact concept mask from the scene renderer: a Uint8Array of width·height where
 * any non-zero value is inside the concept.
 *
 * Empty regions would make some ratios 0/0. Rather than let NaN leak into reports, an undefined ratio is
 * reported as 0 and `empty` says which region was empty:
 *   - 'ground-truth' (G = ∅, S ≠ ∅): IoU 0, SC 0, GTC 0 (undefined).
 *   - 'saliency'     (S = ∅, G ≠ ∅): IoU 0, GTC 0, SC 0 (undefined).
 *   - 'both'         (S = G = ∅):    all 0.
 * Callers that aggregate should skip results with `empty` set (classifyPattern returns null for them).
 */
export type EmptyRegion = 'ground-truth' | 'saliency' | 'both';

export interface CoverageScores {
  iou: number;
  /** Ground-truth coverage: the share of G that S covers. */
  gtc: number;
  /** Saliency coverage: the share of S that lies in G. */
  sc: number;
  /** |S ∩ G| (for the soft variants: Σ S·G). */
  intersection: number;
  /** |S| (soft: Σ S). */
  saliencyArea: number;
  /** |G|. */
  groundTruthArea: number;
  empty?: EmptyRegion;
}

/**
 * The binarisations `sharedInterest` accepts: any {@link Binarization}, or `ground-truth-area`, which keeps
 * the top |G|/N of the map so S and G have the same size (then IoU, GTC and SC agree up to ties).
 */
export type SharedInterestBinarization = Binarization | { method: 'ground-truth-area' };

export interface SharedInterestOptions {
  /** Default: mean + 1 std of the normalised map (see DEFAULT_BINARIZATION). */
  binarization?: SharedInterestBinarization;
}

/** Coverage scores of a binary saliency region against a ground-truth mask (non-zero = inside). */
export function coverageScores(
  saliencyMask: ArrayLike<number>,
  groundTruth: ArrayLike<number>,
): CoverageScores {
  checkSameLength(saliencyMask.length, groundTruth.length, 'saliency mask');
  let intersection = 0;
  let saliencyArea = 0;
  let groundTruthArea = 0;
  for (let i = 0; i < groundTruth.length; i++) {
    const inS = saliencyMask[i] !== 0;
    const inG = groundTruth[i] !== 0;
    if (inS) saliencyArea++;
    if (inG) groundTruthArea++;
    if (inS && inG) intersection++;
  }
  return scoresFromAreas(intersection, saliencyArea, groundTruthArea);
}

/** Binarises a continuous saliency map (see {@link SharedInterestOptions}) and scores it against G. */
export function sharedInterest(
  map: ArrayLike<number>,
  groundTruth: ArrayLike<number>,
  options: SharedInterestOptions = {},
): CoverageScores {
  checkSameLength(map.length, groundTruth.length, 'saliency map');
  const binarization = options.binarization ?? DEFAULT_BINARIZATION;
  const resolved: Binarization =
    binarization.method === 'ground-truth-area'
      ? { method: 'top-fraction', fraction: countInside(groundTruth) / groundTruth.length }
      : binarization;
  return coverageScores(binarizeSaliency(map, resolved), groundTruth);
}

/**
 * Continuous Shared Interest: the map is min-max normalised to [0, 1] (a constant map counts as empty),
 * then soft IoU = Σ min(S, G) / Σ max(S, G), soft GTC = Σ S·G / Σ G, soft SC = Σ S·G / Σ S.
 * For a binary map these equal the binary scores. Empty regions are flagged as in {@link coverageScores}.
 */
export function softCoverageScores(map: ArrayLike<number>, groundTruth: ArrayLike<number>): CoverageScores {
  checkSameLength(map.length, groundTruth.length, 'saliency map');
  const s = normalizeSaliency(map);
  let intersection = 0;
  let saliencyArea = 0;
  let groundTruthArea = 0;
  for (let i = 0; i < s.length; i++) {
    const v = s[i] as number;
    saliencyArea += v;
    if (groundTruth[i] !== 0) {
      groundTruthArea++;
      intersection += v;
    }
  }
  // With G binary and S in [0, 1]: Σ min(S, G) = Σ_{G} S and Σ max(S, G) = |G| + Σ_{not G} S.
  return scoresFromAreas(intersection, saliencyArea, groundTruthArea);
}

/** IoU, GTC and SC from |S ∩ G|, |S| and |G| (binary counts or soft sums alike). */
function scoresFromAreas(
  intersection: number,
  saliencyArea: number,
  groundTruthArea: number,
): CoverageScores {
  const union = saliencyArea + groundTruthArea - intersection;
  return withEmptyFlag({
    iou: ratio(intersection, union),
    gtc: ratio(intersection, groundTruthArea),
    sc: ratio(intersection, saliencyArea),
    intersection,
    saliencyArea,
    groundTruthArea,
  });
}

function withEmptyFlag(scores: CoverageScores): CoverageScores {
  const noSaliency = scores.saliencyArea === 0;
  const noGroundTruth = scores.groundTruthArea === 0;
  if (noSaliency && noGroundTruth) return { ...scores, empty: 'both' };
  if (noSaliency) return { ...scores, empty: 'saliency' };
  if (noGroundTruth) return { ...scores, empty: 'ground-truth' };
  return scores;
}

function ratio(numerator: number, denominator: number): number {
  return denominator > 0 ? numerator / denominator : 0;
}

function countInside(mask: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) n++;
  return n;
}

function checkSameLength(length: number, groundTruthLength: number, what: string): void {
  if (length !== groundTruthLength) {
    throw new InputError(
      `${what} has ${length} pixels but the ground-truth mask has ${groundTruthLength}; both must be width·height of the same image`,
    );
  }
}
