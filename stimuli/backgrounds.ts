/**
 * Backgrounds: whole-image fills drawn procedurally and seeded. Each returns, beside the pixels, a
 * region map with the concepts true of each region, so background masks are as exact as item masks:
 * a beach is sky above water above sand, and each band carries its own concept and colour.
 *
 * Colour concepts are given only where every pixel of the region is a shade of that colour: sky and
 * water are blue, grass green, sand beige, snow white, wood brown, asphalt gray, road markings white.
 * A brick wall (red bricks, pale mortar) gets no colour concept.
 */
import { hash32, hashUnit, valueNoise } from '../util/random.ts';
import { getTexture, textureNaturalColour, type Rgb } from './textures.ts';
import { colourRgb } from './vocabulary.ts';

export interface BackgroundRaster {
  /** RGB, width*height*3. */
  image: Uint8Array;
  /** Region index per pixel, into regionConcepts. */
  regions: Uint8Array;
  /** The concepts of each region (not their ancestors). */
  regionConcepts: string[][];
}

function fillTexture(
  out: Uint8Array,
  width: number,
  height: number,
  texture: string,
  seed: number,
  y0 = 0,
  y1 = height,
): void {
  const impl = getTexture(texture);
  if (!impl) throw new Error(`no texture '${texture}'`);
  const [dark, light] = impl.palette(undefined);
  const unit = impl.backgroundPeriods / height;
  // Offsetting the pattern by the seed makes each scene's background a different patch of it.
  const du = hashUnit(seed, 1) * 97;
  const dv = hashUnit(seed, 2) * 97;
  for (let y = y0; y < y1; y++) {
    for (let x = 0; x < width; x++) {
      const t = impl.tone((x + 0.5) * unit + du, (y + 0.5) * unit + dv, seed);
      const o = (y * width + x) * 3;
      out[o] = dark[0] + (light[0] - dark[0]) * t;
      out[o + 1] = dark[1] + (light[1] - dark[1]) * t;
      out[o + 2] = dark[2] + (light[2] - dark[2]) * t;
    }
  }
}

function fillSky(out: Uint8Array, width: number, height: number, y0 = 0, y1 = height): void {
  const top: Rgb = [90, 155, 230];
  const bottom: Rgb = [175, 215, 250];
  for (let y = y0; y < y1; y++) {
    const t = (y - y0) / Math.max(1, y1 - y0 - 1);
    const r = top[0] + (bottom[0] - top[0]) * t;
    const g = top[1] + (bottom[1] - top[1]) * t;
    const b = top[2] + (bottom[2] - top[2]) * t;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
    }
  }
}

/** Top-down asphalt with white edge lines and a dashed centre line; markings are their own region. */
function fillRoad(out: Uint8Array, regions: Uint8Array, width: number, height: number, seed: number): void {
  const line = Math.max(1, Math.round(height * 0.025));
  const edgeTop = Math.round(height * 0.12);
  const edgeBottom = height - edgeTop - line;
  const centre = Math.round(height / 2 - line / 2);
  const dash = Math.max(2, Math.round(width / 8));
  const phase = Math.floor(hashUnit(seed, 3) * dash * 2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const onEdge = (y >= edgeTop && y < edgeTop + line) || (y >= edgeBottom && y < edgeBottom + line);
      const onDash = y >= centre && y < centre + line && Math.floor((x + phase) / dash) % 2 === 0;
      if (onEdge || onDash) {
        out.fill(240, p * 3, p * 3 + 3);
        regions[p] = 1;
      } else {
        const shade = 85 + 30 * valueNoise(x * 0.35, y * 0.35, seed) + 12 * hashUnit(x, y, seed);
        out[p * 3] = shade;
        out[p * 3 + 1] = shade;
        out[p * 3 + 2] = shade + 4;
        regions[p] = 0;
      }
    }
  }
}

/**
 * The concepts of each region of a background, in region order (not their ancestors). Known without
 * drawing, so probe-set generation can tell which concepts a background brings.
 */
export function backgroundRegionConcepts(name: string): string[][] {
  if (colourRgb(name)) return [[name]];
  switch (name) {
    case 'sky':
      return [['sky', 'blue']];
    case 'brick wall':
      return [['brick wall']];
    case 'road':
      return [
        ['road', 'gray'],
        ['road', 'white'],
      ];
    case 'beach':
      return [
        ['beach', 'sky', 'blue'],
        ['beach', 'water', 'blue'],
        ['beach', 'sand', 'beige'],
      ];
    default: {
      const natural = textureNaturalColour(name);
      return [natural ? [name, natural] : [name]];
    }
  }
}

/** Draw a background afresh at exactly this size. */
function drawBackground(name: string, width: number, height: number, seed: number): BackgroundRaster {
  const image = new Uint8Array(width * height * 3);
  const regions = new Uint8Array(width * height);
  const regionConcepts = backgroundRegionConcepts(name);
  const plain = colourRgb(name);
  if (plain) {
    for (let p = 0; p < width * height; p++) image.set(plain, p * 3);
    return { image, regions, regionConcepts };
  }
  switch (name) {
    case 'sky':
      fillSky(image, width, height);
      break;
    case 'brick wall':
      fillTexture(image, width, height, 'brick', seed);
      break;
    case 'road':
      fillRoad(image, regions, width, height, seed);
      break;
    case 'beach': {
      // Sky above a band of sea above sand: three regions, each with its own concepts.
      const horizon = Math.round(height * 0.3);
      const shore = Math.round(height * 0.5);
      fillSky(image, width, height, 0, horizon);
      fillTexture(image, width, height, 'water', seed, horizon, shore);
      fillTexture(image, width, height, 'sand', seed, shore, height);
      for (let p = horizon * width; p < width * height; p++) regions[p] = p < shore * width ? 1 : 2;
      break;
    }
    default:
      fillTexture(image, width, height, name, seed);
  }
  return { image, regions, regionConcepts };
}

/**
 * Procedural backgrounds are the costliest part of a scene, so each (name, size) is drawn once as a
 * strip twice as wide as the image, and a scene shows the window of it its seed selects (a horizontal
 * shift keeps horizons, bands and road lines where they belong). Few entries: probe sets use one size.
 */
const strips = new Map<string, BackgroundRaster>();
/** Cache budget: ~100 strips at 224×224, or ~12 at 1024×1024. */
const MAX_STRIP_BYTES = 96 << 20;
let stripBytes = 0;
const STRIP_SEED = 0x5eed;

function strip(name: string, width: number, height: number): BackgroundRaster {
  const key = `${name}|${width}|${height}`;
  let cached = strips.get(key);
  if (!cached) {
    cached = drawBackground(name, width * 2, height, STRIP_SEED);
    const bytes = cached.image.length + cached.regions.length;
    // Evict the oldest strips first (a probe set uses one size, so these are other sizes' strips).
    for (const [oldKey, old] of strips) {
      if (stripBytes + bytes <= MAX_STRIP_BYTES) break;
      strips.delete(oldKey);
      stripBytes -= old.image.length + old.regions.length;
    }
    strips.set(key, cached);
    stripBytes += bytes;
  }
  return cached;
}

/**
 * Draw a background. `name` is a canonical background concept: a plain colour, a material texture
 * that can be a background, 'sky', 'brick wall', 'road' or 'beach'. The seed picks which part of the
 * pattern is shown.
 */
export function renderBackground(
  name: string,
  width: number,
  height: number,
  seed: number,
): BackgroundRaster {
  const source = strip(name, width, height);
  const shift = hash32(seed, 0x6267) % (width + 1);
  const image = new Uint8Array(width * height * 3);
  const regions = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const from = y * width * 2 + shift;
    image.set(source.image.subarray(from * 3, (from + width) * 3), y * width * 3);
    regions.set(source.regions.subarray(from, from + width), y * width);
  }
  return { image, regions, regionConcepts: source.regionConcepts.map((concepts) => [...concepts]) };
}
