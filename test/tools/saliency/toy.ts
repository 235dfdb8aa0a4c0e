import type { RgbImage } from '../../../util/image.ts';
import type { ScoreFn } from '../../../tools/saliency/types.ts';

/**
 * A toy subject: a white square on black, scored by the mean brightness inside the square. Its true
 * saliency is the square, so saliency methods can be checked against a known answer.
 */
export function squareToy(size: number, x0: number, y0: number, side: number) {
  const data = new Uint8Array(size * size * 3);
  const square = new Uint8Array(size * size);
  for (let y = y0; y < y0 + side; y++) {
    for (let x = x0; x < x0 + side; x++) {
      square[y * size + x] = 1;
      data.fill(255, (y * size + x) * 3, (y * size + x) * 3 + 3);
    }
  }
  const image: RgbImage = { width: size, height: size, data };
  let calls = 0;
  let imagesScored = 0;
  const score: ScoreFn = async (images) => {
    calls++;
    imagesScored += images.length;
    return Float32Array.from(images, (im) => meanBrightness(im, square));
  };
  return { image, square, score, stats: () => ({ calls, imagesScored }) };
}

export function meanBrightness(image: RgbImage, region: Uint8Array): number {
  let sum = 0;
  let n = 0;
  for (let p = 0; p < region.length; p++) {
    if (region[p] === 0) continue;
    sum +=
      ((image.data[p * 3] as number) +
        (image.data[p * 3 + 1] as number) +
        (image.data[p * 3 + 2] as number)) /
      3;
    n++;
  }
  return sum / n;
}
