import { saliencyPeak, type Point } from '../metrics/index.ts';

/**
 * Summaries of a saliency map that a model can read in text, and a compact copy for programs.
 */

export interface CompactMap {
  width: number;
  height: number;
  /** Row-major values, rounded to 4 significant digits (JSON-friendly). */
  values: number[];
}

/** Longest side of the map kept in tool results' data. */
export const COMPACT_MAP_SIDE = 64;

/**
 * The map area-averaged down so its longer side is at most `maxSide` (aspect kept; never enlarged), with
 * values rounded: small enough to put in a transcript, exact enough to re-plot or correlate.
 */
export function compactMap(
  map: ArrayLike<number>,
  width: number,
  height: number,
  maxSide = COMPACT_MAP_SIDE,
): CompactMap {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const outW = Math.max(1, Math.round(width * scale));
  const outH = Math.max(1, Math.round(height * scale));
  const sums = new Float64Array(outW * outH);
  const counts = new Float64Array(outW * outH);
  for (let y = 0; y < height; y++) {
    const oy = Math.min(outH - 1, Math.floor((y * outH) / height));
    for (let x = 0; x < width; x++) {
      const o = oy * outW + Math.min(outW - 1, Math.floor((x * outW) / width));
      sums[o] = (sums[o] as number) + (map[y * width + x] as number);
      counts[o] = (counts[o] as number) + 1;
    }
  }
  const values = Array.from(sums, (s, i) => roundTo(s / Math.max(1, counts[i] as number), 4));
  return { width: outW, height: outH, values };
}

export interface ConceptShare {
  concept: string;
  /** Share of the positive saliency mass inside the concept's mask. */
  share: number;
  /** Share of the image the concept covers: a share well above it means the map favours the concept. */
  area: number;
}

export interface SaliencySummary {
  peak: Point;
  /** Concepts whose masks contain the peak pixel. */
  peakConcepts: string[];
  /** Concepts by share of positive saliency, highest first (at most `top`). */
  shares: ConceptShare[];
  /** Σ of saliency above the offset; 0 means the map shows nothing (e.g. occlusion never lowered the score). */
  positiveMass: number;
}

/**
 * Where the saliency is, in the scene's own words: the peak and which concepts it falls on, and how the
 * positive saliency mass divides among concepts. Saliency counts as positive above `offset` (default 0:
 * for occlusion, a drop in score; for RISE pass the map's mean, since its values are expected scores
 * whose level means nothing). Negative saliency (regions whose removal raises the score) is left out. Concepts are ranked by share, then by smaller area, then by the
 * masks' order (the more specific concept first when two cover the same pixels).
 */
export function summarizeSaliency(
  map: ArrayLike<number>,
  width: number,
  height: number,
  masks: ReadonlyMap<string, ArrayLike<number>>,
  options: { top?: number; offset?: number } = {},
): SaliencySummary {
  const top = options.top ?? 5;
  const offset = options.offset ?? 0;
  const peak = saliencyPeak(map, width, height);
  const peakIndex = peak.y * width + peak.x;
  let positiveMass = 0;
  for (let p = 0; p < map.length; p++) positiveMass += Math.max(0, (map[p] as number) - offset);
  const peakConcepts: string[] = [];
  const shares: ConceptShare[] = [];
  for (const [concept, mask] of masks) {
    if (mask[peakIndex]) peakConcepts.push(concept);
    let inside = 0;
    let area = 0;
    for (let p = 0; p < mask.length; p++) {
      if (!mask[p]) continue;
      area++;
      inside += Math.max(0, (map[p] as number) - offset);
    }
    if (area === 0) continue;
    shares.push({ concept, share: positiveMass > 0 ? inside / positiveMass : 0, area: area / map.length });
  }
  // Shares equal to 0.1% are ties (saliency leaking onto a neighbour's few pixels should not reorder
  // 'dog' and 'animal'); ties keep the masks' order, which lists an item's own concepts before ancestors.
  const order = new Map([...masks.keys()].map((name, i) => [name, i]));
  const rounded = (s: ConceptShare) => Math.round(s.share * 1000);
  shares.sort(
    (a, b) =>
      rounded(b) - rounded(a) || a.area - b.area || (order.get(a.concept) ?? 0) - (order.get(b.concept) ?? 0),
  );
  return { peak, peakConcepts, shares: shares.slice(0, top), positiveMass };
}

export function meanOf(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return values.length > 0 ? sum / values.length : 0;
}

export function roundTo(value: number, digits: number): number {
  if (value === 0 || !Number.isFinite(value)) return Number.isFinite(value) ? 0 : value;
  return Number(value.toPrecision(digits));
}
