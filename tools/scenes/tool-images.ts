import { heatmapOverlay, maskedImage, upsampleMap } from '../../stimuli/overlays.ts';
import { encodePng, type RgbImage } from '../../util/image.ts';
import type { UnitMap } from '../probe/types.ts';
import type { ToolImage } from '../tool.ts';

/** Most images one tool result carries; text says when some were left out. */
export const MAX_IMAGES = 16;

/** Fraction of a map's maximum at and above which a masked image keeps a pixel's colour. */
export const MASK_FRACTION = 0.5;

/**
 * MAIA-style masked image of a unit's map over its image: pixels where the map (upsampled to the
 * image) is at least MASK_FRACTION of the map's maximum keep their colour, the rest are dimmed. A map
 * that never rises above 0 dims the whole image (the unit does not fire there).
 */
export function unitMaskedImage(image: RgbImage, map: UnitMap): RgbImage {
  const threshold = map.value > 0 ? map.value * MASK_FRACTION : Number.POSITIVE_INFINITY;
  return maskedImage(image, map.map, map.width, map.height, { threshold });
}

/** The map as a heatmap over the image, coloured on `range` (shared across a call so colours compare). */
export function unitHeatmap(image: RgbImage, map: UnitMap, range: [number, number]): RgbImage {
  return heatmapOverlay(image, map.map, map.width, map.height, { range, alpha: 0.55 });
}

/** The range [min, max] over several maps' cells (a shared colour scale); [0, 1] when flat. */
export function mapsRange(maps: readonly UnitMap[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const m of maps)
    for (const v of m.map) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  return hi > lo ? [lo, hi] : [Math.min(lo, 0), Math.max(hi, lo + 1)];
}

/** A pixel mask (image size) of where the map is at least MASK_FRACTION of its maximum. */
export function hotMask(map: UnitMap, width: number, height: number): Uint8Array {
  const values = upsampleMap(map.map, map.width, map.height, width, height);
  const mask = new Uint8Array(width * height);
  if (!(map.value > 0)) return mask;
  const threshold = map.value * MASK_FRACTION;
  for (let p = 0; p < mask.length; p++) mask[p] = (values[p] ?? 0) >= threshold ? 1 : 0;
  return mask;
}

/** Images side by side with a white gap, top-aligned. */
export function sideBySide(images: readonly RgbImage[], gap = 4): RgbImage {
  const width = images.reduce((w, im) => w + im.width, 0) + gap * Math.max(0, images.length - 1);
  const height = Math.max(...images.map((im) => im.height));
  const data = new Uint8Array(width * height * 3).fill(255);
  let left = 0;
  for (const image of images) {
    for (let y = 0; y < image.height; y++) {
      data.set(image.data.subarray(y * image.width * 3, (y + 1) * image.width * 3), (y * width + left) * 3);
    }
    left += image.width + gap;
  }
  return { width, height, data };
}

export async function toolImage(image: RgbImage, caption: string): Promise<ToolImage> {
  return { png: await encodePng(image), caption };
}
