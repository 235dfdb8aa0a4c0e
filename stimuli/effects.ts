/**
 * Whole-image effects, applied in order to the image AND the label map, so masks stay exact:
 * - occlude paints a rectangle; its pixels leave every item and background mask and join the
 *   occluder's colour concept (itemMap marks them OCCLUDED_ITEM);
 * - blur and noise change pixels only (what is depicted, and where, is unchanged);
 * - flip and rotate move pixels, labels and item boxes together (labels by nearest neighbour, the
 *   image bilinearly); corners a rotation uncovers are filled gray and treated like an occluder.
 */
import type { PixelBox } from './compose.ts';
import { createRandom, hash32 } from '../util/random.ts';
import type { EffectSpec, Region } from './spec.ts';
import type { Rgb } from './textures.ts';

/** itemMap value for pixels covered by an occluder or uncovered by a rotation. */
export const OCCLUDED_ITEM = 255;
const UNCOVERED_GRAY: Rgb = [128, 128, 128];

export interface EffectTarget {
  width: number;
  height: number;
  image: Uint8ClampedArray;
  labels: Uint8Array;
  /** Concepts of each label; effects append labels for occluders. */
  labelConcepts: string[][];
  /** itemMap value of each label (0 background, i+1 item i, OCCLUDED_ITEM). */
  labelItem: number[];
  /** Full-footprint box of each item, moved by flips and rotations. */
  boxes: (PixelBox | null)[];
}

function regionBox(region: Region | undefined, width: number, height: number): PixelBox {
  if (!region) return { x0: 0, y0: 0, x1: width, y1: height };
  const x0 = Math.round(Math.min(region.x0, region.x1) * width);
  const x1 = Math.round(Math.max(region.x0, region.x1) * width);
  const y0 = Math.round(Math.min(region.y0, region.y1) * height);
  const y1 = Math.round(Math.max(region.y0, region.y1) * height);
  return { x0, y0, x1, y1 };
}

function addLabel(target: EffectTarget, concepts: string[]): number {
  target.labelConcepts.push(concepts);
  target.labelItem.push(OCCLUDED_ITEM);
  return target.labelConcepts.length - 1;
}

function occlude(target: EffectTarget, box: PixelBox, rgb: Rgb, colourName: string): void {
  const label = addLabel(target, [colourName]);
  for (let y = box.y0; y < box.y1; y++)
    for (let x = box.x0; x < box.x1; x++) {
      const p = y * target.width + x;
      target.image.set(rgb, p * 3);
      target.labels[p] = label;
    }
}

function gaussianKernel(sigma: number): Float64Array {
  const radius = Math.max(1, Math.ceil(sigma * 3));
  const kernel = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const w = Math.exp(-(i * i) / (2 * sigma * sigma));
    kernel[i + radius] = w;
    sum += w;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i] = (kernel[i] ?? 0) / sum;
  return kernel;
}

/** Separable Gaussian blur (edges clamped), written back only inside the box. */
function blur(target: EffectTarget, sigma: number, box: PixelBox): void {
  const { width, height, image } = target;
  const kernel = gaussianKernel(sigma);
  const radius = (kernel.length - 1) / 2;
  const horizontal = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let k = -radius; k <= radius; k++) {
          const xi = Math.min(width - 1, Math.max(0, x + k));
          s += (image[(y * width + xi) * 3 + c] ?? 0) * (kernel[k + radius] ?? 0);
        }
        horizontal[(y * width + x) * 3 + c] = s;
      }
  for (let y = box.y0; y < box.y1; y++)
    for (let x = box.x0; x < box.x1; x++)
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let k = -radius; k <= radius; k++) {
          const yi = Math.min(height - 1, Math.max(0, y + k));
          s += (horizontal[(yi * width + x) * 3 + c] ?? 0) * (kernel[k + radius] ?? 0);
        }
        image[(y * width + x) * 3 + c] = s;
      }
}

/** Uniform noise of ±amount×255 per channel, seeded by the scene seed and the effect's position. */
function noise(target: EffectTarget, amount: number, box: PixelBox, seed: number): void {
  const rng = createRandom(seed);
  const { width, image } = target;
  for (let y = box.y0; y < box.y1; y++)
    for (let x = box.x0; x < box.x1; x++)
      for (let c = 0; c < 3; c++) {
        const o = (y * width + x) * 3 + c;
        image[o] = (image[o] ?? 0) + (rng() * 2 - 1) * amount * 255;
      }
}

function flip(target: EffectTarget, axis: 'horizontal' | 'vertical'): void {
  const { width, height } = target;
  const image = target.image.slice();
  const labels = target.labels.slice();
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const sx = axis === 'horizontal' ? width - 1 - x : x;
      const sy = axis === 'vertical' ? height - 1 - y : y;
      const p = y * width + x;
      const q = sy * width + sx;
      target.labels[p] = labels[q] ?? 0;
      target.image[p * 3] = image[q * 3] ?? 0;
      target.image[p * 3 + 1] = image[q * 3 + 1] ?? 0;
      target.image[p * 3 + 2] = image[q * 3 + 2] ?? 0;
    }
  target.boxes = target.boxes.map((b) =>
    b === null
      ? null
      : axis === 'horizontal'
        ? { x0: width - b.x1, y0: b.y0, x1: width - b.x0, y1: b.y1 }
        : { x0: b.x0, y0: height - b.y1, x1: b.x1, y1: height - b.y0 },
  );
}

/** Rotate clockwise about the image centre, keeping the image size. */
function rotate(target: EffectTarget, degrees: number): void {
  const { width, height } = target;
  const theta = (degrees * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const cx = width / 2;
  const cy = height / 2;
  const image = target.image.slice();
  const labels = target.labels.slice();
  const uncovered = addLabel(target, ['gray']);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const dx = x + 0.5 - cx;
      const dy = y + 0.5 - cy;
      // Source position: the inverse (counter-clockwise) rotation of this pixel's centre.
      const sx = dx * cos + dy * sin + cx - 0.5;
      const sy = -dx * sin + dy * cos + cy - 0.5;
      const p = y * width + x;
      const nx = Math.round(sx);
      const ny = Math.round(sy);
      if (nx < 0 || ny < 0 || nx >= width || ny >= height) {
        target.labels[p] = uncovered;
        target.image.set(UNCOVERED_GRAY, p * 3);
        continue;
      }
      target.labels[p] = labels[ny * width + nx] ?? 0;
      const x0 = Math.max(0, Math.min(width - 1, Math.floor(sx)));
      const y0 = Math.max(0, Math.min(height - 1, Math.floor(sy)));
      const x1 = Math.min(width - 1, x0 + 1);
      const y1 = Math.min(height - 1, y0 + 1);
      const fx = Math.max(0, Math.min(1, sx - x0));
      const fy = Math.max(0, Math.min(1, sy - y0));
      for (let c = 0; c < 3; c++) {
        const a = image[(y0 * width + x0) * 3 + c] ?? 0;
        const b = image[(y0 * width + x1) * 3 + c] ?? 0;
        const d = image[(y1 * width + x0) * 3 + c] ?? 0;
        const e = image[(y1 * width + x1) * 3 + c] ?? 0;
        target.image[p * 3 + c] = (a * (1 - fx) + b * fx) * (1 - fy) + (d * (1 - fx) + e * fx) * fy;
      }
    }
  target.boxes = target.boxes.map((b) => {
    if (b === null) return null;
    const corners = [
      [b.x0, b.y0],
      [b.x1, b.y0],
      [b.x0, b.y1],
      [b.x1, b.y1],
    ].map(([x = 0, y = 0]) => [(x - cx) * cos - (y - cy) * sin + cx, (x - cx) * sin + (y - cy) * cos + cy]);
    const xs = corners.map((c) => c[0] ?? 0);
    const ys = corners.map((c) => c[1] ?? 0);
    const box = {
      x0: Math.max(0, Math.floor(Math.min(...xs))),
      y0: Math.max(0, Math.floor(Math.min(...ys))),
      x1: Math.min(width, Math.ceil(Math.max(...xs))),
      y1: Math.min(height, Math.ceil(Math.max(...ys))),
    };
    return box.x1 > box.x0 && box.y1 > box.y0 ? box : null;
  });
}

/** Apply one effect; `index` is its position in the spec (it decorrelates the noise of repeated effects). */
export function applyEffect(
  target: EffectTarget,
  effect: EffectSpec,
  index: number,
  seed: number,
  colourOf: (name: string) => Rgb,
): void {
  switch (effect.kind) {
    case 'occlude':
      occlude(
        target,
        regionBox(effect.region, target.width, target.height),
        colourOf(effect.colour),
        effect.colour,
      );
      return;
    case 'blur':
      blur(target, effect.sigma, regionBox(effect.region, target.width, target.height));
      return;
    case 'noise':
      noise(
        target,
        effect.amount,
        regionBox(effect.region, target.width, target.height),
        hash32(seed, index, 0x6e6f),
      );
      return;
    case 'flip':
      flip(target, effect.axis);
      return;
    case 'rotate':
      if (effect.degrees % 360 !== 0) rotate(target, effect.degrees);
      return;
  }
}
