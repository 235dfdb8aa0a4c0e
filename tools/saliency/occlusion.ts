import type { RgbImage } from '../../util/image.ts';
import { InputError } from '../../util/errors.ts';
import { blurRgb } from './blur.ts';
import { scoreChecked, scoreInBatches } from './batch.ts';
import { checkImage, checkInteger } from './validate.ts';
import type { ProgressFn, SaliencyMap, ScoreFn } from './types.ts';

/** What covers an occluded patch: mid grey, a blurred copy of the image, or a given RGB colour. */
export type OcclusionFill = 'grey' | 'blur' | readonly [number, number, number];

export interface OcclusionOptions {
  /** Stops the computation between batches (a call past its time limit, a stopped run). */
  signal?: AbortSignal;
  /** Side of the square patch in pixels. Default: 1/8 of the shorter image side (at least 1). */
  patchSize?: number;
  /** Step between patch positions. Default: half the patch size (at least 1). */
  stride?: number;
  /** Default 'grey' (128, 128, 128). 'blur' uses a box blur with radius = patch size. */
  fill?: OcclusionFill;
  /** Images per score call. Default 32. */
  batchSize?: number;
  onProgress?: ProgressFn;
}

const GREY: readonly [number, number, number] = [128, 128, 128];

/**
 * Occlusion saliency (Zeiler & Fergus 2014): slide a patch over the image, score every occluded copy, and
 * credit each pixel with the mean drop in score (baseline − occluded) over the patches that covered it.
 * Positive = hiding this region lowers the score. Patch positions step by `stride` and always include one
 * flush with the right and bottom edges, so every pixel is covered. Deterministic.
 */
export async function occlusionSaliency(
  image: RgbImage,
  score: ScoreFn,
  options: OcclusionOptions = {},
): Promise<SaliencyMap> {
  checkImage(image);
  const { width, height } = image;
  const patchSize = options.patchSize ?? Math.max(1, Math.round(Math.min(width, height) / 8));
  checkInteger('patchSize', patchSize, 1, Math.min(width, height));
  const stride = options.stride ?? Math.max(1, Math.floor(patchSize / 2));
  checkInteger('stride', stride, 1);
  const batchSize = options.batchSize ?? 32;
  checkInteger('batchSize', batchSize, 1);
  const fillSource = fillImage(image, options.fill ?? 'grey', patchSize);

  const xs = patchStarts(width, patchSize, stride);
  const ys = patchStarts(height, patchSize, stride);
  const total = xs.length * ys.length;
  const [baseline] = await scoreChecked(score, [image]);

  const sum = new Float64Array(width * height);
  const count = new Uint32Array(width * height);
  const patchAt = (index: number) => ({
    x0: xs[index % xs.length] as number,
    y0: ys[Math.floor(index / xs.length)] as number,
  });

  await scoreInBatches(
    score,
    total,
    batchSize,
    (index) => {
      const { x0, y0 } = patchAt(index);
      // new Uint8Array(…) copies even when data is a Node Buffer (whose slice() would be a view).
      const data = new Uint8Array(image.data);
      for (let y = y0; y < y0 + patchSize; y++) {
        const start = (y * width + x0) * 3;
        data.set(fillSource.subarray(start, start + patchSize * 3), start);
      }
      return { width, height, data };
    },
    (index, value) => {
      const { x0, y0 } = patchAt(index);
      const drop = (baseline as number) - value;
      for (let y = y0; y < y0 + patchSize; y++) {
        for (let x = x0; x < x0 + patchSize; x++) {
          const p = y * width + x;
          sum[p] = (sum[p] as number) + drop;
          count[p] = (count[p] as number) + 1;
        }
      }
    },
    options.onProgress,
    options.signal,
  );

  const map = new Float32Array(width * height);
  for (let i = 0; i < map.length; i++)
    map[i] = (count[i] as number) > 0 ? (sum[i] as number) / (count[i] as number) : 0;
  return { map, width, height };
}

/** Start offsets 0, stride, 2·stride, … plus a last one flush with the far edge. */
function patchStarts(size: number, patchSize: number, stride: number): number[] {
  const last = size - patchSize;
  const starts: number[] = [];
  for (let s = 0; s < last; s += stride) starts.push(s);
  starts.push(last);
  return starts;
}

/** Full-size RGB buffer whose pixels replace the occluded ones. */
function fillImage(image: RgbImage, fill: OcclusionFill, patchSize: number): Uint8Array {
  if (fill === 'blur') return blurRgb(image, patchSize).data;
  const colour = fill === 'grey' ? GREY : fill;
  if (
    !Array.isArray(colour) ||
    colour.length !== 3 ||
    !colour.every((c) => Number.isInteger(c) && c >= 0 && c <= 255)
  ) {
    throw new InputError(
      `occlusion fill must be 'grey', 'blur' or an [r, g, b] colour with integers 0–255, got ${JSON.stringify(fill)}`,
    );
  }
  const data = new Uint8Array(image.data.length);
  for (let i = 0; i < data.length; i += 3) data.set(colour, i);
  return data;
}
