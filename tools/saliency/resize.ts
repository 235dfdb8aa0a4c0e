/**
 * Bilinear resampling of single-channel float maps with half-pixel centres and clamped edges (the
 * convention of OpenCV INTER_LINEAR and PyTorch `align_corners=False`), so same-size resizing is exact.
 */

/** For each of `count` output positions starting at `offset` on an axis resized from srcSize to dstSize:
 *  the two source indices to blend and the weight of the second. */
export interface AxisSamples {
  lower: Int32Array;
  upper: Int32Array;
  weight: Float32Array;
}

export function linearAxis(srcSize: number, dstSize: number, offset = 0, count = dstSize): AxisSamples {
  const lower = new Int32Array(count);
  const upper = new Int32Array(count);
  const weight = new Float32Array(count);
  const scale = srcSize / dstSize;
  for (let i = 0; i < count; i++) {
    const source = Math.min(Math.max((i + offset + 0.5) * scale - 0.5, 0), srcSize - 1);
    const i0 = Math.floor(source);
    lower[i] = i0;
    upper[i] = Math.min(i0 + 1, srcSize - 1);
    weight[i] = source - i0;
  }
  return { lower, upper, weight };
}

/**
 * Samples a srcWidth-wide map at the positions two axis tables describe, into `out` (rows × columns).
 * Separable: each source row is interpolated across once, then output rows blend two of those, which is
 * what makes per-mask upsampling in RISE cheap.
 */
export function sampleBilinear(
  src: ArrayLike<number>,
  srcWidth: number,
  rows: AxisSamples,
  columns: AxisSamples,
  out: Float32Array = new Float32Array(rows.lower.length * columns.lower.length),
): Float32Array {
  const width = columns.lower.length;
  const srcHeight = src.length / srcWidth;
  const across = new Float64Array(srcHeight * width);
  for (let r = 0; r < srcHeight; r++) {
    const rowStart = r * srcWidth;
    for (let x = 0; x < width; x++) {
      const wx = columns.weight[x] as number;
      across[r * width + x] =
        (src[rowStart + (columns.lower[x] as number)] as number) * (1 - wx) +
        (src[rowStart + (columns.upper[x] as number)] as number) * wx;
    }
  }
  for (let y = 0; y < rows.lower.length; y++) {
    const top = (rows.lower[y] as number) * width;
    const bottom = (rows.upper[y] as number) * width;
    const wy = rows.weight[y] as number;
    const outStart = y * width;
    for (let x = 0; x < width; x++) {
      out[outStart + x] = (across[top + x] as number) * (1 - wy) + (across[bottom + x] as number) * wy;
    }
  }
  return out;
}

/** Resizes a srcWidth×srcHeight map to dstWidth×dstHeight. */
export function resizeBilinear(
  src: ArrayLike<number>,
  srcWidth: number,
  srcHeight: number,
  dstWidth: number,
  dstHeight: number,
): Float32Array {
  return sampleBilinear(src, srcWidth, linearAxis(srcHeight, dstHeight), linearAxis(srcWidth, dstWidth));
}
