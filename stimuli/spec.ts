import { z } from 'zod';

/**
 * The scene spec: the single source of truth for an image. Rendering a spec is deterministic
 * (same spec, same bytes), and because every item is placed by the spec, every pixel's concepts are
 * known exactly. Names of concepts (objects, shapes, colours, textures, backgrounds) are validated
 * against the vocabulary at render time, where an unknown name gets a "did you mean" error.
 *
 * Geometry is in fractions of the image so one spec renders at any size:
 *   x, y   — item centre, 0..1 of width / height (0,0 is the top-left corner)
 *   size   — item height as a fraction of the image height (sprites are square; words are a line)
 */

export const MAX_IMAGE_SIDE = 1024;
export const MIN_IMAGE_SIDE = 8;
export const MAX_ITEMS = 32;

const fraction = z.number().min(0).max(1);

export const ItemSpec = z.strictObject({
  /** object: an emoji sprite ("dog"); shape: a drawn shape ("circle"); word: rendered text. */
  kind: z.enum(['object', 'shape', 'word']),
  /** The object or shape concept name; for a word, the text itself. */
  name: z.string().min(1).max(64),
  x: fraction.default(0.5),
  y: fraction.default(0.5),
  size: z.number().min(0.02).max(2).default(0.4),
  /** Degrees, clockwise. */
  rotation: z.number().min(-360).max(360).default(0),
  /** A named colour: the fill of a shape or word, a tint for an object. */
  colour: z.string().optional(),
  /** A named texture / pattern filling the item's footprint. */
  texture: z.string().optional(),
  /** Mirror the item left-right. */
  flip: z.boolean().default(false),
});
export type ItemSpec = z.infer<typeof ItemSpec>;
export type ItemSpecInput = z.input<typeof ItemSpec>;

const Region = z.strictObject({ x0: fraction, y0: fraction, x1: fraction, y1: fraction });
export type Region = z.infer<typeof Region>;

/** Whole-image operations applied after the items are composed, in order, to image and masks alike. */
export const EffectSpec = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('occlude'), region: Region, colour: z.string().default('gray') }),
  z.strictObject({ kind: z.literal('blur'), sigma: z.number().min(0.3).max(50), region: Region.optional() }),
  z.strictObject({ kind: z.literal('noise'), amount: z.number().min(0).max(1), region: Region.optional() }),
  z.strictObject({ kind: z.literal('flip'), axis: z.enum(['horizontal', 'vertical']) }),
  z.strictObject({ kind: z.literal('rotate'), degrees: z.number().min(-360).max(360) }),
]);
export type EffectSpec = z.infer<typeof EffectSpec>;

export const SceneSpec = z.strictObject({
  width: z.number().int().min(MIN_IMAGE_SIDE).max(MAX_IMAGE_SIDE).default(224),
  height: z.number().int().min(MIN_IMAGE_SIDE).max(MAX_IMAGE_SIDE).default(224),
  /** A background concept ("grass", "sky", "brick wall") or a plain colour name ("white"). */
  background: z.string().default('white'),
  /** Items are drawn in order: later items occlude earlier ones. */
  items: z.array(ItemSpec).max(MAX_ITEMS).default([]),
  effects: z.array(EffectSpec).max(16).default([]),
  /** Seeds everything random in the render (background texture jitter, noise). */
  seed: z.number().int().min(0).default(0),
});
export type SceneSpec = z.infer<typeof SceneSpec>;
export type SceneSpecInput = z.input<typeof SceneSpec>;
