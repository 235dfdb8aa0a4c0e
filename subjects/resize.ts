import type { RgbImage } from '../util/image.ts';

/**
 * Bilinear resize with OpenCV's INTER_LINEAR sampling (pixel centres aligned, edges clamped, no
 * antialiasing), rounded back to bytes: the resize PaddleOCR's preprocessing applies with
 * cv2.resize. Synchronous and dependency-free so preprocessing stays a pure function.
 */
export function resizeBilinear(image: RgbImage, width: number, height: number): RgbImage {
  if (image.width === width && image.height === height) return image;
  const xs = sampleAxis(image.width, width);
  const ys = sampleAxis(image.height, height);
  const src = image.data;
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const y0 = ys.index[y] ?? 0;
    const y1 = Math.min(y0 + 1, image.height - 1);
    const wy = ys.weight[y] ?? 0;
    for (let x = 0; x < width; x++) {
      const x0 = xs.index[x] ?? 0;
      const x1 = Math.min(x0 + 1, image.width - 1);
      const wx = xs.weight[x] ?? 0;
      const p00 = (y0 * image.width + x0) * 3;
      const p01 = (y0 * image.width + x1) * 3;
      const p10 = (y1 * image.width + x0) * 3;
      const p11 = (y1 * image.width + x1) * 3;
      const o = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        const top = (src[p00 + c] ?? 0) * (1 - wx) + (src[p01 + c] ?? 0) * wx;
        const bottom = (src[p10 + c] ?? 0) * (1 - wx) + (src[p11 + c] ?? 0) * wx;
        out[o + c] = Math.round(top * (1 - wy) + bottom * wy);
      }
    }
  }
  return { width, height, data: out };
}

/** Source index and interpolation weight for each destination coordinate along one axis. */
function sampleAxis(srcSize: number, dstSize: number): { index: Int32Array; weight: Float32Array } {
  const scale = srcSize / dstSize;
  const index = new Int32Array(dstSize);
  const weight = new Float32Array(dstSize);
  for (let d = 0; d < dstSize; d++) {
    const f = (d + 0.5) * scale - 0.5;
    let i = Math.floor(f);
    let w = f - i;
    if (i < 0) {
      i = 0;
      w = 0;
    }
    if (i >= srcSize - 1) {
      i = srcSize - 1;
      w = 0;
    }
    index[d] = i;
    weight[d] = w;
  }
  return { index, weight };
}
