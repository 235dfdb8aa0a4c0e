/**
 * Sprites: every object, shape and word is rasterised ONCE to premultiplied RGBA at a base size with a
 * mip chain, cached in memory, and then composed by our own sampler (compose.ts) — no sharp call per
 * item, which is what makes thousands of scenes a minute possible.
 *
 * Object sprites are Twemoji SVGs from @twemoji/svg (graphics © Twitter, Inc. and other
 * contributors, CC-BY 4.0, https://creativecommons.org/licenses/by/4.0/), plus our own SVGs for a
 * few concepts (custom-sprites.ts). Shapes are SVGs from shapes.ts; words come from renderTextAlpha.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { CUSTOM_SPRITES } from './custom-sprites.ts';
import { renderTextAlpha } from './font.ts';
import { shapeSvg } from './shapes.ts';
import { BACKGROUNDS, OBJECTS } from './vocabulary-data.ts';

/** One mip level: premultiplied RGBA, row-major. */
export interface SpriteLevel {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface Sprite {
  /** width / height of the drawn sprite. */
  aspect: number;
  /** levels[0] is the base raster; each next level halves it (box filter), down to ~8 px tall. */
  levels: SpriteLevel[];
}

/** Base raster height in pixels: items up to ~2× this are sampled without visible blur. */
export const SPRITE_BASE_SIZE = 256;
/** Words are rasterised at this height (their width follows the text). */
const WORD_BASE_HEIGHT = 96;

const SPRITE_SOURCES = new Map<string, string>([
  ...OBJECTS.map((o) => [o.name, o.sprite] as const),
  ...BACKGROUNDS.filter((b) => b.sprite !== undefined).map((b) => [b.name, b.sprite ?? ''] as const),
]);

/** The sprite source of an object concept ('1f415' or 'custom:fence'), undefined if not an object. */
export function objectSpriteSource(name: string): string | undefined {
  return SPRITE_SOURCES.get(name);
}

function twemojiDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@twemoji/svg/package.json'));
}

function objectSvg(name: string): Buffer {
  const source = SPRITE_SOURCES.get(name);
  if (source === undefined) throw new Error(`no sprite for object '${name}'`);
  if (source.startsWith('custom:')) {
    const svg = CUSTOM_SPRITES[source.slice('custom:'.length)];
    if (svg === undefined) throw new Error(`no custom sprite '${source}'`);
    return Buffer.from(svg);
  }
  return readFileSync(join(twemojiDir(), `${source}.svg`));
}

/** Halve a level with a 2×2 box filter (premultiplied, so edges do not darken). */
function halve(level: SpriteLevel): SpriteLevel {
  const width = Math.max(1, level.width >> 1);
  const height = Math.max(1, level.height >> 1);
  const data = new Uint8Array(width * height * 4);
  const src = level.data;
  const sw = level.width;
  for (let y = 0; y < height; y++) {
    const y0 = Math.min(2 * y, level.height - 1);
    const y1 = Math.min(2 * y + 1, level.height - 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.min(2 * x, sw - 1);
      const x1 = Math.min(2 * x + 1, sw - 1);
      const a = (y0 * sw + x0) * 4;
      const b = (y0 * sw + x1) * 4;
      const c = (y1 * sw + x0) * 4;
      const d = (y1 * sw + x1) * 4;
      const o = (y * width + x) * 4;
      for (let k = 0; k < 4; k++)
        data[o + k] =
          ((src[a + k] ?? 0) + (src[b + k] ?? 0) + (src[c + k] ?? 0) + (src[d + k] ?? 0) + 2) >> 2;
    }
  }
  return { width, height, data };
}

function withMips(base: SpriteLevel): Sprite {
  const levels = [base];
  let last = base;
  while (last.height > 8 && last.width > 1) {
    last = halve(last);
    levels.push(last);
  }
  return { aspect: base.width / base.height, levels };
}

function premultiply(rgba: Uint8Array): Uint8Array {
  for (let i = 0; i < rgba.length; i += 4) {
    const a = rgba[i + 3] ?? 0;
    if (a === 255) continue;
    rgba[i] = Math.round(((rgba[i] ?? 0) * a) / 255);
    rgba[i + 1] = Math.round(((rgba[i + 1] ?? 0) * a) / 255);
    rgba[i + 2] = Math.round(((rgba[i + 2] ?? 0) * a) / 255);
  }
  return rgba;
}

async function rasteriseSvg(svg: Buffer, height: number, aspect: number): Promise<SpriteLevel> {
  const width = Math.max(1, Math.round(height * aspect));
  // Render at a density well above the target, then resize, so thin strokes stay smooth.
  const { data, info } = await sharp(svg, { density: 600 })
    .resize(width, height, { fit: 'fill' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 4) throw new Error(`sprite raster has ${info.channels} channels`);
  return { width: info.width, height: info.height, data: premultiply(new Uint8Array(data)) };
}

const cache = new Map<string, Promise<Sprite>>();
/**
 * Objects and shapes are a fixed few hundred; words are open-ended, so only this many distinct words
 * stay cached (oldest evicted first).
 */
const MAX_CACHED_WORDS = 1000;
let cachedWords = 0;

function cached(key: string, make: () => Promise<Sprite>): Promise<Sprite> {
  let sprite = cache.get(key);
  if (!sprite) {
    if (key.startsWith('word:') && ++cachedWords > MAX_CACHED_WORDS) {
      const oldest = [...cache.keys()].find((k) => k.startsWith('word:'));
      if (oldest !== undefined) cache.delete(oldest);
      cachedWords--;
    }
    sprite = make();
    cache.set(key, sprite);
    // A failed raster must not poison the cache for later callers.
    sprite.catch(() => {
      if (cache.delete(key) && key.startsWith('word:')) cachedWords--;
    });
  }
  return sprite;
}

/** The sprite of an object concept (canonical name). */
export function objectSprite(name: string): Promise<Sprite> {
  return cached(`object:${name}`, async () =>
    withMips(await rasteriseSvg(objectSvg(name), SPRITE_BASE_SIZE, 1)),
  );
}

/** The sprite of a shape concept: white, to be coloured by the renderer. */
export function shapeSprite(name: string): Promise<Sprite> {
  return cached(`shape:${name}`, async () => {
    const svg = shapeSvg(name);
    if (svg === undefined) throw new Error(`no shape '${name}'`);
    const aspect = name === 'ellipse' || name === 'rectangle' ? 1.5 : 1;
    return withMips(await rasteriseSvg(Buffer.from(svg), SPRITE_BASE_SIZE, aspect));
  });
}

/** The sprite of a word: white text, to be coloured by the renderer. */
export function wordSprite(text: string): Promise<Sprite> {
  return cached(`word:${text}`, async () => {
    const alpha = await renderTextAlpha(text, WORD_BASE_HEIGHT);
    const data = new Uint8Array(alpha.width * alpha.height * 4);
    for (let i = 0; i < alpha.alpha.length; i++) {
      const a = alpha.alpha[i] ?? 0;
      data[i * 4] = a;
      data[i * 4 + 1] = a;
      data[i * 4 + 2] = a;
      data[i * 4 + 3] = a;
    }
    return withMips({ width: alpha.width, height: alpha.height, data });
  });
}
