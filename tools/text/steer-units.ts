import { z } from 'zod';
import { generate } from '../../subjects/language-model/index.ts';
import type { TextToolContext } from '../text-context.ts';
import { defineTool, ToolError } from '../tool.ts';
import { asToolError, GenerationArgs, languageModelOf, toEdits } from './language-model.ts';

const Input = z.strictObject({
  ...GenerationArgs,
  site: z
    .string()
    .trim()
    .min(1)
    .describe('site to steer, e.g. blocks.1.hook_resid_post or blocks.0.mlp.hook_post'),
  units: z
    .array(z.number().int().min(0))
    .min(1)
    .max(64)
    .optional()
    .describe('neurons to steer (default: every unit of the site, e.g. a whole residual-stream vector)'),
  values: z
    .union([z.number(), z.array(z.number()).min(1).max(4096)])
    .describe('the vector to add (or the values to clamp to): one number for every unit, or one per unit'),
  mode: z.enum(['add', 'clamp']).default('add').describe('add the vector, or clamp the units to the values'),
});

export interface SteerUnitsData {
  prompt: string;
  unsteered: { text: string; tokens: string[] };
  steered: { text: string; tokens: string[] };
  changed: boolean;
  /** Index of the first new token that differs; -1 when none does. */
  firstDifference: number;
}

/** steer_units: generate with and without a steering edit at one site, from the same seed. */
export const steerUnitsTool = defineTool({
  name: 'steer_units',
  description:
    'Steer the language model while it generates: add a vector to a site (or clamp neurons to values) at ' +
    'every position, and compare with the unsteered continuation from the same prompt and seed. Use it to ' +
    'test what a direction or a set of neurons does to what the model writes.',
  input: Input,
  async execute(args: z.output<typeof Input>, ctx: TextToolContext) {
    const model = languageModelOf(ctx, 'steer_units');
    const edits = toEdits(model, 'steer_units', [
      { site: args.site, units: args.units, op: args.mode === 'add' ? 'add' : 'set', value: args.values },
    ]);
    const options = {
      maxNewTokens: args.max_new_tokens,
      temperature: args.temperature,
      topK: args.top_k,
      seed: args.seed,
    };
    const [plain, steered] = await asToolError('steer_units', async () => [
      await generate(model, args.prompt, options),
      await generate(model, args.prompt, { ...options, edits }),
    ]);
    if (!plain || !steered) throw new ToolError('steer_units: generation failed', 'steer_units');
    const length = Math.max(plain.tokens.length, steered.tokens.length);
    let firstDifference = -1;
    for (let i = 0; i < length; i++)
      if (plain.ids[plain.promptLength + i] !== steered.ids[steered.promptLength + i]) {
        firstDifference = i;
        break;
      }
    const data: SteerUnitsData = {
      prompt: args.prompt,
      unsteered: { text: plain.text, tokens: plain.tokens },
      steered: { text: steered.text, tokens: steered.tokens },
      changed: firstDifference >= 0,
      firstDifference,
    };
    const what = `${args.mode === 'add' ? 'adding to' : 'clamping'} ${args.site}${args.units ? `:${args.units.join(',')}` : ''}`;
    return {
      text: [
        `prompt: ${args.prompt}`,
        `unsteered: ⟦${plain.text}⟧`,
        `steered (${what}): ⟦${steered.text}⟧`,
        firstDifference >= 0
          ? `The continuations first differ at new token ${firstDifference}.`
          : 'The steering did not change the continuation.',
      ].join('\n'),
      images: [],
      data,
    };
  },
});
