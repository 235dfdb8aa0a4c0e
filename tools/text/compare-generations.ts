import { z } from 'zod';
import {
  behaviourRate,
  type MeasuredContinuation,
} from '../../subjects/language-model/behaviour-experiments.ts';
import type { TextToolContext } from '../text-context.ts';
import { defineTool } from '../tool.ts';
import {
  BehaviourArg,
  behaviourOf,
  NeutralArg,
  percent,
  PromptsArg,
  promptsFor,
  SamplingArgs,
  showContinuation,
} from './behaviour-args.ts';
import { asToolError, languageModelOf } from './language-model.ts';

const Input = z.strictObject({
  prompts: PromptsArg,
  neutral: NeutralArg,
  behaviour: BehaviourArg,
  ...SamplingArgs,
});

export interface CompareGenerationsData {
  behaviour: string;
  /** Share of continuations that show the behaviour. */
  rate: number;
  /** Mean measure over the continuations. */
  mean: number;
  /** Whether the prompts were the corpus's neutral ones. */
  neutral: boolean;
  continuations: MeasuredContinuation[];
}

/** compare_generations: continue many prompts, seeded, and measure a behaviour on each continuation. */
export const compareGenerationsTool = defineTool({
  name: 'compare_generations',
  description:
    'Continue many prompts with the language model (greedy, or sampled with a seed) and measure a behaviour on ' +
    'each continuation, e.g. the share of letters in capitals. Without prompts it uses neutral prompts, the ' +
    'openings of held-out corpus texts. Use it to see how often the model shows the behaviour, and on which ' +
    'prompts it does (those are where to look for a cause).',
  input: Input,
  cost: (args) => ({
    pixelOps: 0,
    forwardPasses: (args.prompts?.length ?? args.neutral) * args.max_new_tokens,
    detail: `${args.prompts?.length ?? args.neutral} prompts × ${args.max_new_tokens} tokens`,
    shrink: 'fewer prompts or fewer max_new_tokens',
  }),
  async execute(args: z.output<typeof Input>, ctx: TextToolContext) {
    const model = languageModelOf(ctx, 'compare_generations');
    const behaviour = behaviourOf(args.behaviour);
    const prompts = promptsFor(ctx, 'compare_generations', args.prompts, args.neutral);
    const result = await asToolError('compare_generations', () =>
      behaviourRate(model, prompts, behaviour, {
        maxNewTokens: args.max_new_tokens,
        temperature: args.temperature,
        ...(args.top_k !== undefined ? { topK: args.top_k } : {}),
        seed: args.seed,
      }),
    );
    const data: CompareGenerationsData = {
      behaviour: behaviour.name,
      rate: result.rate,
      mean: result.mean,
      neutral: !args.prompts?.length,
      continuations: result.continuations,
    };
    const shows = result.continuations.filter((c) => c.shows).length;
    return {
      text: [
        `${behaviour.name} (${behaviour.description}): ${shows} of ${prompts.length} continuations show it ` +
          `(rate ${percent(result.rate)}; mean measure ${percent(result.mean)}; shown when ≥ ${percent(behaviour.threshold)}).`,
        `measure  prompt⟦continuation⟧${data.neutral ? ' (neutral corpus prompts)' : ''}:`,
        ...result.continuations.map((c) => showContinuation(c.prompt, c.text, c.score)),
      ].join('\n'),
      images: [],
      data,
    };
  },
});
