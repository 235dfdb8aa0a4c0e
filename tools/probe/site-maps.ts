import type { ImagePlacement } from '../../subjects/index.ts';
import type { UnitMap } from './types.ts';

/**
 * Unit maps out of a site tensor, laid over the image: the part of the map that saw padding is cut
 * away so the map's cells span the image exactly.
 *
 * Layouts: [N, C, H, W] (unit axis 1) gives an H×W map cropped to the image's region of the input;
 * [N, T, C] (unit axis 2) a 1×T map; [N, C] a 1×1 map; any other layout the unit's values in order as
 * one row. Only rank-4 maps are cropped: a sequence axis need not be spatial.
 *
 * A map cell is taken to cover an equal share of the input (cell j of W covers input columns
 * [j·inputWidth/W, (j+1)·inputWidth/W)). When the image ends on a cell boundary the crop is exact;
 * otherwise the covered span is area-resampled to the nearest whole number of cells, so the result
 * still spans exactly the image.
 */

export interface SiteTensor {
  data: ArrayLike<number>;
  dims: readonly number[];
  unitAxis: number;
}

/** One unit's raw map (no crop) for batch item `item`. */
export function rawUnitMap(
  tensor: SiteTensor,
  item: number,
  unit: number,
): { values: Float32Array; width: number; height: number } {
  const { data, dims, unitAxis } = tensor;
  if (unitAxis < 0) return { values: Float32Array.of(data[item] ?? 0), width: 1, height: 1 };
  const units = dims[unitAxis] ?? 1;
  const inner = product(dims.slice(unitAxis + 1));
  const perItem = product(dims.slice(1));
  const outer = perItem / (units * inner);
  const values = new Float32Array(outer * inner);
  let k = 0;
  for (let o = 0; o < outer; o++) {
    const base = item * perItem + (o * units + unit) * inner;
    for (let i = 0; i < inner; i++) values[k++] = data[base + i] ?? 0;
  }
  if (dims.length === 4 && unitAxis === 1) return { values, width: dims[3] ?? 1, height: dims[2] ?? 1 };
  return { values, width: values.length, height: 1 };
}

/** One unit's map over the image for batch item `item`, with its value (the map's maximum). */
export function unitMapOverImage(
  tensor: SiteTensor,
  item: number,
  unit: number,
  placement: ImagePlacement,
): UnitMap {
  const raw = rawUnitMap(tensor, item, unit);
  const spatial = tensor.dims.length === 4 && tensor.unitAxis === 1;
  const map = spatial ? cropToImage(raw.values, raw.width, raw.height, placement) : raw;
  return { map: map.values, width: map.width, height: map.height, value: maxOf(map.values) };
}

/**
 * Max of every unit's map over the image for every batch item: N × units, row-major. The common case
 * (NCHW, crop on cell boundaries) reads the tensor in place without building maps, since this runs
 * over whole probe sets.
 */
export function siteMaxima(tensor: SiteTensor, placements: readonly ImagePlacement[]): Float32Array {
  const { data, dims, unitAxis } = tensor;
  const batch = dims[0] ?? 1;
  const units = unitAxis < 0 ? 1 : (dims[unitAxis] ?? 1);
  const out = new Float32Array(batch * units);
  const spatial = dims.length === 4 && unitAxis === 1;
  for (let n = 0; n < batch; n++) {
    const placement = placements[n] as ImagePlacement;
    const crop = spatial ? exactCrop(dims[3] ?? 1, dims[2] ?? 1, placement) : undefined;
    for (let u = 0; u < units; u++) {
      if (crop) {
        const W = dims[3] ?? 1;
        const base = (n * units + u) * W * (dims[2] ?? 1);
        let max = -Infinity;
        for (let y = 0; y < crop.height; y++) {
          const row = base + y * W;
          for (let x = 0; x < crop.width; x++) {
            const v = data[row + x] ?? 0;
            if (v > max) max = v;
          }
        }
        out[n * units + u] = max;
      } else {
        out[n * units + u] = unitMapOverImage(tensor, n, u, placement).value;
      }
    }
  }
  return out;
}

/** The cell counts an image covers when they are whole numbers; undefined when resampling is needed. */
function exactCrop(
  mapW: number,
  mapH: number,
  placement: ImagePlacement,
): { width: number; height: number } | undefined {
  const coveredW = (placement.width * mapW) / placement.inputWidth;
  const coveredH = (placement.height * mapH) / placement.inputHeight;
  const width = Math.round(coveredW);
  const height = Math.round(coveredH);
  if (width < 1 || height < 1 || Math.abs(coveredW - width) > 1e-6 || Math.abs(coveredH - height) > 1e-6)
    return undefined;
  return { width, height };
}

/** Crop (or area-resample, see the file comment) an H×W map to the image's region of the input. */
export function cropToImage(
  values: Float32Array,
  width: number,
  height: number,
  placement: ImagePlacement,
): { values: Float32Array; width: number; height: number } {
  const columns = axisShares(width, (placement.width * width) / placement.inputWidth);
  const rows = axisShares(height, (placement.height * height) / placement.inputHeight);
  const outW = columns.length;
  const outH = rows.length;
  const out = new Float32Array(outW * outH);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      let sum = 0;
      for (const [sy, wy] of rows[y] as [number, number][]) {
        for (const [sx, wx] of columns[x] as [number, number][])
          sum += (values[sy * width + sx] ?? 0) * wy * wx;
      }
      out[y * outW + x] = sum;
    }
  }
  return { values: out, width: outW, height: outH };
}

/**
 * For an axis of `length` cells of which the image covers `covered` (possibly fractional): the output
 * cells, each a list of (source cell, weight) with weights summing to 1.
 */
function axisShares(length: number, covered: number): [number, number][][] {
  const span = Math.min(length, Math.max(covered, 1e-9));
  const count = Math.max(1, Math.round(span));
  const step = span / count;
  const cells: [number, number][][] = [];
  for (let i = 0; i < count; i++) {
    const start = i * step;
    const end = start + step;
    const shares: [number, number][] = [];
    for (let s = Math.floor(start); s < Math.min(length, Math.ceil(end - 1e-9)); s++) {
      const overlap = Math.min(end, s + 1) - Math.max(start, s);
      if (overlap > 1e-9) shares.push([s, overlap / step]);
    }
    cells.push(shares);
  }
  return cells;
}

/**
 * siteMaxima and unitSums in one pass over the tensor, for NCHW sites whose crop falls on cell
 * boundaries (the activation cache's common case); other layouts take the two general functions.
 */
export function siteStats(
  tensor: SiteTensor,
  placements: readonly ImagePlacement[],
  units: number,
): { values: Float32Array; sums: Float64Array; positions: number } {
  const { data, dims, unitAxis } = tensor;
  const [batch = 1, , H = 1, W = 1] = dims;
  const crops = dims.length === 4 && unitAxis === 1 ? placements.map((p) => exactCrop(W, H, p)) : [];
  if (crops.length !== batch || crops.some((c) => c === undefined) || !(data instanceof Float32Array)) {
    return { values: siteMaxima(tensor, placements), ...unitSums(tensor, units) };
  }
  const values = new Float32Array(batch * units);
  const sums = new Float64Array(units);
  const plane = H * W;
  for (let n = 0; n < batch; n++) {
    const crop = crops[n] as { width: number; height: number };
    const whole = crop.width === W && crop.height === H;
    for (let u = 0; u < units; u++) {
      const base = (n * units + u) * plane;
      let max = -Infinity;
      let sum = 0;
      if (whole) {
        // The image fills the input (probe-set scenes at the native size): one flat loop.
        for (let i = base; i < base + plane; i++) {
          const v = data[i] as number;
          sum += v;
          max = v > max ? v : max;
        }
      } else {
        for (let y = 0; y < H; y++) {
          const row = base + y * W;
          const inside = y < crop.height ? crop.width : 0;
          for (let x = 0; x < W; x++) {
            const v = data[row + x] as number;
            sum += v;
            if (x < inside && v > max) max = v;
          }
        }
      }
      values[n * units + u] = max;
      sums[u] = (sums[u] as number) + sum;
    }
  }
  return { values, sums, positions: plane };
}

/** Each unit's sum over every position of every batch item, and the positions per item per unit. */
export function unitSums(tensor: SiteTensor, units: number): { sums: Float64Array; positions: number } {
  const { data, dims, unitAxis } = tensor;
  const sums = new Float64Array(units);
  if (unitAxis < 0) {
    for (let i = 0; i < data.length; i++) sums[0] = (sums[0] ?? 0) + (data[i] ?? 0);
    return { sums, positions: 1 };
  }
  const inner = product(dims.slice(unitAxis + 1));
  const perItem = product(dims.slice(1));
  const blocks = data.length / inner;
  // Consecutive runs of `inner` values belong to one unit; the unit cycles every `units` runs.
  for (let b = 0; b < blocks; b++) {
    const unit = b % units;
    let sum = 0;
    const start = b * inner;
    for (let i = start; i < start + inner; i++) sum += data[i] ?? 0;
    sums[unit] = (sums[unit] ?? 0) + sum;
  }
  return { sums, positions: perItem / units };
}

export function maxOf(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? -Infinity;
    if (v > max) max = v;
  }
  return max;
}

function product(values: readonly number[]): number {
  return values.reduce((a, b) => a * b, 1);
}
