import { InputError } from '../../util/errors.ts';
import type { RgbImage } from '../../util/image.ts';

/**
 * Rendered images as one float32 batch [N, 3, H, W] in 0..1, the layout the trained scene models
 * read (their manifests scale bytes by 1/255 the same way, so the tools see what training saw).
 */
export function imagesTensor(images: readonly RgbImage[]): Float32Array {
  const first = images[0];
  if (!first) return new Float32Array(0);
  const { width, height } = first;
  const plane = width * height;
  const out = new Float32Array(images.length * 3 * plane);
  images.forEach((image, n) => {
    if (image.width !== width || image.height !== height)
      throw new InputError(
        `image ${n} is ${image.width}×${image.height}, not ${width}×${height} like the first`,
      );
    const base = n * 3 * plane;
    for (let p = 0; p < plane; p++) {
      out[base + p] = (image.data[3 * p] as number) / 255;
      out[base + plane + p] = (image.data[3 * p + 1] as number) / 255;
      out[base + 2 * plane + p] = (image.data[3 * p + 2] as number) / 255;
    }
  });
  return out;
}
