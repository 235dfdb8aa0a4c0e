import { InputError } from '../../util/errors.ts';

/**
 * The Pointing Game (Zhang et al., "Top-down Neural Attention by Excitation Backprop", 2016): a saliency map
 * scores a hit when its maximum falls inside the ground-truth region, optionally within a tolerance radius
 * of it (the paper uses 15 px). Accuracy = hits / (hits + misses) over many cases. Cases whose ground truth
 * is empty cannot be hit or missed; like the paper (which only counts images containing the category) they
 * are skipped and counted separately.
 *
 * The centre-point baseline points every case at the image centre: a method that does not beat it has
 * learnt nothing about location beyond the usual centre bias of the data.
 */
export interface PointingCase {
  /** Saliency, row-major, width·height values. */
  map: ArrayLike<number>;
  /** Ground-truth mask, width·height, non-zero = inside. */
  groundTruth: ArrayLike<number>;
  width: number;
  height: number;
}

export interface PointingOptions {
  /** A point within this Euclidean distance (pixels) of a ground-truth pixel is a hit. Default 0. */
  tolerancePx?: number;
}

/** The tolerance Zhang et al. use. */
export const POINTING_GAME_PAPER_TOLERANCE_PX = 15;

export interface Point {
  x: number;
  y: number;
}

export interface PointingResult {
  hit: boolean;
  point: Point;
  /** True when the ground truth is empty: the case neither hits nor misses. */
  skipped: boolean;
}

export interface PointingGameSummary {
  /** hits / evaluated; 0 when nothing was evaluated. */
  accuracy: number;
  hits: number;
  /** Cases with a non-empty ground truth. */
  evaluated: number;
  skipped: number;
  centerBaseline: { accuracy: number; hits: number };
}

/**
 * The pixel with the highest saliency. Ties go to the first in row-major order (smallest y, then x), so the
 * answer is deterministic.
 */
export function saliencyPeak(map: ArrayLike<number>, width: number, height: number): Point {
  checkSize(map.length, width, height, 'saliency map');
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i < map.length; i++) {
    const v = map[i] as number;
    if (Number.isNaN(v)) throw new InputError(`saliency map has NaN at pixel ${i}`);
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return { x: best % width, y: Math.floor(best / width) };
}

/** The centre pixel: (floor(width/2), floor(height/2)). */
export function centerPoint(width: number, height: number): Point {
  return { x: Math.floor(width / 2), y: Math.floor(height / 2) };
}

/** Whether a point hits the ground truth, within the tolerance. */
export function pointHits(
  point: Point,
  groundTruth: ArrayLike<number>,
  width: number,
  height: number,
  options: PointingOptions = {},
): PointingResult {
  checkSize(groundTruth.length, width, height, 'ground-truth mask');
  const radius = options.tolerancePx ?? 0;
  if (!(radius >= 0) || !Number.isFinite(radius)) {
    throw new InputError(`tolerancePx must be a finite number ≥ 0, got ${radius}`);
  }
  if (!hasAny(groundTruth)) return { hit: false, point, skipped: true };
  const r = Math.floor(radius);
  const x0 = Math.max(0, point.x - r);
  const x1 = Math.min(width - 1, point.x + r);
  const y0 = Math.max(0, point.y - r);
  const y1 = Math.min(height - 1, point.y + r);
  const radiusSquared = radius * radius;
  for (let y = y0; y <= y1; y++) {
    const dy = y - point.y;
    for (let x = x0; x <= x1; x++) {
      const dx = x - point.x;
      if (dx * dx + dy * dy <= radiusSquared && groundTruth[y * width + x] !== 0) {
        return { hit: true, point, skipped: false };
      }
    }
  }
  return { hit: false, point, skipped: false };
}

/** One Pointing Game case: does the saliency peak hit the ground truth? */
export function pointingGameHit(testCase: PointingCase, options: PointingOptions = {}): PointingResult {
  const { map, groundTruth, width, height } = testCase;
  return pointHits(saliencyPeak(map, width, height), groundTruth, width, height, options);
}

/** The centre-point control for one case. */
export function centerPointHit(
  testCase: Omit<PointingCase, 'map'>,
  options: PointingOptions = {},
): PointingResult {
  const { groundTruth, width, height } = testCase;
  return pointHits(centerPoint(width, height), groundTruth, width, height, options);
}

/** Hit rate over many cases, with the centre-point baseline on the same cases. */
export function pointingGame(
  cases: readonly PointingCase[],
  options: PointingOptions = {},
): PointingGameSummary {
  let hits = 0;
  let centerHits = 0;
  let evaluated = 0;
  let skipped = 0;
  for (const testCase of cases) {
    const result = pointingGameHit(testCase, options);
    if (result.skipped) {
      skipped++;
      continue;
    }
    evaluated++;
    if (result.hit) hits++;
    if (centerPointHit(testCase, options).hit) centerHits++;
  }
  const rate = (n: number) => (evaluated > 0 ? n / evaluated : 0);
  return {
    accuracy: rate(hits),
    hits,
    evaluated,
    skipped,
    centerBaseline: { accuracy: rate(centerHits), hits: centerHits },
  };
}

function hasAny(mask: ArrayLike<number>): boolean {
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) return true;
  return false;
}

function checkSize(length: number, width: number, height: number, what: string): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new InputError(`image size must be positive integers, got ${width}×${height}`);
  }
  if (length !== width * height) {
    throw new InputError(`${what} has ${length} values but a ${width}×${height} image has ${width * height}`);
  }
}
