/**
 * Procedural, seeded textures. Each is a tone function over pattern coordinates (about one period per
 * unit) and a two-colour palette the tone mixes between. Items sample them in their own rotated
 * frame (the pattern turns and scales with the item); backgrounds sample them in image space.
 *
 * Patterns (stripes, dots…) are black on white unless the item gives a colour, in which case they are
 * that colour on a pale tint of it. Materials (wood, grass…) are shades of their natural colour, or of
 * the item's colour, so an item's colour concept stays true of its pixels.
 */
import { hashUnit, valueNoise } from '../util/random.ts';
import { TEXTURES } from './vocabulary-data.ts';

export type Rgb = [number, number, number];

export interface Texture {
  /** 0 = the palette's dark colour, 1 = its light colour. */
  tone(u: number, v: number, seed: number): number;
  /** Pattern periods across an item's height. */
  itemPeriods: number;
  /** Pattern periods across an image's height when used as a background. */
  backgroundPeriods: number;
  /** [dark, light] for a base colour (the item's colour, or the texture's natural colour). */
  palette(base: Rgb | undefined): [Rgb, Rgb];
}

const frac = (x: number) => x - Math.floor(x);
const scale = (c: Rgb, k: number): Rgb => [
  Math.min(255, c[0] * k),
  Math.min(255, c[1] * k),
  Math.min(255, c[2] * k),
];
const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
  a[2] + (b[2] - a[2]) * t,
];
const WHITE: Rgb = [255, 255, 255];

const patternPalette = (base: Rgb | undefined): [Rgb, Rgb] =>
  base
    ? [base, mix(base, WHITE, 0.72)]
    : [
        [20, 20, 20],
        [245, 245, 245],
      ];

function materialPalette(natural: Rgb, dark = 0.62, light = 1.25) {
  return (base: Rgb | undefined): [Rgb, Rgb] => {
    const c = base ?? natural;
    return [scale(c, dark), scale(c, light)];
  };
}

const TEXTURE_IMPLS: Record<string, Texture> = {
  stripes: {
    tone: (u, v) => (frac((u + v) * Math.SQRT1_2) < 0.5 ? 0 : 1),
    itemPeriods: 5,
    backgroundPeriods: 10,
    palette: patternPalette,
  },
  dots: {
    tone: (u, v) => {
      const row = Math.floor(v);
      const du = frac(u + (row & 1) * 0.5) - 0.5;
      const dv = frac(v) - 0.5;
      return du * du + dv * dv < 0.09 ? 0 : 1;
    },
    itemPeriods: 5,
    backgroundPeriods: 10,
    palette: patternPalette,
  },
  checks: {
    tone: (u, v) => (((Math.floor(u) + Math.floor(v)) & 1) === 0 ? 0 : 1),
    itemPeriods: 5,
    backgroundPeriods: 10,
    palette: patternPalette,
  },
  zigzag: {
    tone: (u, v) => (frac(v + Math.abs(frac(u) - 0.5)) < 0.5 ? 0 : 1),
    itemPeriods: 5,
    backgroundPeriods: 10,
    palette: patternPalette,
  },
  grid: {
    tone: (u, v) => (frac(u) < 0.16 || frac(v) < 0.16 ? 0 : 1),
    itemPeriods: 5,
    backgroundPeriods: 10,
    palette: patternPalette,
  },
  waves: {
    tone: (u, v) => (frac(v + 0.22 * Math.sin(2 * Math.PI * u)) < 0.5 ? 0 : 1),
    itemPeriods: 5,
    backgroundPeriods: 10,
    palette: patternPalette,
  },
  brick: {
    // Running bond: rows half a unit tall, bricks one unit long, odd rows offset by half a brick.
    tone: (u, v, seed) => {
      const row = Math.floor(v * 2);
      const along = u + (row & 1) * 0.5;
      const mortar = frac(v * 2) < 0.12 || frac(along) < 0.06;
      return mortar ? 1 : 0.08 + 0.22 * hashUnit(Math.floor(along), row, seed);
    },
    itemPeriods: 3,
    backgroundPeriods: 7,
    palette: (base) => [base ? scale(base, 0.85) : [170, 65, 45], [215, 210, 200]],
  },
  wood: {
    tone: (u, v, seed) =>
      0.5 + 0.5 * Math.sin(2 * Math.PI * (v * 1.3 + 0.9 * valueNoise(u * 0.6, v * 0.6, seed))),
    itemPeriods: 4,
    backgroundPeriods: 8,
    palette: materialPalette([140, 90, 50], 0.7, 1.25),
  },
  grass: {
    // Blades: noise stretched tall and thin, over a slow variation in shade.
    tone: (u, v, seed) =>
      0.65 * valueNoise(u * 9, v * 1.2, seed) + 0.35 * valueNoise(u * 0.8, v * 0.8, seed + 1),
    itemPeriods: 3,
    backgroundPeriods: 6,
    palette: materialPalette([60, 150, 50], 0.6, 1.3),
  },
  water: {
    tone: (u, v, seed) => {
      const ripple =
        0.5 +
        0.5 * Math.sin(2 * Math.PI * (v * 1.5 + 0.35 * Math.sin(u * 2.1) + 0.6 * valueNoise(u, v, seed)));
      return ripple * ripple;
    },
    itemPeriods: 3,
    backgroundPeriods: 6,
    palette: materialPalette([40, 110, 200], 0.75, 1.3),
  },
  fur: {
    // Strands: fine streaks along a slowly bending direction.
    tone: (u, v, seed) => {
      const bend = 0.8 * valueNoise(u * 0.7, v * 0.7, seed + 7);
      return 0.25 + 0.75 * valueNoise((u + bend) * 10, (v - bend) * 1.5, seed);
    },
    itemPeriods: 3,
    backgroundPeriods: 6,
    palette: materialPalette([150, 100, 60], 0.55, 1.3),
  },
  scales: {
    tone: (u, v) => {
      const row = Math.floor(v * 2);
      const cu = frac(u + (row & 1) * 0.5) - 0.5;
      const cv = frac(v * 2);
      return Math.min(1, Math.sqrt(cu * cu + cv * cv) * 1.6);
    },
    itemPeriods: 5,
    backgroundPeriods: 12,
    palette: materialPalette([60, 150, 80], 0.6, 1.3),
  },
  sand: {
    tone: (u, v, seed) =>
      0.55 * (0.5 + 0.5 * Math.sin(2 * Math.PI * (v * 0.8 + 0.5 * valueNoise(u * 0.5, v * 0.5, seed)))) +
      0.45 * valueNoise(u * 25, v * 25, seed + 3),
    itemPeriods: 3,
    backgroundPeriods: 5,
    palette: materialPalette([225, 200, 150], 0.88, 1.08),
  },
  snow: {
    tone: (u, v, seed) => 0.6 + 0.4 * valueNoise(u * 2, v * 2, seed) * valueNoise(u * 14, v * 14, seed + 5),
    itemPeriods: 3,
    backgroundPeriods: 6,
    palette: (base) =>
      base
        ? [scale(base, 0.85), base]
        : [
            [205, 215, 232],
            [252, 252, 255],
          ],
  },
};

/** The texture named `name` (canonical), or undefined if it is not a texture. */
export function getTexture(name: string): Texture | undefined {
  return TEXTURE_IMPLS[name];
}

/** The colour concept a material texture adds when its item has no colour (undefined for patterns). */
export function textureNaturalColour(name: string): string | undefined {
  return TEXTURES.find((t) => t.name === name)?.naturalColour;
}

export const TEXTURE_NAMES = Object.keys(TEXTURE_IMPLS);
