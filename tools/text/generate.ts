import { z } from 'zod';
import { generate } from '../../subjects/language-model/index.ts';
import type { TextToolContext } from '../text-context.ts';
import { defineTool } from '../tool.ts';
import { asToolError, GenerationArgs, Interventions, languageModelOf, toEdits } from './language-model.ts';

const Input = z.strictObject({ ...GenerationArgs, interventions: Interventions });

export interface GenerateData {
  prompt: string;
  text: string;
  tokens: string[];
  ids: number[];
  seed: number;
  interventions: number;
}

/** generate: continue a prompt with the language model, seeded, optionally with interventions. */
export const generateTool = defineTool({
  name: 'generate',
  description:
    'Continue a prompt with the language model (greedy by default, or sampled with a seed: the same seed ' +
    'gives the same text), optionally with interventions at sites (zero, set, scale or add to units) applied ' +
    'at every position. Use it to see what the model does with a context, and what an edit changes.',
  input: Input,
  async execute(args: z.output<typeof Input>, ctx: TextToolContext) {
    const model = languageModelOf(ctx, 'generate');
    const edits = toEdits(model, 'generate', args.interventions);
    const out = await asToolError('generate', () =>
      generate(model, args.prompt, {
        maxNewTokens: args.max_new_tokens,
        temperature: args.temperature,
        topK: args.top_k,
        seed: args.seed,
        edits,
      }),
    );
    const data: GenerateData = {
      prompt: args.prompt,
      text: out.text,
      tokens: out.tokens,
      ids: out.ids.slice(out.promptLength),
      seed: args.seed,
      interventions: edits.length,
    };
    const how = args.temperature === 0 ? 'greedy' : `temperature ${args.temperature}, seed ${args.seed}`;
    return {
      text:
        `${args.prompt}⟦${out.text}⟧\n(${out.tokens.length} new tokens, ${how}` +
        `${edits.length ? `, ${edits.length} intervention${edits.length === 1 ? '' : 's'}` : ''}; new text in ⟦ ⟧)`,
      images: [],
      data,
    };
  },
});
