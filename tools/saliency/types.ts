import type { RgbImage } from '../../util/image.ts';

/**
 * What the saliency methods need from a model: one scalar per image (a class logit, a probability or a
 * unit's activation). Taking a callback keeps these algorithms model-agnostic and testable with toy scorers.
 */
export type ScoreFn = (images: RgbImage[]) => Promise<Float32Array>;

/** A saliency map at image resolution, row-major, higher = more important. */
export interface SaliencyMap {
  map: Float32Array;
  width: number;
  height: number;
}

/** Called after each scored batch. */
export type ProgressFn = (done: number, total: number) => void;
