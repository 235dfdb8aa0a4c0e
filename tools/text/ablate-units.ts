import { z } from 'zod';
import {
  ablateHeads,
  generate,
  nextTokenLogits,
  softmaxOf,
  topK,
  type LanguageModel,
} from '../../subjects/language-model/index.ts';
import type { Edit } from '../../subjects/subject.ts';
import type { TextToolContext } from '../text-context.ts';
import { defineTool, ToolError } from '../tool.ts';
import { asToolError, languageModelOf, MAX_NEW_TOKENS } from './language-model.ts';

const Input = z.strictObject({
  prompt: z.string().min(1).max(2000).describe('the text whose next token is compared'),
  units: z
    .array(z.string().trim().min(1))
    .max(32)
    .default([])
    .describe('neurons to zero, each site:index (e.g. blocks.0.mlp.hook_post:12)'),
  heads: z
    .array(
      z.strictObject({
        layer: z.number().int().min(0),
        heads: z.array(z.number().int().min(0)).min(1).max(64),
      }),
    )
    .max(8)
    .default([])
    .describe('attention heads to remove, per layer (their pattern, hence their output, is zeroed)'),
  k: z.number().int().min(1).max(10).default(5).describe('next tokens to list before and after'),
  max_new_tokens: z
    .number()
    .int()
    .min(0)
    .max(MAX_NEW_TOKENS)
    .default(10)
    .describe('also generate this many tokens greedily with and without the ablation (0: none)'),
});

export interface AblatedToken {
  id: number;
  token: string;
  logit: number;
  probability: number;
}

export interface AblateUnitsData {
  prompt: string;
  ablated: string[];
  before: AblatedToken[];
  after: AblatedToken[];
  /** Largest |logit after − logit before| over the vocabulary. */
  maxLogitChange: number;
  /** The unablated top token's probability, before and after. */
  topTokenProbability: { before: number; after: number };
  generation?: { before: string; after: string };
}

/** ablate_units: zero neurons or attention heads and compare the next-token logits (and a generation). */
export const ablateUnitsTool = defineTool({
  name: 'ablate_units',
  description:
    'Remove neurons (zero them) or attention heads of the language model and compare its next-token ' +
    'prediction for a prompt with and without them: top tokens, the largest logit change, and a short ' +
    'greedy continuation each way. Use it to test whether units are needed for a prediction.',
  input: Input,
  async execute(args: z.output<typeof Input>, ctx: TextToolContext) {
    const model = languageModelOf(ctx, 'ablate_units');
    if (args.units.length === 0 && args.heads.length === 0)
      throw new ToolError('ablate_units: give units (site:index) or heads to ablate', 'ablate_units');
    const { edits, ablated } = await asToolError('ablate_units', () => ablationEdits(model, args));
    const [before, after] = await asToolError('ablate_units', async () => [
      await nextTokenLogits(model, args.prompt),
      await nextTokenLogits(model, args.prompt, edits),
    ]);
    if (!before || !after) throw new ToolError('ablate_units: no logits', 'ablate_units');
    const pBefore = softmaxOf(before);
    const pAfter = softmaxOf(after);
    const list = (logits: Float32Array, p: Float64Array): AblatedToken[] =>
      topK(logits, args.k).map((id) => ({
        id,
        token: model.tokenizer.tokenText(id),
        logit: logits[id] as number,
        probability: p[id] as number,
      }));
    let maxLogitChange = 0;
    for (let i = 0; i < before.length; i++)
      maxLogitChange = Math.max(maxLogitChange, Math.abs((after[i] as number) - (before[i] as number)));
    const top = topK(before, 1)[0] as number;
    const data: AblateUnitsData = {
      prompt: args.prompt,
      ablated,
      before: list(before, pBefore),
      after: list(after, pAfter),
      maxLogitChange,
      topTokenProbability: { before: pBefore[top] as number, after: pAfter[top] as number },
    };
    if (args.max_new_tokens > 0) {
      const [plain, cut] = await asToolError('ablate_units', async () => [
        await generate(model, args.prompt, { maxNewTokens: args.max_new_tokens }),
        await generate(model, args.prompt, { maxNewTokens: args.max_new_tokens, edits }),
      ]);
      data.generation = { before: plain?.text ?? '', after: cut?.text ?? '' };
    }
    const show = (tokens: AblatedToken[]) =>
      tokens.map((t) => `${JSON.stringify(t.token)} ${t.probability.toFixed(3)}`).join(', ');
    const lines = [
      `ablated: ${ablated.join(', ')}`,
      `next token before: ${show(data.before)}`,
      `next token after:  ${show(data.after)}`,
      `largest logit change ${maxLogitChange.toFixed(3)}; p(${JSON.stringify(model.tokenizer.tokenText(top))}) ` +
        `${data.topTokenProbability.before.toFixed(3)} → ${data.topTokenProbability.after.toFixed(3)}`,
      ...(data.generation
        ? [
            `continuation before: ⟦${data.generation.before}⟧`,
            `continuation after:  ⟦${data.generation.after}⟧`,
          ]
        : []),
    ];
    return { text: lines.join('\n'), images: [], data };
  },
});

function ablationEdits(
  model: LanguageModel,
  args: z.output<typeof Input>,
): { edits: Edit[]; ablated: string[] } {
  const bySite = new Map<string, Set<number>>();
  const ablated: string[] = [];
  for (const name of args.units) {
    const ref = model.subject.parseUnit(name);
    let units = bySite.get(ref.site.name);
    if (!units) bySite.set(ref.site.name, (units = new Set()));
    units.add(ref.unit);
    ablated.push(name);
  }
  const edits: Edit[] = [...bySite].map(([site, units]) => ({ site, units: [...units], op: 'zero' }));
  for (const { layer, heads } of args.heads) {
    edits.push(ablateHeads(model, layer, [...new Set(heads)]));
    ablated.push(`layer ${layer} head${heads.length === 1 ? '' : 's'} ${heads.join(', ')}`);
  }
  return { edits, ablated };
}
