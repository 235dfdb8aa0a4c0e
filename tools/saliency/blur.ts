import type { RgbImage } from '../../util/image.ts';

/**
 * A blurred copy of an RGB image: three passes of a separable box filter (close to a Gaussian with
 * sigma ≈ radius), edges clamped. Used as an occlusion fill that removes detail but keeps colour and
 * brightness, so the model sees "no information here" rather than a foreign grey square.
 */
export function blurRgb(image: RgbImage, radius: number): RgbImage {
  const { width, height } = image;
  const r = Math.max(0, Math.floor(radius));
  const current = Float32Array.from(image.data);
  const scratch = new Float32Array(current.length);
  for (let pass = 0; pass < 3 && r > 0; pass++) {
    boxPass(current, scratch, width, height, r, 3, 3 * width); // along rows
    boxPass(scratch, current, height, width, r, 3 * width, 3); // along columns
  }
  const data = new Uint8Array(current.length);
  for (let i = 0; i < current.length; i++) data[i] = Math.round(current[i] as number);
  return { width, height, data };
}

/**
 * One running-sum box filter of radius r along lines of `length` pixels. `step` is the distance between
 * neighbouring pixels on a line and `lineStride` between the starts of neighbouring lines (in array slots).
 */
function boxPass(
  src: Float32Array,
  dst: Float32Array,
  length: number,
  lines: number,
  r: number,
  step: number,
  lineStride: number,
): void {
  const size = 2 * r + 1;
  const last = length - 1;
  for (let line = 0; line < lines; line++) {
    for (let channel = 0; channel < 3; channel++) {
      const base = line * lineStride + channel;
      const at = (i: number) => src[base + Math.min(Math.max(i, 0), last) * step] as number;
      let sum = 0;
      for (let k = -r; k <= r; k++) sum += at(k);
      for (let i = 0; i < length; i++) {
        dst[base + i * step] = sum / size;
        sum += at(i + r + 1) - at(i - r);
      }
    }
  }
}
