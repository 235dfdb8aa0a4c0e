import { z } from 'zod';
import { ItemSpec } from './spec.ts';

/**
 * The edit language: one exact change to a scene spec. Edits are data (zod-validated JSON), so the
 * agent's tools, the CLI and the phrase parser all produce the same thing, and a recorded edit can be
 * replayed. Applying them is edit-apply.ts; reading them from phrases is edit-phrase.ts.
 *
 * A target names one item: its index in `spec.items`, a concept name ("dog" = the first item whose
 * concepts — name, colour, texture, 'text' / 'word:<text>' for words, and all their ancestors —
 * include it), or several concept names that must all match (["red", "circle"]).
 */

export const EditTarget = z.union([
  z.number().int().min(0),
  z.string().min(1),
  z.array(z.string().min(1)).min(1),
]);
export type EditTarget = z.infer<typeof EditTarget>;

const fraction = z.number().min(0).max(1);

/** A rectangle in image fractions, x0 < x1 and y0 < y1 (same shape as the spec's effect regions). */
export const EditRegion = z
  .strictObject({ x0: fraction, y0: fraction, x1: fraction, y1: fraction })
  .refine((r) => r.x0 < r.x1 && r.y0 < r.y1, { message: 'a region needs x0 < x1 and y0 < y1' });
export type EditRegion = z.infer<typeof EditRegion>;

export const EditSpec = z.discriminatedUnion('op', [
  /** Add an item (drawn last, so on top). */
  z.strictObject({ op: z.literal('add'), item: ItemSpec }),
  z.strictObject({ op: z.literal('remove'), target: EditTarget }),
  /**
   * Put another thing in the target's place, keeping its position, size, rotation and mirroring, and
   * its colour and texture unless new ones are given (null clears them).
   */
  z.strictObject({
    op: z.literal('replace'),
    target: EditTarget,
    name: z.string().min(1).max(64),
    /** Defaults to the vocabulary's kind for `name` (object or shape); 'word' makes `name` the text. */
    kind: z.enum(['object', 'shape', 'word']).optional(),
    colour: z.string().min(1).nullable().optional(),
    texture: z.string().min(1).nullable().optional(),
  }),
  /** Set (or with null, clear) the target's colour. */
  z.strictObject({ op: z.literal('recolour'), target: EditTarget, colour: z.string().min(1).nullable() }),
  z.strictObject({ op: z.literal('retexture'), target: EditTarget, texture: z.string().min(1).nullable() }),
  /** Absolute centre (x, y) and/or a shift (dx, dy), in image fractions; the centre stays in 0..1. */
  z.strictObject({
    op: z.literal('move'),
    target: EditTarget,
    x: fraction.optional(),
    y: fraction.optional(),
    dx: z.number().min(-1).max(1).optional(),
    dy: z.number().min(-1).max(1).optional(),
  }),
  /** A new size (fraction of image height) or a factor on the current one; the result is clamped to the spec's range. */
  z.strictObject({
    op: z.literal('resize'),
    target: EditTarget,
    size: z.number().min(0.02).max(2).optional(),
    factor: z.number().min(0.05).max(20).optional(),
  }),
  z.strictObject({ op: z.literal('background'), background: z.string().min(1) }),
  /** Change the text of a word item (the first word item when no target is given). */
  z.strictObject({ op: z.literal('text'), target: EditTarget.optional(), text: z.string().min(1).max(64) }),
  z.strictObject({ op: z.literal('occlude'), region: EditRegion, colour: z.string().min(1).default('gray') }),
  /** With a target, mirror that item; without, append a whole-image flip effect. */
  z.strictObject({
    op: z.literal('flip'),
    axis: z.enum(['horizontal', 'vertical']).default('horizontal'),
    target: EditTarget.optional(),
  }),
  /** Degrees clockwise. With a target, rotate that item; without, append a whole-image rotate effect. */
  z.strictObject({
    op: z.literal('rotate'),
    degrees: z.number().min(-360).max(360),
    target: EditTarget.optional(),
  }),
  z.strictObject({
    op: z.literal('blur'),
    sigma: z.number().min(0.3).max(50).default(2),
    region: EditRegion.optional(),
  }),
  z.strictObject({
    op: z.literal('noise'),
    amount: z.number().min(0).max(1).default(0.2),
    region: EditRegion.optional(),
  }),
]);
export type EditSpec = z.infer<typeof EditSpec>;
export type EditSpecInput = z.input<typeof EditSpec>;
export type EditOp = EditSpec['op'];
