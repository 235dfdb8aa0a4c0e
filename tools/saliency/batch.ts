import { AiaError } from '../../util/errors.ts';
import type { RgbImage } from '../../util/image.ts';
import type { ProgressFn, ScoreFn } from './types.ts';

/**
 * Scores `total` generated images in batches: `build(i)` makes image i, then each batch goes through the
 * score callback in one call and `use(i, score)` receives the results in order. A whole batch is built
 * before any of it is used, so `build` may stash per-image state in a slot indexed by i % batchSize.
 * An aborted `signal` stops it before the next batch (throwing the signal's reason).
 */
export async function scoreInBatches(
  score: ScoreFn,
  total: number,
  batchSize: number,
  build: (index: number) => RgbImage,
  use: (index: number, value: number) => void,
  onProgress?: ProgressFn,
  signal?: AbortSignal,
): Promise<void> {
  for (let start = 0; start < total; start += batchSize) {
    signal?.throwIfAborted();
    const end = Math.min(start + batchSize, total);
    const images: RgbImage[] = [];
    for (let i = start; i < end; i++) images.push(build(i));
    const scores = await scoreChecked(score, images);
    for (let i = start; i < end; i++) use(i, scores[i - start] as number);
    onProgress?.(end, total);
  }
}

/** Calls the score callback and checks it returned one finite number per image. */
export async function scoreChecked(score: ScoreFn, images: RgbImage[]): Promise<Float32Array> {
  const scores = await score(images);
  if (scores.length !== images.length) {
    throw new AiaError(
      `the score callback returned ${scores.length} values for ${images.length} images; it must return one per image`,
      'SALIENCY_SCORE_ERROR',
    );
  }
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) {
      throw new AiaError(
        `the score callback returned ${scores[i]} for image ${i} of a batch; scores must be finite`,
        'SALIENCY_SCORE_ERROR',
      );
    }
  }
  return scores;
}
