import { z } from 'zod';
import { BEHAVIOUR_NAMES, BEHAVIOURS, type Behaviour } from '../../subjects/language-model/behaviours.ts';
import { promptsFromTexts } from '../../subjects/language-model/behaviour-experiments.ts';
import type { TextToolContext } from '../text-context.ts';
import { ToolError } from '../tool.ts';

/**
 * What the behaviour tools share: the behaviour argument, prompts (given, or neutral ones from the
 * corpus the agent reads), generation settings, and how one measured continuation is shown.
 */

/** Longest continuation a behaviour tool generates: each prompt costs one forward pass per token. */
export const MAX_BEHAVIOUR_TOKENS = 40;
/** Most prompts one behaviour call generates from (with and without a trigger counts twice). */
export const MAX_BEHAVIOUR_PROMPTS = 64;

export const BehaviourArg = z
  .enum(BEHAVIOUR_NAMES)
  .default('capitals')
  .describe(
    `the behaviour to measure: ${BEHAVIOUR_NAMES.map((n) => `${n} (${BEHAVIOURS[n].description})`).join('; ')}`,
  );

export const PromptsArg = z
  .array(z.string().trim().min(1).max(600))
  .min(1)
  .max(MAX_BEHAVIOUR_PROMPTS)
  .optional()
  .describe('prompts to use; default: neutral prompts, the openings of texts from the held-out corpus');

export const NeutralArg = z
  .number()
  .int()
  .min(1)
  .max(MAX_BEHAVIOUR_PROMPTS)
  .default(16)
  .describe('how many neutral corpus prompts to use when no prompts are given');

export const SamplingArgs = {
  max_new_tokens: z
    .number()
    .int()
    .min(1)
    .max(MAX_BEHAVIOUR_TOKENS)
    .default(16)
    .describe(`tokens to generate per prompt (1–${MAX_BEHAVIOUR_TOKENS})`),
  temperature: z
    .number()
    .min(0)
    .max(2)
    .default(0)
    .describe('0 is greedy; above 0 samples (prompt i with seed + i)'),
  top_k: z.number().int().min(1).max(200).optional().describe('sample among the k likeliest tokens'),
  seed: z.number().int().min(0).default(0).describe('seed of the sampler'),
};

export const PositionArg = z
  .enum(['start', 'end', 'middle'])
  .default('middle')
  .describe(
    'where the phrase goes in each prompt: before it, after it, or before its middle word (default: there, ' +
      'where a word is read as it is inside a sentence, after a space)',
  );

export function behaviourOf(name: z.output<typeof BehaviourArg>): Behaviour {
  return BEHAVIOURS[name];
}

/** The given prompts, or `n` neutral prompts from the agent's held-out texts. */
export function promptsFor(
  ctx: TextToolContext,
  tool: string,
  given: string[] | undefined,
  n: number,
): string[] {
  if (given?.length) return given;
  const prompts = promptsFromTexts(ctx.texts().texts, n);
  if (prompts.length === 0) throw new ToolError(`${tool}: the corpus gave no prompts`, tool);
  return prompts;
}

/** A continuation for the model to read: prompt, new text in ⟦ ⟧, and its measure. */
export function showContinuation(prompt: string, text: string, score: number | undefined): string {
  const measured = score === undefined ? 'n/a' : `${Math.round(score * 100)}%`;
  return `${measured.padStart(4)}  ${prompt}⟦${text}⟧`;
}

export const percent = (x: number) => `${Math.round(x * 1000) / 10}%`;
