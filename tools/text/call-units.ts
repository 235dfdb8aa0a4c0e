import { z } from 'zod';
import { renderTokenPicture } from '../../stimuli/text/picture.ts';
import { encodePng } from '../../util/image.ts';
import { maxOf, pictureBlock, round } from '../text-analysis/exemplar-view.ts';
import { textUnit } from '../text-analysis/unit-arg.ts';
import type { TextToolContext } from '../text-context.ts';
import { defineTool } from '../tool.ts';

const Input = z.strictObject({
  units: z.array(z.string().trim().min(1)).min(1).max(8).describe('1–8 units, each site:index'),
  texts: z
    .array(z.string().trim().min(1).max(2000))
    .min(1)
    .max(20)
    .describe(
      '1–20 texts to run (a sentence or a short passage each); they are tokenised into words and annotated',
    ),
  image: z
    .boolean()
    .default(false)
    .describe('also return a picture of the texts, tokens coloured by the first unit'),
});

export interface CallTextUnitsData {
  units: string[];
  texts: { text: string; tokens: { text: string; concepts: string[] }[] }[];
  /** [unit][text][token]. */
  activations: number[][][];
  /** [unit][text]: the maximum over the text's tokens. */
  maxima: number[][];
}

/** call_units (text): per-token activations of units on texts the agent writes. */
export const callTextUnitsTool = defineTool({
  name: 'call_units',
  description:
    'Run units on texts you write and read the activation of every word token (the text is split into word ' +
    'tokens and annotated with the same concepts formulas name). Use it to test a hypothesis on texts where ' +
    'it holds and where it does not.',
  input: Input,
  async execute(args: z.output<typeof Input>, ctx: TextToolContext) {
    const units = [
      ...new Map(args.units.map((name) => textUnit(ctx, 'call_units', name)).map((u) => [u.id, u])).values(),
    ];
    const texts = ctx.annotate(args.texts);
    const activations = await ctx.probe.tokenActivations(texts, units);
    const maxima = activations.map((perText) => perText.map((values) => round(maxOf(values))));
    const lines: string[] = [];
    texts.forEach((text, t) => {
      lines.push(`text ${t}: ${text.text}`);
      units.forEach((unit, u) => {
        const values = activations[u]![t]!;
        const on = text.tokens
          .map((token, i) => ({ token: token.text, a: values[i] ?? 0 }))
          .filter((x) => x.a > 0)
          .map((x) => `${x.token} ${round(x.a).toFixed(2)}`);
        lines.push(
          `  ${unit.id}: max ${maxima[u]![t]}${on.length ? ` — ${on.slice(0, 12).join(', ')}${on.length > 12 ? ', …' : ''}` : ' — silent'}`,
        );
      });
    });
    const scale = Math.max(0, ...maxima[0]!);
    const images = args.image
      ? [
          {
            png: await encodePng(
              await renderTokenPicture(
                texts.map((text, t) =>
                  pictureBlock(`text ${t} · max ${maxima[0]![t]}`, text, activations[0]![t]!),
                ),
                scale,
              ),
            ),
            caption: `${units[0]!.id} on the given texts, tokens coloured by activation`,
          },
        ]
      : [];
    const data: CallTextUnitsData = {
      units: units.map((u) => u.id),
      texts: texts.map((text) => ({
        text: text.text,
        tokens: text.tokens.map((token) => ({ text: token.text, concepts: token.concepts })),
      })),
      activations: activations.map((perText) => perText.map((values) => Array.from(values, round))),
      maxima,
    };
    return { text: lines.join('\n'), images, data };
  },
});
