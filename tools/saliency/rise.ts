import type { RgbImage } from '../../util/image.ts';
import { InputError } from '../../util/errors.ts';
import { createRandom, randomInt } from '../../util/random.ts';
import { scoreInBatches } from './batch.ts';
import { checkImage, checkInteger } from './validate.ts';
import { linearAxis, sampleBilinear } from './resize.ts';
import type { ProgressFn, SaliencyMap, ScoreFn } from './types.ts';

export interface RiseOptions {
  /** Stops the computation between batches (a call past its time limit, a stopped run). */
  signal?: AbortSignal;
  /** Number of random masks N. Default 1000. */
  masks?: number;
  /** The masks are drawn on an s×s grid before upsampling. Default 7. */
  gridSize?: number;
  /** Probability p that a grid cell is kept. Default 0.5. */
  probability?: number;
  /** PRNG seed; the same seed gives the same map. Default 0. */
  seed?: number;
  /** Images per score call. Default 32. */
  batchSize?: number;
  onProgress?: ProgressFn;
}

/**
 * RISE (Petsiuk et al., BMVC 2018): score the image under N random soft masks and average the masks
 * weighted by the scores: S = Σ_i score(I ⊙ M_i) · M_i / (N · p).
 *
 * Each mask is an s×s grid of cells kept with probability p, bilinearly upsampled to (s + 1)·⌈H/s⌉ by
 * (s + 1)·⌈W/s⌉ and cropped to H×W at a random shift of less than one cell, so cell edges do not line up
 * across masks. Masked-out pixels go to black (the paper's I ⊙ M). Masks come from a seeded PRNG, so a
 * seed fixes the map.
 */
export async function riseSaliency(
  image: RgbImage,
  score: ScoreFn,
  options: RiseOptions = {},
): Promise<SaliencyMap> {
  checkImage(image);
  const { width, height } = image;
  const maskCount = options.masks ?? 1000;
  checkInteger('masks', maskCount, 1);
  const gridSize = options.gridSize ?? 7;
  checkInteger('gridSize', gridSize, 1, Math.min(width, height));
  const probability = options.probability ?? 0.5;
  if (!(probability > 0 && probability <= 1)) {
    throw new InputError(`probability must be in (0, 1], got ${probability}`);
  }
  const batchSize = options.batchSize ?? 32;
  checkInteger('batchSize', batchSize, 1);
  const random = createRandom(options.seed ?? 0);

  const cellHeight = Math.ceil(height / gridSize);
  const cellWidth = Math.ceil(width / gridSize);
  const upHeight = (gridSize + 1) * cellHeight;
  const upWidth = (gridSize + 1) * cellWidth;
  const grid = new Float32Array(gridSize * gridSize);
  // One mask buffer per batch slot: a batch is fully built before its scores are used.
  const masks = Array.from(
    { length: Math.min(batchSize, maskCount) },
    () => new Float32Array(width * height),
  );
  const saliency = new Float64Array(width * height);

  await scoreInBatches(
    score,
    maskCount,
    batchSize,
    (index) => {
      for (let c = 0; c < grid.length; c++) grid[c] = random() < probability ? 1 : 0;
      const dy = randomInt(random, cellHeight);
      const dx = randomInt(random, cellWidth);
      const mask = masks[index % masks.length] as Float32Array;
      sampleBilinear(
        grid,
        gridSize,
        linearAxis(gridSize, upHeight, dy, height),
        linearAxis(gridSize, upWidth, dx, width),
        mask,
      );
      const data = new Uint8Array(image.data.length);
      const pixels = image.data;
      for (let p = 0, i = 0; p < mask.length; p++, i += 3) {
        const m = mask[p] as number;
        // Storing into a Uint8Array truncates, so + 0.5 rounds (values stay within [0, 255.5)).
        data[i] = (pixels[i] as number) * m + 0.5;
        data[i + 1] = (pixels[i + 1] as number) * m + 0.5;
        data[i + 2] = (pixels[i + 2] as number) * m + 0.5;
      }
      return { width, height, data };
    },
    (index, value) => {
      const mask = masks[index % masks.length] as Float32Array;
      for (let p = 0; p < mask.length; p++)
        saliency[p] = (saliency[p] as number) + value * (mask[p] as number);
    },
    options.onProgress,
    options.signal,
  );

  const map = new Float32Array(width * height);
  const norm = maskCount * probability;
  for (let p = 0; p < map.length; p++) map[p] = (saliency[p] as number) / norm;
  return { map, width, height };
}
