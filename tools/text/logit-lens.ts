import { z } from 'zod';
import { logitLens, type LensLayer } from '../../subjects/language-model/index.ts';
import type { TextToolContext } from '../text-context.ts';
import { defineTool } from '../tool.ts';
import { asToolError, languageModelOf } from './language-model.ts';

const Input = z.strictObject({
  text: z.string().min(1).max(2000).describe('the text to read'),
  position: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('the model token position to read (default: the last, i.e. the next-token prediction)'),
  k: z.number().int().min(1).max(10).default(5).describe('predictions per layer'),
});

export interface LogitLensData {
  text: string;
  tokens: string[];
  position: number;
  layers: LensLayer[];
}

/** logit_lens: the next tokens each layer's residual stream would predict. */
export const logitLensTool = defineTool({
  name: 'logit_lens',
  description:
    "The logit lens: what the language model would predict at a position if each layer's residual stream " +
    'went straight to the final LayerNorm and unembedding (layer -1 is the embeddings; the last layer is the ' +
    "model's own prediction). Use it to see at which layer a prediction forms.",
  input: Input,
  async execute(args: z.output<typeof Input>, ctx: TextToolContext) {
    const model = languageModelOf(ctx, 'logit_lens');
    const ids = await asToolError('logit_lens', () => model.ids(args.text));
    const position = args.position ?? ids.length - 1;
    const layers = await asToolError('logit_lens', () => logitLens(model, ids, { position, k: args.k }));
    const tokens = ids.map((id) => model.tokenizer.tokenText(id));
    const lines = [
      `position ${position} (token ${JSON.stringify(tokens[position])}) of ${tokens.length}:`,
      ...layers.map(
        (l) =>
          `  layer ${l.layer < 0 ? 'emb' : l.layer}: ${l.top.map((p) => `${JSON.stringify(p.token)} ${p.probability.toFixed(3)}`).join(', ')}`,
      ),
    ];
    const data: LogitLensData = { text: args.text, tokens, position, layers };
    return { text: lines.join('\n'), images: [], data };
  },
});
