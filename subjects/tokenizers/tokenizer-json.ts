import { z } from 'zod';

/**
 * The parts of Hugging Face's tokenizer.json this project reads or writes. Loading checks only what
 * every tokenizer has (a model with a type, the added tokens), so any tokenizer the library supports
 * loads; the trainer writes the full GPT-2 layout.
 */

export const AddedTokenJson = z.looseObject({
  id: z.number().int().min(0),
  content: z.string(),
  single_word: z.boolean().optional(),
  lstrip: z.boolean().optional(),
  rstrip: z.boolean().optional(),
  normalized: z.boolean().optional(),
  special: z.boolean().optional(),
});
export type AddedTokenJson = z.infer<typeof AddedTokenJson>;

/** A pipeline component (normalizer, pre-tokenizer, post-processor, decoder): a type and its settings. */
const Component = z.looseObject({ type: z.string() }).nullable();

export const TokenizerJson = z.looseObject({
  version: z.string().optional(),
  truncation: z.unknown().optional(),
  padding: z.unknown().optional(),
  added_tokens: z.array(AddedTokenJson).default([]),
  normalizer: Component.optional(),
  pre_tokenizer: Component.optional(),
  post_processor: Component.optional(),
  decoder: Component.optional(),
  model: z.looseObject({
    type: z.string().optional(),
    vocab: z.union([z.record(z.string(), z.number()), z.array(z.tuple([z.string(), z.number()]))]),
    merges: z.array(z.union([z.string(), z.tuple([z.string(), z.string()])])).optional(),
  }),
});
export type TokenizerJson = z.infer<typeof TokenizerJson>;

/** tokenizer_config.json: the settings transformers keeps beside tokenizer.json. */
export const TokenizerConfigJson = z.looseObject({
  tokenizer_class: z.string().optional(),
  /** When true (transformers' old default), decoding deletes the space before . , ! ? 's n't … */
  clean_up_tokenization_spaces: z.boolean().optional(),
  add_prefix_space: z.boolean().optional(),
  bos_token: z
    .union([z.string(), z.looseObject({ content: z.string() })])
    .nullable()
    .optional(),
  eos_token: z
    .union([z.string(), z.looseObject({ content: z.string() })])
    .nullable()
    .optional(),
  unk_token: z
    .union([z.string(), z.looseObject({ content: z.string() })])
    .nullable()
    .optional(),
  pad_token: z
    .union([z.string(), z.looseObject({ content: z.string() })])
    .nullable()
    .optional(),
  model_max_length: z.number().optional(),
});
export type TokenizerConfigJson = z.infer<typeof TokenizerConfigJson>;
