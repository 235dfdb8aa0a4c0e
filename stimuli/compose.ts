/**
 * Composing one item onto the canvas with our own affine sampler: inverse-map each output pixel into
 * the sprite (scale, rotation, mirror), sample the mip level nearest the item's size bilinearly, then
 * colour (tint, fill or texture) and blend. The same sample decides membership: a pixel belongs to the
 * item when the item's coverage there is at least ALPHA_THRESHOLD, which is what makes masks exact —
 * a later item that covers a pixel takes it over, so occluded parts leave the occluded item's masks.
 */
import type { ItemSpec } from './spec.ts';
import type { Sprite, SpriteLevel } from './sprites.ts';
import type { Rgb, Texture } from './textures.ts';

/** Coverage (0..255) at or above which a pixel belongs to an item: half covered. */
export const ALPHA_THRESHOLD = 128;

/** A pixel box: x0, y0 inclusive; x1, y1 exclusive. */
export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface Canvas {
  width: number;
  height: number;
  /** RGB, width*height*3; clamped so colour arithmetic cannot wrap. */
  image: Uint8ClampedArray;
  /** Label per pixel (see render.ts): which background region, item or occluder owns it. */
  labels: Uint8Array;
}

export interface ItemPaint {
  sprite: Sprite;
  /** 'sprite' keeps the sprite's own colours (objects); 'fill' paints its alpha with one colour (shapes, words). */
  mode: 'sprite' | 'fill';
  /** Tint (objects) or fill (shapes, words). Fill defaults to black. */
  colour?: Rgb;
  texture?: Texture;
  textureSeed: number;
}

type PixelVisitor = (p: number, alpha: number, r: number, g: number, b: number, u: number, v: number) => void;

function chooseLevel(sprite: Sprite, heightPx: number): SpriteLevel {
  const base = sprite.levels[0];
  if (!base) throw new Error('sprite has no levels');
  // The finest level not more than 2× finer than the output, so bilinear sampling does not alias.
  const k = Math.max(0, Math.floor(Math.log2(base.height / Math.max(1, heightPx))));
  return sprite.levels[Math.min(k, sprite.levels.length - 1)] ?? base;
}

/**
 * Visit every output pixel the item may touch, with its bilinear sample (premultiplied RGBA) and the
 * pixel's position in the item's own frame (u, v in item heights from the item centre).
 */
function visitItemPixels(
  width: number,
  height: number,
  item: ItemSpec,
  sprite: Sprite,
  visit: PixelVisitor,
): void {
  const heightPx = item.size * height;
  const widthPx = heightPx * sprite.aspect;
  const level = chooseLevel(sprite, heightPx);
  const lw = level.width;
  const lh = level.height;
  const data = level.data;
  const cx = item.x * width;
  const cy = item.y * height;
  const theta = (item.rotation * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const ex = Math.abs((widthPx / 2) * cos) + Math.abs((heightPx / 2) * sin);
  const ey = Math.abs((widthPx / 2) * sin) + Math.abs((heightPx / 2) * cos);
  const xStart = Math.max(0, Math.floor(cx - ex - 1));
  const xEnd = Math.min(width, Math.ceil(cx + ex + 1));
  const yStart = Math.max(0, Math.floor(cy - ey - 1));
  const yEnd = Math.min(height, Math.ceil(cy + ey + 1));
  const mirror = item.flip ? -1 : 1;
  const toSpriteX = lw / widthPx;
  const toSpriteY = lh / heightPx;
  for (let y = yStart; y < yEnd; y++) {
    const dy = y + 0.5 - cy;
    for (let x = xStart; x < xEnd; x++) {
      const dx = x + 0.5 - cx;
      // Inverse of a clockwise rotation (screen y points down), then the optional mirror.
      const lx = (dx * cos + dy * sin) * mirror;
      const ly = -dx * sin + dy * cos;
      const sx = (lx + widthPx / 2) * toSpriteX - 0.5;
      const sy = (ly + heightPx / 2) * toSpriteY - 0.5;
      if (sx <= -1 || sy <= -1 || sx >= lw || sy >= lh) continue;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      // Bilinear over the four neighbours; outside the raster counts as transparent.
      for (let k = 0; k < 4; k++) {
        const xi = x0 + (k & 1);
        const yi = y0 + (k >> 1);
        if (xi < 0 || yi < 0 || xi >= lw || yi >= lh) continue;
        const w = ((k & 1) === 1 ? fx : 1 - fx) * (k >> 1 === 1 ? fy : 1 - fy);
        const o = (yi * lw + xi) * 4;
        r += (data[o] ?? 0) * w;
        g += (data[o + 1] ?? 0) * w;
        b += (data[o + 2] ?? 0) * w;
        a += (data[o + 3] ?? 0) * w;
      }
      if (a < 0.5) continue;
      visit(y * width + x, a, r, g, b, lx / heightPx, ly / heightPx);
    }
  }
}

/** The item's coverage alone (0..255 per pixel, rounded), as drawn: the ground truth its mask must match. */
export function itemCoverage(width: number, height: number, item: ItemSpec, sprite: Sprite): Uint8Array {
  const coverage = new Uint8Array(width * height);
  visitItemPixels(width, height, item, sprite, (p, a) => {
    coverage[p] = Math.round(a);
  });
  return coverage;
}

/**
 * Paint an item and claim its pixels for `label`. Returns the box of its full footprint (every pixel
 * with coverage ≥ ALPHA_THRESHOLD, before any later item covers it), or null if none is on the image.
 */
export function drawItem(canvas: Canvas, item: ItemSpec, paint: ItemPaint, label: number): PixelBox | null {
  const { width, height, image, labels } = canvas;
  const texture = paint.texture;
  const [dark, light] = texture ? texture.palette(paint.colour) : [[0, 0, 0] as Rgb, [0, 0, 0] as Rgb];
  const fill = paint.colour ?? ([0, 0, 0] as Rgb);
  const periods = texture?.itemPeriods ?? 1;
  // Each item shows a different patch of its texture.
  const offsetU = (paint.textureSeed % 997) * 0.618;
  const offsetV = (paint.textureSeed % 991) * 0.382;
  const seed = paint.textureSeed;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  visitItemPixels(width, height, item, paint.sprite, (p, a, r, g, b, u, v) => {
    let cr: number;
    let cg: number;
    let cb: number;
    if (texture) {
      const t = texture.tone(u * periods + offsetU, v * periods + offsetV, seed);
      cr = dark[0] + (light[0] - dark[0]) * t;
      cg = dark[1] + (light[1] - dark[1]) * t;
      cb = dark[2] + (light[2] - dark[2]) * t;
    } else if (paint.mode === 'fill' || paint.colour) {
      [cr, cg, cb] = fill;
    } else {
      cr = (r * 255) / a;
      cg = (g * 255) / a;
      cb = (b * 255) / a;
    }
    if (paint.mode === 'sprite' && (texture || paint.colour)) {
      // Keep the sprite's shading (outlines, eyes) by multiplying the new colour by its luminance.
      const luminance = (0.299 * r + 0.587 * g + 0.114 * b) / a;
      const k = Math.min(1, luminance * 1.25);
      cr *= k;
      cg *= k;
      cb *= k;
    }
    const alpha = a / 255;
    const o = p * 3;
    image[o] = (image[o] ?? 0) * (1 - alpha) + cr * alpha;
    image[o + 1] = (image[o + 1] ?? 0) * (1 - alpha) + cg * alpha;
    image[o + 2] = (image[o + 2] ?? 0) * (1 - alpha) + cb * alpha;
    if (Math.round(a) >= ALPHA_THRESHOLD) {
      labels[p] = label;
      const x = p % width;
      const y = (p - x) / width;
      if (x < x0) x0 = x;
      if (x >= x1) x1 = x + 1;
      if (y < y0) y0 = y;
      if (y >= y1) y1 = y + 1;
    }
  });
  return x1 < 0 ? null : { x0, y0, x1, y1 };
}
