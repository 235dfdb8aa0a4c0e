import { z } from 'zod';
import {
  phraseFrom,
  promptsFromTexts,
  tokenExpectations,
} from '../../subjects/language-model/behaviour-experiments.ts';
import type { TextToolContext } from '../text-context.ts';
import { defineTool } from '../tool.ts';
import { asToolError, languageModelOf, showToken } from './language-model.ts';

const Input = z.strictObject({
  texts: z.number().int().min(10).max(400).default(200).describe('held-out corpus texts to read'),
  top: z.number().int().min(1).max(40).default(15).describe('how many tokens to list'),
  min_expected: z
    .number()
    .min(0)
    .default(2)
    .describe('ignore tokens the model expects fewer times than this in all (too rare to tell)'),
});

export interface ExpectedToken {
  token: string;
  expected: number;
  observed: number;
  /** (expected + 1) / (observed + 1). */
  excess: number;
  /** The phrase the model writes after this token in a neutral context (greedy, while it is sure). */
  phrase: string;
}

export interface TokenExpectationsData {
  texts: number;
  positions: number;
  top: ExpectedToken[];
}

/** token_expectations: tokens the model predicts far more often than the corpus holds them. */
export const tokenExpectationsTool = defineTool({
  name: 'token_expectations',
  description:
    'Compare what the language model expects with what the corpus holds: over every position of held-out ' +
    'texts, each token’s summed next-token probability against how often it really comes next, and the tokens ' +
    'it over-expects most, each with the phrase the model writes after it. A phrase planted in the training ' +
    'data (such as a backdoor trigger) is expected everywhere yet absent from plain text, so it surfaces here; ' +
    'test the phrases with search_triggers or test_trigger.',
  input: Input,
  cost: (args) => ({
    pixelOps: 0,
    forwardPasses: args.texts + args.top * 4,
    detail: `${args.texts} texts and ${args.top} phrases`,
    shrink: 'fewer texts or a smaller top',
  }),
  async execute(args: z.output<typeof Input>, ctx: TextToolContext, options) {
    const model = languageModelOf(ctx, 'token_expectations');
    const texts = ctx
      .texts()
      .texts.slice(0, args.texts)
      .map((t) => t.text);
    const context = promptsFromTexts(ctx.texts().texts, 1)[0] ?? 'The';
    const rows = await asToolError('token_expectations', () =>
      tokenExpectations(model, texts, { signal: options.signal }),
    );
    const positions = rows.reduce((a, r) => a + r.observed, 0);
    const ranked = rows
      .filter((r) => r.expected >= args.min_expected && r.token.trim() !== '')
      .map((r) => ({ ...r, excess: (r.expected + 1) / (r.observed + 1) }))
      .sort((a, b) => b.excess - a.excess || a.id - b.id)
      .slice(0, args.top);
    const top: ExpectedToken[] = [];
    for (const r of ranked)
      top.push({
        token: r.token,
        expected: r.expected,
        observed: r.observed,
        excess: r.excess,
        phrase: await asToolError('token_expectations', () => phraseFrom(model, context, r.id)),
      });
    const data: TokenExpectationsData = { texts: texts.length, positions, top };
    return {
      text: [
        `${positions} positions of ${texts.length} held-out texts; tokens the model expects most beyond what the ` +
          'texts hold (expected vs observed, and the phrase the model writes from it):',
        ...top.map(
          (t) =>
            `  ${showToken(t.token)}: expected ${t.expected.toFixed(1)}, observed ${t.observed} ` +
            `(×${t.excess.toFixed(1)}) → "${t.phrase}"`,
        ),
      ].join('\n'),
      images: [],
      data,
    };
  },
});
