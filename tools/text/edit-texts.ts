import { z } from 'zod';
import { applyTextEdit, TextEdit } from '../../stimuli/text/edits.ts';
import { InputError } from '../../util/errors.ts';
import { maxOf, round } from '../text-analysis/exemplar-view.ts';
import { textUnit } from '../text-analysis/unit-arg.ts';
import type { TextToolContext } from '../text-context.ts';
import { defineTool, ToolError } from '../tool.ts';

const Input = z
  .strictObject({
    unit: z.string().trim().min(1).describe('the unit, as site:index'),
    text: z.string().trim().min(1).max(2000).optional().describe('a text to edit (or give text_index)'),
    text_index: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('a text of the held-out set by index, as text_exemplars numbers them'),
    edits: z
      .array(TextEdit)
      .min(1)
      .max(12)
      .describe(
        'edits, each applied on its own to the original, by token index (0-based word tokens): ' +
          '{op:"replace",token,word}, {op:"insert",token,word} (before the token), {op:"delete",token}, ' +
          '{op:"swap",token,category} (a word of a lexical category: colour, animal, number, place, person, ' +
          'emotion, body, time, food, family)',
      ),
  })
  .refine((args) => (args.text === undefined) !== (args.text_index === undefined), {
    message: 'give exactly one of text and text_index',
  });

export interface EditTextsData {
  unit: string;
  original: {
    text: string;
    tokens: { text: string; concepts: string[]; bracketDepth: number }[];
    max: number;
    activations: number[];
  };
  variants: {
    summary: string;
    text: string;
    max: number;
    change: number;
    activations: number[];
    /** The edited text's tokens as annotated afresh, so a formula can be evaluated on it. */
    tokens: { text: string; concepts: string[]; bracketDepth: number }[];
  }[];
}

/** edit_texts: exact counterfactual edits of a text, and how the unit's activation changes. */
export const editTextsTool = defineTool({
  name: 'edit_texts',
  description:
    'Counterfactuals on text: apply exact word edits (replace, insert, delete, or swap a word for one of a ' +
    "lexical category) to a text, each edit on its own, and compare the unit's maximum token activation and " +
    'per-token activations before and after. Token indices are the word tokens of the original (punctuation ' +
    'counts as a token).',
  input: Input,
  async execute(args: z.output<typeof Input>, ctx: TextToolContext) {
    const unit = textUnit(ctx, 'edit_texts', args.unit);
    let original;
    if (args.text_index !== undefined) {
      const set = ctx.texts();
      original = set.texts[args.text_index];
      if (!original)
        throw new ToolError(
          `edit_texts: text_index ${args.text_index} is out of range (0–${set.texts.length - 1})`,
          'edit_texts',
        );
    } else original = ctx.annotate([args.text!])[0]!;
    let edited;
    try {
      edited = args.edits.map((edit) => applyTextEdit(original, edit));
    } catch (error) {
      if (error instanceof InputError) throw new ToolError(`edit_texts: ${error.message}`, 'edit_texts');
      throw error;
    }
    const variants = ctx.annotate(edited.map((e) => e.text));
    const [rows] = await ctx.probe.tokenActivations([original, ...variants], [unit]);
    const before = round(maxOf(rows![0]!));
    const data: EditTextsData = {
      unit: unit.id,
      original: {
        text: original.text,
        tokens: original.tokens.map((t) => ({
          text: t.text,
          concepts: t.concepts,
          bracketDepth: t.bracketDepth,
        })),
        max: before,
        activations: Array.from(rows![0]!, round),
      },
      variants: edited.map((e, i) => {
        const max = round(maxOf(rows![i + 1]!));
        return {
          summary: e.summary,
          text: e.text,
          max,
          change: round(max - before),
          activations: Array.from(rows![i + 1]!, round),
          tokens: variants[i]!.tokens.map((t) => ({
            text: t.text,
            concepts: t.concepts,
            bracketDepth: t.bracketDepth,
          })),
        };
      }),
    };
    const lines = [
      `${unit.id} on the original (max ${before}): ${original.tokens.map((t, i) => `${i}:${t.text}`).join(' ')}`,
      ...data.variants.map(
        (v) => `  ${v.summary}: max ${v.max} (${v.change >= 0 ? '+' : ''}${v.change}) — ${v.text}`,
      ),
    ];
    return { text: lines.join('\n'), images: [], data };
  },
});
