import { z } from 'zod';
import { renderTokenPicture } from '../../stimuli/text/picture.ts';
import { encodePng } from '../../util/image.ts';
import { hashString } from '../../util/random.ts';
import {
  firingTokens,
  markedText,
  maxOf,
  pictureBlock,
  round,
  type TokenView,
} from '../text-analysis/exemplar-view.ts';
import { tokenTable } from '../text-analysis/token-table.ts';
import { textUnit } from '../text-analysis/unit-arg.ts';
import type { TextToolContext } from '../text-context.ts';
import { defineTool } from '../tool.ts';

const Input = z.strictObject({
  unit: z.string().trim().min(1).describe('the unit, as site:index (e.g. synthetic:0)'),
  k: z.number().int().min(1).max(20).default(8).describe('top texts to show (1–20)'),
  bottom: z.number().int().min(0).max(10).default(0).describe('least activating texts to show as contrast'),
  image: z
    .boolean()
    .default(true)
    .describe('also return the texts as a picture, tokens coloured by activation'),
});

export interface TextExemplar {
  rank: 'top' | 'bottom';
  /** Index of the text in the agent's text set (edit_texts takes it). */
  textIndex: number;
  id: string;
  /** The unit's maximum over the text's tokens. */
  activation: number;
  /** The text with firing tokens marked [[token]](activation). */
  marked: string;
  firing: TokenView[];
}

export interface TextExemplarsData {
  unit: string;
  exemplars: TextExemplar[];
  stats: {
    min: number;
    max: number;
    mean: number;
    threshold: number;
    texts: number;
    tokens: number;
    firing: number;
  };
}

/** text_exemplars: the texts of the held-out set that drive a unit most, firing tokens marked. */
export const textExemplarsTool = defineTool({
  name: 'text_exemplars',
  description:
    "The texts of the held-out set (Brown passages and simple stories) on which a unit's maximum token " +
    "activation is highest, each with its firing tokens (above half the unit's range over the set) marked " +
    '[[like this]](activation) and their token concepts; optionally the least activating texts; and a picture ' +
    'with every token coloured by activation. Start here.',
  input: Input,
  async execute(args: z.output<typeof Input>, ctx: TextToolContext) {
    const unit = textUnit(ctx, 'text_exemplars', args.unit);
    const set = ctx.texts();
    const perText = await ctx.activations(unit);
    const table = tokenTable(set.texts, perText);
    const maxima = perText.map(maxOf);
    // Ties (a unit at 1 on many texts) are broken by a hash of the text's id, not its position, so the
    // top is a fair mix of the set (stories come first in it) and the same on every run.
    const tieBreak = set.texts.map((text) => hashString(`${unit.id}\n${text.id}`));
    const order = maxima
      .map((_, i) => i)
      .sort((a, b) => maxima[b]! - maxima[a]! || tieBreak[a]! - tieBreak[b]! || a - b);
    const chosen: [number, 'top' | 'bottom'][] = [
      ...order.slice(0, args.k).map((i): [number, 'top'] => [i, 'top']),
      ...order
        .slice(Math.max(args.k, order.length - args.bottom))
        .reverse()
        .map((i): [number, 'bottom'] => [i, 'bottom']),
    ];
    const exemplars: TextExemplar[] = chosen.map(([i, rank]) => ({
      rank,
      textIndex: i,
      id: set.texts[i]!.id,
      activation: round(maxima[i]!),
      marked: markedText(set.texts[i]!, perText[i]!, table.threshold),
      firing: firingTokens(set.texts[i]!, perText[i]!, table.threshold),
    }));
    let firing = 0;
    let sum = 0;
    for (const a of table.activations) {
      sum += a;
      if (a > table.threshold) firing++;
    }
    const stats = {
      min: round(table.min),
      max: round(table.max),
      mean: round(table.size ? sum / table.size : 0),
      threshold: round(Number.isFinite(table.threshold) ? table.threshold : table.max),
      texts: set.texts.length,
      tokens: table.size,
      firing,
    };
    const lines = [
      `${unit.id} over ${stats.texts} held-out texts (${stats.tokens} tokens): activation ${stats.min}–${stats.max}, ` +
        `mean ${stats.mean}; fires (> ${stats.threshold}) on ${firing} tokens.`,
      ...exemplars.map(
        (e, n) =>
          `${e.rank === 'top' ? `#${n + 1}` : 'bottom'} text ${e.textIndex} (${e.id}), max ${e.activation}: ${e.marked}` +
          (e.firing.length
            ? `\n    fires on: ${e.firing
                .slice(0, 6)
                .map((t) => `${t.text} {${(t.concepts ?? []).join(', ')}}`)
                .join('; ')}`
            : ''),
      ),
    ];
    const images = args.image
      ? [
          {
            png: await encodePng(
              await renderTokenPicture(
                chosen.map(([i, rank]) =>
                  pictureBlock(`${rank} · text ${i} · max ${round(maxima[i]!)}`, set.texts[i]!, perText[i]!),
                ),
                table.max,
              ),
            ),
            caption: `${unit.id}: top texts, tokens coloured by activation (white 0, orange ${stats.max})`,
          },
        ]
      : [];
    const data: TextExemplarsData = { unit: unit.id, exemplars, stats };
    return { text: lines.join('\n'), images, data };
  },
});
