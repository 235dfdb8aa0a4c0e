import ort from 'onnxruntime-node';
import { InputError } from '../util/errors.ts';
import type { RgbImage } from '../util/image.ts';
import type { PreprocessSpec, ResizeSpec } from './manifest.ts';
import { resizeBilinear } from './resize.ts';

/**
 * Images → the model's NCHW float input, driven by the manifest's preprocessing spec, exactly as
 * the model's own pipeline does it (PaddleOCR: OpenCV BGR order, bilinear resize, `(x/255 - mean)
 * / std`, right padding). Also reports where each image landed in the input, so maps computed on
 * the input can be laid back over the image.
 */

/** The graph input images feed: its name and dims (a string or -1 for a dynamic dim). */
export interface ImageInputInfo {
  name: string;
  dims: readonly (number | string)[];
}

/** Where an image's pixels lie in the input canvas: the top-left `width × height` region. */
export interface ImagePlacement {
  inputWidth: number;
  inputHeight: number;
  width: number;
  height: number;
}

export interface PreprocessedBatch {
  tensor: ort.Tensor;
  placements: ImagePlacement[];
}

/** What preprocessing a model without a manifest gets: RGB bytes / 255, no resize. */
export const DEFAULT_PREPROCESS: PreprocessSpec = {
  channelOrder: 'RGB',
  resize: { mode: 'none' },
  scale: 1 / 255,
  mean: [0, 0, 0],
  std: [1, 1, 1],
  padValue: 0,
};

export function preprocessImages(
  images: readonly RgbImage[],
  spec: PreprocessSpec,
  input: ImageInputInfo,
): PreprocessedBatch {
  if (images.length === 0) throw new InputError('no images to preprocess: pass at least one');
  images.forEach(checkImage);
  const channels = spec.channelOrder === 'GRAY' ? 1 : 3;
  checkNormalisation(spec, channels);
  const placements = planPlacements(images, spec.resize);
  const first = placements[0] as ImagePlacement;
  checkAgainstInput(first, channels, input, spec);

  const { inputWidth: W, inputHeight: H } = first;
  const plane = W * H;
  const data = new Float32Array(images.length * channels * plane).fill(spec.padValue);
  const order = spec.channelOrder === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  images.forEach((image, n) => {
    const placement = placements[n] as ImagePlacement;
    const resized = resizeBilinear(image, placement.width, placement.height);
    const base = n * channels * plane;
    for (let c = 0; c < channels; c++) {
      const mean = spec.mean[c] ?? spec.mean[0] ?? 0;
      const std = spec.std[c] ?? spec.std[0] ?? 1;
      const source = order[c] ?? 0;
      const planeBase = base + c * plane;
      for (let y = 0; y < placement.height; y++) {
        for (let x = 0; x < placement.width; x++) {
          const p = (y * placement.width + x) * 3;
          const byte =
            channels === 1
              ? grey(resized.data[p] ?? 0, resized.data[p + 1] ?? 0, resized.data[p + 2] ?? 0)
              : (resized.data[p + source] ?? 0);
          data[planeBase + y * W + x] = (byte * spec.scale - mean) / std;
        }
      }
    }
  });
  return { tensor: new ort.Tensor('float32', data, [images.length, channels, H, W]), placements };
}

function checkImage(image: RgbImage, index: number): void {
  const expected = image.width * image.height * 3;
  if (
    !Number.isInteger(image.width) ||
    !Number.isInteger(image.height) ||
    image.width < 1 ||
    image.height < 1
  ) {
    throw new InputError(`image ${index} has an invalid size ${image.width}×${image.height}`);
  }
  if (image.data.length !== expected) {
    throw new InputError(
      `image ${index} has ${image.data.length} bytes but ${image.width}×${image.height} RGB needs ${expected} ` +
        `(3 channels, 8 bits each); decode it with decodeImage to get RGB`,
    );
  }
}

function checkNormalisation(spec: PreprocessSpec, channels: number): void {
  for (const [name, values] of [
    ['mean', spec.mean],
    ['std', spec.std],
  ] as const) {
    if (values.length !== 1 && values.length !== channels) {
      throw new InputError(
        `preprocess.${name} has ${values.length} values; ${spec.channelOrder} input needs 1 or ${channels}`,
      );
    }
  }
}

/** Each image's resized size and the common input size of the batch. */
export function planPlacements(images: readonly RgbImage[], resize: ResizeSpec): ImagePlacement[] {
  switch (resize.mode) {
    case 'none':
    case 'stretch': {
      const sizes = images.map((image) =>
        resize.mode === 'none'
          ? { width: image.width, height: image.height }
          : { width: resize.width, height: resize.height },
      );
      return sameSize(sizes).map((s) => ({ ...s, inputWidth: s.width, inputHeight: s.height }));
    }
    case 'keep-ratio-pad': {
      const H = resize.height;
      // PaddleOCR: the batch width is int(H * max ratio), at least the configured width.
      const maxRatio = Math.max(resize.width / H, ...images.map((i) => i.width / i.height));
      const W = resize.dynamicWidth ? Math.trunc(H * maxRatio) : resize.width;
      return images.map((image) => ({
        inputWidth: W,
        inputHeight: H,
        width: Math.min(Math.ceil(H * (image.width / image.height)), W),
        height: H,
      }));
    }
    case 'limit-side': {
      const sizes = images.map((image) => limitSideSize(image, resize));
      return sameSize(sizes).map((s) => ({ ...s, inputWidth: s.width, inputHeight: s.height }));
    }
  }
}

/** PaddleOCR's DetResizeForTest (limit_type max/min), including Python's round-half-to-even. */
function limitSideSize(
  image: RgbImage,
  resize: Extract<ResizeSpec, { mode: 'limit-side' }>,
): { width: number; height: number } {
  const { width: w, height: h } = image;
  let ratio = 1;
  if (resize.limitType === 'max' && Math.max(h, w) > resize.limitSide)
    ratio = resize.limitSide / Math.max(h, w);
  if (resize.limitType === 'min' && Math.min(h, w) < resize.limitSide)
    ratio = resize.limitSide / Math.min(h, w);
  const m = resize.multiple;
  const round = (side: number) => Math.max(roundHalfEven(Math.trunc(side * ratio) / m) * m, m);
  return { width: round(w), height: round(h) };
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function sameSize(sizes: { width: number; height: number }[]): { width: number; height: number }[] {
  const first = sizes[0] as { width: number; height: number };
  const other = sizes.find((s) => s.width !== first.width || s.height !== first.height);
  if (other) {
    throw new InputError(
      `images in one batch must come to the same input size, got ${first.width}×${first.height} and ` +
        `${other.width}×${other.height}; batch images of equal size or preprocess them one at a time`,
    );
  }
  return sizes;
}

/** A fixed-size model input must match what preprocessing produces; say what it expects. */
function checkAgainstInput(
  placement: ImagePlacement,
  channels: number,
  input: ImageInputInfo,
  spec: PreprocessSpec,
): void {
  const dims = input.dims;
  if (dims.length !== 4) {
    throw new InputError(
      `input '${input.name}' has rank ${dims.length}; image preprocessing produces NCHW (rank 4)`,
    );
  }
  const fixed = (d: number | string | undefined) => (typeof d === 'number' && d > 0 ? d : undefined);
  const [, C, H, W] = dims.map(fixed);
  if (C !== undefined && C !== channels) {
    throw new InputError(
      `input '${input.name}' expects ${C} channel(s), but ${spec.channelOrder} preprocessing gives ${channels}; ` +
        `set input.preprocess.channelOrder in the subject manifest`,
    );
  }
  const gotH = placement.inputHeight;
  const gotW = placement.inputWidth;
  if ((H !== undefined && H !== gotH) || (W !== undefined && W !== gotW)) {
    const expected = `${W ?? 'any'}×${H ?? 'any'} (width×height)`;
    throw new InputError(
      `image comes to ${gotW}×${gotH} after preprocessing (resize mode '${spec.resize.mode}') but input ` +
        `'${input.name}' needs ${expected}; resize the image or give the manifest a resize rule`,
    );
  }
}

/** ITU-R BT.601 luma, as OpenCV's BGR2GRAY. */
function grey(r: number, g: number, b: number): number {
  return Math.round(0.299 * r + 0.587 * g + 0.114 * b);
}
