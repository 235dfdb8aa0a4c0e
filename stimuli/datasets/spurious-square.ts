import { InputError } from '../../util/errors.ts';
import { createRandom } from '../../util/random.ts';
import type { GreyImageSet } from './fashion-mnist.ts';

/**
 * The spurious-square images of the Explanation Alignment experiment (Bang, Boggust & Satyanarayan,
 * "Explanation Alignment: Quantifying the Correctness of Model Reasoning at Scale", 2024), on
 * grey garment images: each image becomes RGB with a small coloured square in its top-left corner.
 * Every class has its own colour; how the square's colour relates to the label is the variant:
 *
 * - `correlated`: the square has the label's colour (the shortcut a spurious model learns);
 * - `broken`: the square has the colour of another class, drawn seeded (a model that reads the
 *   square is wrong on every image);
 * - `random`: the colour of any class, drawn seeded independently of the label (the square is
 *   present but predicts nothing — how the normal model is trained);
 * - `none`: no square.
 *
 * Each image comes with its annotation: label, the square's box and colour class, and the garment
 * mask (pixels brighter than GARMENT_THRESHOLD outside the square), so alignment and edits are exact.
 */

export const SQUARE_VARIANTS = ['correlated', 'broken', 'random', 'none'] as const;
export type SquareVariant = (typeof SQUARE_VARIANTS)[number];

/** Seeds of the squares' colours on the test sets, fixed so every evaluation sees the same images. */
export const TEST_SQUARE_SEEDS = { correlated: 101, broken: 102, random: 103, none: 104 } as const;

/** Side of the square in pixels, and its corner offset. */
export const SQUARE_SIZE = 4;
export const SQUARE_OFFSET = 1;

/** A garment pixel is brighter than this (of 255): Fashion-MNIST backgrounds are 0 with faint noise. */
export const GARMENT_THRESHOLD = 32;

/** One saturated colour per class, far apart from each other and from grey. */
export const SQUARE_COLOURS: readonly (readonly [number, number, number])[] = [
  [230, 25, 75],
  [60, 180, 75],
  [255, 225, 25],
  [0, 130, 200],
  [245, 130, 48],
  [145, 30, 180],
  [70, 240, 240],
  [240, 50, 230],
  [210, 245, 60],
  [128, 0, 0],
];

/** The colours' names, in class order (as the dataset stimuli's recolour edits name them). */
export const SQUARE_COLOUR_NAMES = [
  'red',
  'green',
  'yellow',
  'blue',
  'orange',
  'purple',
  'cyan',
  'magenta',
  'lime',
  'maroon',
] as const;

export interface SquareAnnotation {
  label: number;
  /** Class whose colour the square has (undefined without a square). */
  squareClass?: number;
  /** The square's box in pixels (x, y, width, height). */
  square?: { x: number; y: number; width: number; height: number };
}

/** RGB images as a float tensor [N, 3, H, W] in [0, 1], with per-image annotations and masks. */
export interface SquareImageSet {
  tensor: Float32Array;
  count: number;
  height: number;
  width: number;
  labels: Uint8Array;
  annotations: SquareAnnotation[];
  /** Garment masks [N, H, W]: 1 where the garment is. */
  garmentMasks: Uint8Array;
  /** Square masks [N, H, W]: 1 where the square is. */
  squareMasks: Uint8Array;
}

function squareClassFor(
  variant: SquareVariant,
  label: number,
  classes: number,
  random: () => number,
): number | undefined {
  if (variant === 'none') return undefined;
  if (variant === 'correlated') return label;
  if (variant === 'random') return Math.floor(random() * classes);
  // Any class but the label's, uniformly.
  return (label + 1 + Math.floor(random() * (classes - 1))) % classes;
}

export function withSquares(set: GreyImageSet, variant: SquareVariant, seed: number): SquareImageSet {
  const classes = SQUARE_COLOURS.length;
  const { count, height, width } = set;
  if (height < SQUARE_OFFSET + SQUARE_SIZE || width < SQUARE_OFFSET + SQUARE_SIZE) {
    throw new InputError(`images of ${height}×${width} are too small for a ${SQUARE_SIZE}-pixel square`);
  }
  const pixels = height * width;
  const tensor = new Float32Array(count * 3 * pixels);
  const garmentMasks = new Uint8Array(count * pixels);
  const squareMasks = new Uint8Array(count * pixels);
  const annotations: SquareAnnotation[] = [];
  const random = createRandom(seed);
  for (let n = 0; n < count; n++) {
    const label = set.labels[n] as number;
    if (label >= classes)
      throw new InputError(`label ${label} of image ${n} has no square colour (0..${classes - 1})`);
    const squareClass = squareClassFor(variant, label, classes, random);
    const base = n * 3 * pixels;
    for (let p = 0; p < pixels; p++) {
      const value = set.images[n * pixels + p] as number;
      const v = value / 255;
      tensor[base + p] = v;
      tensor[base + pixels + p] = v;
      tensor[base + 2 * pixels + p] = v;
      if (value > GARMENT_THRESHOLD) garmentMasks[n * pixels + p] = 1;
    }
    if (squareClass === undefined) {
      annotations.push({ label });
      continue;
    }
    const colour = SQUARE_COLOURS[squareClass] as readonly [number, number, number];
    for (let y = SQUARE_OFFSET; y < SQUARE_OFFSET + SQUARE_SIZE; y++) {
      for (let x = SQUARE_OFFSET; x < SQUARE_OFFSET + SQUARE_SIZE; x++) {
        const p = y * width + x;
        for (let c = 0; c < 3; c++) tensor[base + c * pixels + p] = (colour[c] as number) / 255;
        garmentMasks[n * pixels + p] = 0;
        squareMasks[n * pixels + p] = 1;
      }
    }
    annotations.push({
      label,
      squareClass,
      square: { x: SQUARE_OFFSET, y: SQUARE_OFFSET, width: SQUARE_SIZE, height: SQUARE_SIZE },
    });
  }
  return {
    tensor,
    count,
    height,
    width,
    labels: set.labels.slice(0, count),
    annotations,
    garmentMasks,
    squareMasks,
  };
}

/** One-hot targets [N, classes] of the labels. */
export function oneHot(labels: Uint8Array, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  labels.forEach((label, n) => {
    out[n * classes + label] = 1;
  });
  return out;
}
