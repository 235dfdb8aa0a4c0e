import { z } from 'zod';
import {
  attributeBehaviour,
  type TokenAttribution,
} from '../../subjects/language-model/behaviour-experiments.ts';
import type { TextToolContext } from '../text-context.ts';
import { defineTool } from '../tool.ts';
import { BehaviourArg, behaviourOf } from './behaviour-args.ts';
import { asToolError, languageModelOf, showToken } from './language-model.ts';

const Input = z.strictObject({
  prompt: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .describe('the prompt whose tokens to attribute the behaviour to'),
  behaviour: BehaviourArg,
  top: z.number().int().min(1).max(20).default(8).describe('how many of the most attributed tokens to list'),
});

export interface AttributeBehaviourData {
  prompt: string;
  behaviour: string;
  /** The objective's value: mean over positions of (mean logit of behaviour tokens − mean of the others). */
  objective: number;
  tokens: TokenAttribution[];
  /** Token indices by attribution, largest first. */
  ranking: number[];
}

/** attribute_behaviour: gradient × embedding of the behaviour's logit objective for each prompt token. */
export const attributeBehaviourTool = defineTool({
  name: 'attribute_behaviour',
  description:
    'Attribute a behaviour to the tokens of a prompt with gradients: gradient × embedding (at hook_embed) of ' +
    'the behaviour objective, the mean over positions of (mean logit of tokens that show the behaviour − mean ' +
    'logit of those that do not; for capitals: upper-case vs lower-case tokens). Positive tokens push the ' +
    'model towards the behaviour. Use it on a prompt where the behaviour appears to find which words cause it.',
  input: Input,
  async execute(args: z.output<typeof Input>, ctx: TextToolContext) {
    const model = languageModelOf(ctx, 'attribute_behaviour');
    const behaviour = behaviourOf(args.behaviour);
    const result = await asToolError('attribute_behaviour', () =>
      attributeBehaviour(model, args.prompt, behaviour),
    );
    const ranking = result.tokens
      .map((t, i) => [t.attribution, i] as const)
      .sort((a, b) => b[0] - a[0] || a[1] - b[1])
      .map(([, i]) => i);
    const data: AttributeBehaviourData = {
      prompt: args.prompt,
      behaviour: behaviour.name,
      objective: result.objective,
      tokens: result.tokens,
      ranking,
    };
    const marked = result.tokens.map((t) => `${showToken(t.token)}(${t.attribution.toFixed(3)})`).join(' ');
    return {
      text: [
        `${behaviour.name} objective on this prompt: ${result.objective.toFixed(3)} (mean logit difference).`,
        `most attributed tokens: ${ranking
          .slice(0, args.top)
          .map(
            (i) => `${showToken(result.tokens[i]?.token ?? '')} ${result.tokens[i]?.attribution.toFixed(3)}`,
          )
          .join(', ')}`,
        `every token (gradient × embedding): ${marked}`,
      ].join('\n'),
      images: [],
      data,
    };
  },
});
