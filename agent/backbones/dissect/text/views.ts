import { z } from 'zod';

/**
 * What text dissect reads from the text tools' data (loose views, validated: a result that does not
 * match is missing evidence, not trusted).
 */
const Token = z.looseObject({ text: z.string(), concepts: z.array(z.string()), bracketDepth: z.number() });

export const TextExemplarsView = z.looseObject({
  unit: z.string(),
  stats: z.looseObject({ min: z.number(), max: z.number(), threshold: z.number() }),
  exemplars: z.array(
    z.looseObject({
      rank: z.enum(['top', 'bottom']),
      textIndex: z.number(),
      activation: z.number(),
      firing: z.array(
        z.looseObject({ index: z.number(), text: z.string(), concepts: z.array(z.string()).optional() }),
      ),
    }),
  ),
});
export type TextExemplarsView = z.infer<typeof TextExemplarsView>;

const Score = z.looseObject({ r: z.number(), iou: z.number() });

export const TextStatsView = z.looseObject({ top: z.array(Score.extend({ concept: z.string() })) });
export type TextStatsView = z.infer<typeof TextStatsView>;

export const TextSearchView = z.looseObject({
  formulas: z.array(Score.extend({ formula: z.string() })),
  scored: z.array(Score.extend({ formula: z.string() })),
});
export type TextSearchView = z.infer<typeof TextSearchView>;

export const TextEditsView = z.looseObject({
  original: z.looseObject({ max: z.number(), tokens: z.array(Token) }),
  variants: z.array(z.looseObject({ summary: z.string(), max: z.number(), tokens: z.array(Token) })),
});
export type TextEditsView = z.infer<typeof TextEditsView>;

export const DescribeView = z.looseObject({
  sites: z.array(z.looseObject({ name: z.string(), units: z.number() })),
});

export const HypothesisIdView = z.looseObject({ hypothesis: z.looseObject({ id: z.string() }) });

export function read<T>(schema: z.ZodType<T>, data: unknown): T | undefined {
  const parsed = schema.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}
