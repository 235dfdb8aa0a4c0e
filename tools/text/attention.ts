import { z } from 'zod';
import { attentionPatterns, topK } from '../../subjects/language-model/index.ts';
import { createImage, encodePng, type RgbImage } from '../../util/image.ts';
import type { TextToolContext } from '../text-context.ts';
import { defineTool, ToolError } from '../tool.ts';
import { asToolError, languageModelOf } from './language-model.ts';

const Input = z.strictObject({
  text: z.string().min(1).max(1000).describe('the text to read (at most 64 model tokens)'),
  layer: z.number().int().min(0).describe('the layer'),
  head: z.number().int().min(0).describe('the head of that layer'),
  top: z.number().int().min(1).max(5).default(3).describe('attended tokens to list per position'),
});

/** Most model tokens the attention tool reads: the picture and the listing stay legible. */
export const MAX_ATTENTION_TOKENS = 64;

export interface AttentionData {
  layer: number;
  head: number;
  tokens: string[];
  /** [query][key], rows summing to 1. */
  weights: number[][];
  /** Per query position: the most attended key positions, with weights. */
  top: { key: number; token: string; weight: number }[][];
}

/** attention: one head's attention pattern on a text, as a picture and as the top attended tokens. */
export const attentionTool = defineTool({
  name: 'attention',
  description:
    "Show one attention head's pattern on a text: a picture (row = the attending token, column = the token " +
    'attended to, darker = more weight; rows run top to bottom in text order) and, for each token, the ' +
    'tokens it attends to most. Use it to find heads that look at the previous token, the first token, a ' +
    'matching earlier token, and so on.',
  input: Input,
  async execute(args: z.output<typeof Input>, ctx: TextToolContext) {
    const model = languageModelOf(ctx, 'attention');
    const ids = await asToolError('attention', () => model.ids(args.text));
    if (ids.length > MAX_ATTENTION_TOKENS)
      throw new ToolError(
        `attention: the text has ${ids.length} model tokens; give at most ${MAX_ATTENTION_TOKENS}`,
        'attention',
      );
    const [pattern] = await asToolError('attention', () =>
      attentionPatterns(model, ids, args.layer, [args.head]),
    );
    if (!pattern) throw new ToolError('attention: no pattern', 'attention');
    const { tokens, weights } = pattern;
    const top = weights.map((row) =>
      topK(row, Math.min(args.top, row.length))
        .filter((key) => (row[key] as number) > 0)
        .map((key) => ({ key, token: tokens[key] as string, weight: row[key] as number })),
    );
    const lines = [
      `layer ${args.layer} head ${args.head} on ${tokens.length} tokens; each token → the tokens it attends to most:`,
      ...top.map(
        (keys, q) =>
          `  ${q} ${JSON.stringify(tokens[q])} → ${keys.map((k) => `${k.key} ${JSON.stringify(k.token)} ${k.weight.toFixed(2)}`).join(', ')}`,
      ),
    ];
    const data: AttentionData = { layer: args.layer, head: args.head, tokens, weights, top };
    return {
      text: lines.join('\n'),
      images: [
        {
          png: await encodePng(heatmap(weights)),
          caption: `attention of layer ${args.layer} head ${args.head}: row = attending token, column = attended token (0–${tokens.length - 1})`,
        },
      ],
      data,
    };
  },
});

/** A [query][key] matrix as square cells, white (0) to dark blue (1), with grid lines. */
function heatmap(weights: number[][]): RgbImage {
  const n = weights.length;
  const cell = Math.max(4, Math.min(24, Math.floor(480 / Math.max(1, n))));
  const size = n * cell + 1;
  const image = createImage(size, size, [200, 200, 200]);
  for (let q = 0; q < n; q++)
    for (let k = 0; k < n; k++) {
      const w = Math.min(1, Math.max(0, weights[q]?.[k] ?? 0));
      const colour = [255 - 225 * w, 255 - 195 * w, 255 - 95 * w].map(Math.round);
      for (let y = q * cell + 1; y < (q + 1) * cell; y++)
        for (let x = k * cell + 1; x < (k + 1) * cell; x++) image.data.set(colour, (y * size + x) * 3);
    }
  return image;
}
