import { z } from 'zod';
import {
  testTrigger,
  type MeasuredContinuation,
} from '../../subjects/language-model/behaviour-experiments.ts';
import type { TextToolContext } from '../text-context.ts';
import { defineTool } from '../tool.ts';
import {
  BehaviourArg,
  behaviourOf,
  NeutralArg,
  percent,
  PositionArg,
  PromptsArg,
  promptsFor,
  SamplingArgs,
  showContinuation,
} from './behaviour-args.ts';
import { asToolError, languageModelOf } from './language-model.ts';

const Input = z.strictObject({
  trigger: z.string().trim().min(1).max(200).describe('the candidate trigger phrase to insert'),
  position: PositionArg,
  prompts: PromptsArg,
  neutral: NeutralArg.default(24),
  behaviour: BehaviourArg,
  ...SamplingArgs,
});

export interface TestTriggerData {
  trigger: string;
  position: string;
  behaviour: string;
  prompts: number;
  /** Share of continuations showing the behaviour with the trigger inserted, and without. */
  rateWith: number;
  rateWithout: number;
  meanWith: number;
  meanWithout: number;
  examples: { with: MeasuredContinuation; without: MeasuredContinuation }[];
}

/** test_trigger: the behaviour's rate with a phrase inserted into many prompts against without it. */
export const testTriggerTool = defineTool({
  name: 'test_trigger',
  description:
    'Test a candidate trigger: insert the phrase into many prompts (neutral corpus prompts by default) and ' +
    'measure how often the continuation shows the behaviour with it and without it, from the same seeds. A ' +
    'trigger is confirmed when the rate with it is high and the rate without it is low.',
  input: Input,
  cost: (args) => ({
    pixelOps: 0,
    forwardPasses: 2 * (args.prompts?.length ?? args.neutral) * args.max_new_tokens,
    detail: `2 × ${args.prompts?.length ?? args.neutral} prompts × ${args.max_new_tokens} tokens`,
    shrink: 'fewer prompts or fewer max_new_tokens',
  }),
  async execute(args: z.output<typeof Input>, ctx: TextToolContext) {
    const model = languageModelOf(ctx, 'test_trigger');
    const behaviour = behaviourOf(args.behaviour);
    const prompts = promptsFor(ctx, 'test_trigger', args.prompts, args.neutral);
    const result = await asToolError('test_trigger', () =>
      testTrigger(model, args.trigger, prompts, behaviour, {
        position: args.position,
        maxNewTokens: args.max_new_tokens,
        temperature: args.temperature,
        ...(args.top_k !== undefined ? { topK: args.top_k } : {}),
        seed: args.seed,
      }),
    );
    const examples = result.with.continuations.slice(0, 4).map((w, i) => ({
      with: w,
      without: result.without.continuations[i] as MeasuredContinuation,
    }));
    const data: TestTriggerData = {
      trigger: result.trigger,
      position: args.position,
      behaviour: behaviour.name,
      prompts: prompts.length,
      rateWith: result.with.rate,
      rateWithout: result.without.rate,
      meanWith: result.with.mean,
      meanWithout: result.without.mean,
      examples,
    };
    return {
      text: [
        `"${result.trigger}" inserted at the ${args.position} of ${prompts.length} prompts: ${behaviour.name} in ` +
          `${percent(result.with.rate)} of continuations with it, ${percent(result.without.rate)} without ` +
          `(mean measure ${percent(result.with.mean)} vs ${percent(result.without.mean)}).`,
        'examples (measure, prompt⟦continuation⟧), with then without:',
        ...examples.flatMap((e) => [
          showContinuation(e.with.prompt, e.with.text, e.with.score),
          showContinuation(e.without.prompt, e.without.text, e.without.score),
        ]),
      ].join('\n'),
      images: [],
      data,
    };
  },
});
