import { InputError } from '../../util/errors.ts';

/**
 * Area-average a full-resolution map down to a grid × grid map, like the coarse spatial output of a
 * conv layer. Each cell is the mean of the pixels it covers; a pixel that straddles two cells counts
 * in each by the fraction it overlaps, so any image size pools exactly (224 → 14 is 16 px per cell,
 * 100 → 7 is 14.29 px). The grid may not exceed the image side.
 */
export function poolArea(map: Float32Array, width: number, height: number, grid: number): Float32Array {
  const columns = axisWeights(width, grid);
  const rows = axisWeights(height, grid);
  // Separable: average along x into grid columns for every pixel row, then along y.
  const rowPooled = new Float64Array(height * grid);
  const { cell, weight, nextWeight } = columns;
  for (let y = 0; y < height; y++) {
    const rowStart = y * width;
    const outStart = y * grid;
    for (let x = 0; x < width; x++) {
      const value = map[rowStart + x]!;
      if (value === 0) continue;
      const out = outStart + cell[x]!;
      rowPooled[out]! += value * weight[x]!;
      if (nextWeight[x]! > 0) rowPooled[out + 1]! += value * nextWeight[x]!;
    }
  }
  const pooled = new Float64Array(grid * grid);
  for (let y = 0; y < height; y++) {
    const out = rows.cell[y]! * grid;
    const inStart = y * grid;
    for (let gx = 0; gx < grid; gx++) {
      const value = rowPooled[inStart + gx]!;
      pooled[out + gx]! += value * rows.weight[y]!;
      if (rows.nextWeight[y]! > 0) pooled[out + grid + gx]! += value * rows.nextWeight[y]!;
    }
  }
  return Float32Array.from(pooled);
}

/**
 * For each pixel along an axis: the first cell it overlaps, its weight there (overlap / cell length,
 * so the weights of one cell sum to 1) and its weight in the next cell (0 when it lies in one cell).
 * A pixel never spans more than two cells because the grid is at most the image side.
 */
interface AxisWeights {
  cell: Int32Array;
  weight: Float64Array;
  nextWeight: Float64Array;
}

const weightCache = new Map<string, AxisWeights>();

function axisWeights(length: number, grid: number): AxisWeights {
  if (grid > length)
    throw new InputError(`cannot pool ${length} pixels into ${grid} cells; use a grid ≤ ${length}`);
  const key = `${length}/${grid}`;
  const cached = weightCache.get(key);
  if (cached) return cached;
  const cellLength = length / grid;
  const result: AxisWeights = {
    cell: new Int32Array(length),
    weight: new Float64Array(length),
    nextWeight: new Float64Array(length),
  };
  for (let pixel = 0; pixel < length; pixel++) {
    const first = Math.min(grid - 1, Math.floor(pixel / cellLength));
    const boundary = (first + 1) * cellLength; // where the first cell ends
    const inFirst = Math.min(pixel + 1, boundary) - pixel;
    result.cell[pixel] = first;
    result.weight[pixel] = inFirst / cellLength;
    result.nextWeight[pixel] =
      first + 1 < grid && pixel + 1 > boundary ? (pixel + 1 - boundary) / cellLength : 0;
  }
  weightCache.set(key, result);
  return result;
}

/** The grid cell of each pixel along an axis (by the pixel's centre), to spread per-cell values back. */
export function cellOfPixel(length: number, grid: number): Int32Array {
  const cells = new Int32Array(length);
  for (let pixel = 0; pixel < length; pixel++) {
    cells[pixel] = Math.min(grid - 1, Math.floor(((pixel + 0.5) * grid) / length));
  }
  return cells;
}

export function maxOf(values: Float32Array): number {
  let max = 0;
  for (const value of values) if (value > max) max = value;
  return max;
}
