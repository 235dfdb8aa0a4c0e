import { InputError } from '../util/errors.ts';
import type { RgbImage } from '../util/image.ts';

/**
 * Ways to show a spatial map (an activation or saliency map, usually coarser than the image) on top
 * of an image: a colour-mapped heatmap, a MAIA-style masked image (outside the hot region darkened),
 * and a mask outline. All are pure functions of their inputs, so the same map gives the same bytes.
 */

type Rgb = [number, number, number];

/**
 * Inferno-like colour map (matplotlib's 'inferno' sampled at nine points, linearly interpolated):
 * perceptually ordered, dark for low values and bright yellow for high, readable in greyscale.
 */
const INFERNO_STOPS: Rgb[] = [
  [0, 0, 4],
  [31, 12, 72],
  [85, 15, 109],
  [136, 34, 106],
  [186, 54, 85],
  [227, 89, 51],
  [249, 140, 10],
  [249, 201, 50],
  [252, 255, 164],
];

/** 256-entry RGB lookup table built once from the stops. */
const INFERNO_LUT: Uint8Array = (() => {
  const lut = new Uint8Array(256 * 3);
  const segments = INFERNO_STOPS.length - 1;
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * segments;
    const k = Math.min(segments - 1, Math.floor(t));
    const f = t - k;
    const a = INFERNO_STOPS[k] as Rgb;
    const b = INFERNO_STOPS[k + 1] as Rgb;
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = Math.round(a[c]! + (b[c]! - a[c]!) * f);
  }
  return lut;
})();

/** The colour the heatmap uses for a value already scaled to 0..1 (clamped). */
export function colourMapRgb(t: number): Rgb {
  const i = Math.round(Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * 255) * 3;
  return [INFERNO_LUT[i]!, INFERNO_LUT[i + 1]!, INFERNO_LUT[i + 2]!];
}

function checkImage(image: RgbImage): void {
  if (image.data.length !== image.width * image.height * 3) {
    throw new InputError(
      `image data has ${image.data.length} bytes but ${image.width}×${image.height} RGB needs ${image.width * image.height * 3}`,
    );
  }
}

function checkMap(map: Float32Array, mapW: number, mapH: number): void {
  if (!Number.isInteger(mapW) || !Number.isInteger(mapH) || mapW < 1 || mapH < 1) {
    throw new InputError(`map size must be positive integers, got ${mapW}×${mapH}`);
  }
  if (map.length !== mapW * mapH) {
    throw new InputError(`map has ${map.length} values but its size ${mapW}×${mapH} needs ${mapW * mapH}`);
  }
}

/**
 * Bilinear resize of a row-major map to width×height, with pixel centres aligned the way image
 * libraries do it (align_corners = false): output pixel i samples source coordinate
 * (i + 0.5) · mapW / width − 0.5, clamped to the edge. A map of the image's own size is copied.
 */
export function upsampleMap(
  map: Float32Array,
  mapW: number,
  mapH: number,
  width: number,
  height: number,
): Float32Array {
  checkMap(map, mapW, mapH);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new InputError(`target size must be positive integers, got ${width}×${height}`);
  }
  if (mapW === width && mapH === height) return Float32Array.from(map);
  const out = new Float32Array(width * height);
  // Per-column source indices and weights are the same for every row: compute them once.
  const x0s = new Int32Array(width);
  const x1s = new Int32Array(width);
  const fxs = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const sx = Math.min(mapW - 1, Math.max(0, ((x + 0.5) * mapW) / width - 0.5));
    const x0 = Math.floor(sx);
    x0s[x] = x0;
    x1s[x] = Math.min(mapW - 1, x0 + 1);
    fxs[x] = sx - x0;
  }
  for (let y = 0; y < height; y++) {
    const sy = Math.min(mapH - 1, Math.max(0, ((y + 0.5) * mapH) / height - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(mapH - 1, y0 + 1);
    const fy = sy - y0;
    const row0 = y0 * mapW;
    const row1 = y1 * mapW;
    for (let x = 0; x < width; x++) {
      const x0 = x0s[x]!;
      const x1 = x1s[x]!;
      const fx = fxs[x]!;
      const top = map[row0 + x0]! * (1 - fx) + map[row0 + x1]! * fx;
      const bottom = map[row1 + x0]! * (1 - fx) + map[row1 + x1]! * fx;
      out[y * width + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

function finiteRange(values: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 0];
}

/**
 * The map, resized to the image, colour-mapped and blended over it:
 * out = image · (1 − alpha) + colour(value) · alpha. Values are scaled from `range` (default: the
 * map's own min..max) to 0..1; a constant map scales to 0. alpha 0 returns the image unchanged.
 */
export function heatmapOverlay(
  image: RgbImage,
  map: Float32Array,
  mapW: number,
  mapH: number,
  opts: { alpha?: number; range?: [number, number] } = {},
): RgbImage {
  checkImage(image);
  const alpha = opts.alpha ?? 0.5;
  if (!(alpha >= 0 && alpha <= 1)) throw new InputError(`heatmap alpha must be in 0..1, got ${alpha}`);
  const values = upsampleMap(map, mapW, mapH, image.width, image.height);
  const [lo, hi] = opts.range ?? finiteRange(values);
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi >= lo)) {
    throw new InputError(`heatmap range must be two finite numbers, low ≤ high, got [${lo}, ${hi}]`);
  }
  const span = hi - lo;
  const data = new Uint8Array(image.data.length);
  for (let p = 0; p < values.length; p++) {
    const t = span > 0 ? (values[p]! - lo) / span : 0;
    const colour = colourMapRgb(t);
    for (let c = 0; c < 3; c++) {
      const i = p * 3 + c;
      data[i] = Math.round(image.data[i]! * (1 - alpha) + colour[c]! * alpha);
    }
  }
  return { width: image.width, height: image.height, data };
}

/** The value at quantile q (0..1) of the finite values, by linear interpolation between order statistics. */
export function quantileOf(values: Float32Array, q: number): number {
  const finite = Float32Array.from(values.filter((v) => Number.isFinite(v))).sort();
  if (finite.length === 0) return 0;
  const pos = Math.min(1, Math.max(0, q)) * (finite.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(finite.length - 1, lo + 1);
  return finite[lo]! + (finite[hi]! - finite[lo]!) * (pos - lo);
}

/**
 * MAIA-style masked image: the map is resized to the image and thresholded; pixels at or above the
 * threshold keep their exact values, the rest are multiplied by `dim` (default 0.25), so the region
 * the unit responds to stands out while its context stays visible. The threshold is `threshold`
 * when given, else the `quantile` (default 0.9, i.e. the top 10% of this map's pixels) of the map.
 */
export function maskedImage(
  image: RgbImage,
  map: Float32Array,
  mapW: number,
  mapH: number,
  opts: { threshold?: number; quantile?: number; dim?: number } = {},
): RgbImage {
  checkImage(image);
  const dim = opts.dim ?? 0.25;
  if (!(dim >= 0 && dim <= 1)) throw new InputError(`dim must be in 0..1, got ${dim}`);
  const quantile = opts.quantile ?? 0.9;
  if (!(quantile >= 0 && quantile <= 1)) throw new InputError(`quantile must be in 0..1, got ${quantile}`);
  const values = upsampleMap(map, mapW, mapH, image.width, image.height);
  const threshold = opts.threshold ?? quantileOf(values, quantile);
  const data = new Uint8Array(image.data.length);
  for (let p = 0; p < values.length; p++) {
    const keep = values[p]! >= threshold;
    for (let c = 0; c < 3; c++) {
      const i = p * 3 + c;
      data[i] = keep ? image.data[i]! : Math.round(image.data[i]! * dim);
    }
  }
  return { width: image.width, height: image.height, data };
}

/**
 * The image with the boundary of a 0/1 mask (width·height) drawn in `colour`: a mask pixel is on the
 * boundary when one of its four neighbours is outside the mask or outside the image.
 */
export function maskOutline(
  image: RgbImage,
  mask: Uint8Array,
  colour: [number, number, number],
  opts: { thickness?: number } = {},
): RgbImage {
  checkImage(image);
  const { width, height } = image;
  if (mask.length !== width * height) {
    throw new InputError(
      `mask has ${mask.length} pixels but the image has ${width}×${height} = ${width * height}`,
    );
  }
  const thickness = opts.thickness ?? 1;
  if (!Number.isInteger(thickness) || thickness < 1 || thickness > 16) {
    throw new InputError(`outline thickness must be an integer in 1..16, got ${thickness}`);
  }
  const data = Uint8Array.from(image.data);
  // Each pass peels one ring off the (remaining) mask, so `thickness` passes draw a band inside it.
  let inside = Uint8Array.from(mask, (v) => (v ? 1 : 0));
  for (let pass = 0; pass < thickness; pass++) {
    const next = Uint8Array.from(inside);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = y * width + x;
        if (!inside[p]) continue;
        const edge =
          x === 0 ||
          y === 0 ||
          x === width - 1 ||
          y === height - 1 ||
          !inside[p - 1] ||
          !inside[p + 1] ||
          !inside[p - width] ||
          !inside[p + width];
        if (!edge) continue;
        data.set(colour, p * 3);
        next[p] = 0;
      }
    }
    inside = next;
  }
  return { width, height, data };
}
