import type { Tensor } from 'onnxruntime-node';
import { InputError } from '../util/errors.ts';
import type { RgbImage } from '../util/image.ts';
import type { ImagePlacement } from './preprocess.ts';
import type { SiteInfo } from './subject.ts';

/**
 * A unit's activation map for one input, its summary, and a colour overlay of the map on the image
 * (so a person can see where a unit fires).
 */

/** A unit's values over the spatial (or time) positions of one batch item, row-major. */
export interface UnitMap {
  width: number;
  height: number;
  values: Float32Array;
}

export interface MapSummary {
  max: number;
  mean: number;
  min: number;
  /** Position of the maximum in the map. */
  argmax: { x: number; y: number };
}

/**
 * The map of `unit` in batch item `item`: H×W for [N, C, H, W] (channel on axis 1), 1×T for
 * sequence sites [N, T, C], and 1×1 for [N, C]. Other layouts: the unit's values in order, as a row.
 */
export function unitMap(tensor: Tensor, site: SiteInfo, unit: number, item = 0): UnitMap {
  const dims = tensor.dims;
  const data = tensor.data as Float32Array | Float64Array;
  if (site.unitAxis < 0) return { width: 1, height: 1, values: Float32Array.of(data[item] ?? 0) };
  const batch = dims[0] ?? 1;
  if (item < 0 || item >= batch)
    throw new InputError(`batch item ${item} is out of range (batch of ${batch})`);
  const axis = site.unitAxis;
  const units = dims[axis] ?? 1;
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const perItem = dims.slice(1).reduce((a, b) => a * b, 1);
  const outer = perItem / (units * inner);
  const values = new Float32Array(outer * inner);
  let k = 0;
  for (let o = 0; o < outer; o++) {
    const base = item * perItem + (o * units + unit) * inner;
    for (let i = 0; i < inner; i++) values[k++] = data[base + i] ?? 0;
  }
  if (dims.length === 4 && axis === 1) return { width: dims[3] ?? 1, height: dims[2] ?? 1, values };
  return { width: values.length, height: 1, values };
}

export function summarizeMap(map: UnitMap): MapSummary {
  let max = -Infinity;
  let min = Infinity;
  let sum = 0;
  let at = 0;
  map.values.forEach((v, i) => {
    sum += v;
    if (v < min) min = v;
    if (v > max) {
      max = v;
      at = i;
    }
  });
  return {
    max,
    min,
    mean: sum / map.values.length,
    argmax: { x: at % map.width, y: Math.floor(at / map.width) },
  };
}

/**
 * The map drawn over the image in a blue→green→yellow→red colour scale (min→max of the map), blended
 * with `alpha`. `placement` says where the image lay in the model input, so the part of the map that
 * saw padding is cut away and the rest stretched back over the image.
 */
export function heatmapOverlay(
  image: RgbImage,
  map: UnitMap,
  placement: ImagePlacement,
  alpha = 0.5,
): RgbImage {
  const { min, max } = summarizeMap(map);
  const range = max - min;
  const out = new Uint8Array(image.width * image.height * 3);
  // Map cells per input pixel, and input pixels of image content per image pixel.
  const cellX = map.width / placement.inputWidth;
  const cellY = map.height / placement.inputHeight;
  for (let y = 0; y < image.height; y++) {
    const inputY = ((y + 0.5) * placement.height) / image.height;
    const my = inputY * cellY - 0.5;
    for (let x = 0; x < image.width; x++) {
      const inputX = ((x + 0.5) * placement.width) / image.width;
      const mx = inputX * cellX - 0.5;
      const v = sampleBilinear(map, mx, my);
      const t = range > 0 ? (v - min) / range : 0;
      const colour = colourScale(t);
      const p = (y * image.width + x) * 3;
      for (let c = 0; c < 3; c++) {
        out[p + c] = Math.round((image.data[p + c] ?? 0) * (1 - alpha) + (colour[c] ?? 0) * alpha);
      }
    }
  }
  return { width: image.width, height: image.height, data: out };
}

function sampleBilinear(map: UnitMap, x: number, y: number): number {
  const cx = Math.min(Math.max(x, 0), map.width - 1);
  const cy = Math.min(Math.max(y, 0), map.height - 1);
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(x0 + 1, map.width - 1);
  const y1 = Math.min(y0 + 1, map.height - 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const at = (xx: number, yy: number) => map.values[yy * map.width + xx] ?? 0;
  const top = at(x0, y0) * (1 - fx) + at(x1, y0) * fx;
  const bottom = at(x0, y1) * (1 - fx) + at(x1, y1) * fx;
  return top * (1 - fy) + bottom * fy;
}

const STOPS: [number, [number, number, number]][] = [
  [0, [20, 30, 140]],
  [0.35, [30, 150, 220]],
  [0.6, [60, 200, 80]],
  [0.8, [250, 220, 40]],
  [1, [220, 30, 30]],
];

/** Colour of t in 0..1 on the scale, linearly interpolated between its stops. */
export function colourScale(t: number): [number, number, number] {
  const clamped = Math.min(Math.max(t, 0), 1);
  for (let i = 1; i < STOPS.length; i++) {
    const [t1, c1] = STOPS[i] as [number, [number, number, number]];
    const [t0, c0] = STOPS[i - 1] as [number, [number, number, number]];
    if (clamped <= t1) {
      const f = (clamped - t0) / (t1 - t0);
      return [0, 1, 2].map((c) => Math.round((c0[c] ?? 0) + ((c1[c] ?? 0) - (c0[c] ?? 0)) * f)) as [
        number,
        number,
        number,
      ];
    }
  }
  return STOPS[STOPS.length - 1]?.[1] ?? [0, 0, 0];
}
