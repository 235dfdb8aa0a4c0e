import { z } from 'zod';

/**
 * A text with its word-level tokens and what is known about each token. Synthetic text units read
 * only these annotations; a language model subject maps its own tokens onto these words by character
 * offsets, so every text tool speaks of the same tokens whatever the subject.
 */
export const TextToken = z.strictObject({
  /** The token as it appears in the text. */
  text: z.string().min(1),
  /** Character offsets in the text: `text.slice(start, end)` is the token. */
  start: z.number().int().min(0),
  end: z.number().int().min(0),
  /** Universal part-of-speech tag from wink-nlp (NOUN, VERB, PROPN, PUNCT, …). */
  pos: z.string().min(1),
  /** Brown's gold tag, mapped to universal tags, where the text is from the Brown corpus and aligned. */
  gold: z.string().optional(),
  /** Depth of brackets around the token ((…), […], {…}): 0 outside. */
  bracketDepth: z.number().int().min(0),
  /** Every concept that holds for this token (concepts.ts), sorted. */
  concepts: z.array(z.string()),
});
export type TextToken = z.infer<typeof TextToken>;

export const TextSource = z.enum(['brown', 'story', 'given']);
export type TextSource = z.infer<typeof TextSource>;

export const AnnotatedText = z.strictObject({
  /** Stable within a text set: `brown:ca01:12` (document and first sentence), `story:7`, `given:0`. */
  id: z.string().min(1),
  source: TextSource,
  text: z.string(),
  tokens: z.array(TextToken),
});
export type AnnotatedText = z.infer<typeof AnnotatedText>;
