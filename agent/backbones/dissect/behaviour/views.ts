import { z } from 'zod';

/**
 * What behaviour dissect reads from the behaviour tools' data (loose views, validated: a result that
 * does not match is missing evidence, not trusted).
 */
const Continuation = z.looseObject({
  prompt: z.string(),
  text: z.string(),
  score: z.number().optional(),
  shows: z.boolean(),
});

export const GenerationsView = z.looseObject({
  rate: z.number(),
  mean: z.number(),
  continuations: z.array(Continuation),
});
export type GenerationsView = z.infer<typeof GenerationsView>;

export const ExpectationsView = z.looseObject({
  top: z.array(z.looseObject({ token: z.string(), excess: z.number(), phrase: z.string() })),
});
export type ExpectationsView = z.infer<typeof ExpectationsView>;

export const SearchView = z.looseObject({
  baseline: z.number(),
  top: z.array(z.looseObject({ phrase: z.string(), score: z.number(), lift: z.number() })),
});
export type SearchView = z.infer<typeof SearchView>;

export const TriggerView = z.looseObject({
  trigger: z.string(),
  position: z.string(),
  prompts: z.number(),
  rateWith: z.number(),
  rateWithout: z.number(),
  examples: z.array(z.looseObject({ with: Continuation, without: Continuation })),
});
export type TriggerView = z.infer<typeof TriggerView>;

export const AttributionView = z.looseObject({
  prompt: z.string(),
  tokens: z.array(
    z.looseObject({ token: z.string(), span: z.tuple([z.number(), z.number()]), attribution: z.number() }),
  ),
  ranking: z.array(z.number()),
});
export type AttributionView = z.infer<typeof AttributionView>;
