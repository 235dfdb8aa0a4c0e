import { InputError } from '../../util/errors.ts';

/**
 * How a continuous saliency map becomes the binary saliency region S that Shared Interest compares with
 * the ground truth. All methods look at the map min-max normalised to [0, 1], so thresholds mean the same
 * thing for every saliency method.
 *
 * - `mean-std` (the default, numStd 1): S = pixels ≥ mean + numStd·std, the rule the Shared Interest
 *   authors use for images (`binarize_std`). It adapts to how peaked the map is.
 * - `threshold`: S = pixels ≥ value.
 * - `top-fraction`: S = the round(fraction·N) highest pixels; ties at the cut go to the lower pixel index
 *   so the result is deterministic.
 *
 * A constant map says nothing about where the model looks, so every method returns an empty S for it.
 */
export type Binarization =
  | { method: 'mean-std'; numStd?: number }
  | { method: 'threshold'; value: number }
  | { method: 'top-fraction'; fraction: number };

export const DEFAULT_BINARIZATION: Binarization = { method: 'mean-std', numStd: 1 };

/** Min-max normalised copy of a saliency map; a constant map becomes all zeros. Non-finite values are rejected. */
export function normalizeSaliency(map: ArrayLike<number>): Float32Array {
  const { min, max } = finiteRange(map);
  const out = new Float32Array(map.length);
  const span = max - min;
  if (span === 0) return out;
  for (let i = 0; i < map.length; i++) out[i] = ((map[i] as number) - min) / span;
  return out;
}

/** Binary saliency region (1 = salient) of a map. See {@link Binarization} for the methods. */
export function binarizeSaliency(
  map: ArrayLike<number>,
  binarization: Binarization = DEFAULT_BINARIZATION,
): Uint8Array {
  validateBinarization(binarization);
  const { min, max } = finiteRange(map);
  const mask = new Uint8Array(map.length);
  if (max === min) return mask;
  switch (binarization.method) {
    case 'mean-std':
      return thresholdNormalized(map, min, max, meanPlusStd(map, min, max, binarization.numStd ?? 1), mask);
    case 'threshold':
      return thresholdNormalized(map, min, max, binarization.value, mask);
    case 'top-fraction':
      return keepTop(map, Math.round(binarization.fraction * map.length), mask);
  }
}

function validateBinarization(binarization: Binarization): void {
  switch (binarization.method) {
    case 'mean-std': {
      const numStd = binarization.numStd ?? 1;
      if (!Number.isFinite(numStd)) throw new InputError(`numStd must be a finite number, got ${numStd}`);
      return;
    }
    case 'threshold':
      if (!(binarization.value >= 0 && binarization.value <= 1)) {
        throw new InputError(
          `threshold value must be in [0, 1] (it applies to the normalised map), got ${binarization.value}`,
        );
      }
      return;
    case 'top-fraction':
      if (!(binarization.fraction >= 0 && binarization.fraction <= 1)) {
        throw new InputError(`top fraction must be in [0, 1], got ${binarization.fraction}`);
      }
      return;
    default: {
      const method: unknown = (binarization as { method: unknown }).method;
      throw new InputError(
        `unknown binarization method '${String(method)}'; use 'mean-std', 'threshold' or 'top-fraction'`,
      );
    }
  }
}

function finiteRange(map: ArrayLike<number>): { min: number; max: number } {
  if (map.length === 0) throw new InputError('saliency map is empty');
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < map.length; i++) {
    const v = map[i] as number;
    if (!Number.isFinite(v)) throw new InputError(`saliency map has a non-finite value (${v}) at pixel ${i}`);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/** mean + numStd·std of the normalised map, computed without materialising it. */
function meanPlusStd(map: ArrayLike<number>, min: number, max: number, numStd: number): number {
  const span = max - min;
  let sum = 0;
  for (let i = 0; i < map.length; i++) sum += ((map[i] as number) - min) / span;
  const mean = sum / map.length;
  let squares = 0;
  for (let i = 0; i < map.length; i++) {
    const d = ((map[i] as number) - min) / span - mean;
    squares += d * d;
  }
  return mean + numStd * Math.sqrt(squares / map.length);
}

function thresholdNormalized(
  map: ArrayLike<number>,
  min: number,
  max: number,
  threshold: number,
  mask: Uint8Array,
): Uint8Array {
  const span = max - min;
  for (let i = 0; i < map.length; i++) {
    if (((map[i] as number) - min) / span >= threshold) mask[i] = 1;
  }
  return mask;
}

/** Marks the `count` highest values; among values equal to the cut-off, lower indices win. */
function keepTop(map: ArrayLike<number>, count: number, mask: Uint8Array): Uint8Array {
  if (count <= 0) return mask;
  if (count >= map.length) return mask.fill(1);
  const sorted = Float64Array.from(map).sort();
  const cutoff = sorted[map.length - count] as number;
  let kept = 0;
  for (let i = 0; i < map.length; i++) {
    if ((map[i] as number) > cutoff) {
      mask[i] = 1;
      kept++;
    }
  }
  for (let i = 0; i < map.length && kept < count; i++) {
    if (map[i] === cutoff) {
      mask[i] = 1;
      kept++;
    }
  }
  return mask;
}
