import { z } from 'zod';
import { conceptScores, type ConceptScore } from '../text-analysis/concept-scores.ts';
import { round } from '../text-analysis/exemplar-view.ts';
import { tokenTable } from '../text-analysis/token-table.ts';
import { textUnit } from '../text-analysis/unit-arg.ts';
import type { TextToolContext } from '../text-context.ts';
import { defineTool } from '../tool.ts';

const Input = z.strictObject({
  unit: z.string().trim().min(1).describe('the unit, as site:index'),
  top_k: z.number().int().min(1).max(40).default(10).describe('concepts to list'),
  rank_by: z
    .enum(['r', 'iou'])
    .default('r')
    .describe('rank by Pearson r over tokens, or by IoU of firing tokens'),
});

export interface TextConceptStatsData {
  unit: string;
  threshold: number;
  top: ConceptScore[];
}

/** concept_stats (text): which token concepts line up with where the unit fires, over the held-out set. */
export const textConceptStatsTool = defineTool({
  name: 'concept_stats',
  description:
    "Score every token concept (part of speech, lexical category, position and form) and the unit's most " +
    'frequent firing words (word:<w>) against the unit over every token of the held-out set: IoU and ' +
    'precision/recall of the firing tokens, and Pearson r between the concept and the activation.',
  input: Input,
  async execute(args: z.output<typeof Input>, ctx: TextToolContext) {
    const unit = textUnit(ctx, 'concept_stats', args.unit);
    const table = tokenTable(ctx.texts().texts, await ctx.activations(unit));
    const top = conceptScores(table, args.rank_by)
      .slice(0, args.top_k)
      .map((s) => ({
        ...s,
        iou: round(s.iou),
        precision: round(s.precision),
        recall: round(s.recall),
        r: round(s.r),
      }));
    const threshold = round(Number.isFinite(table.threshold) ? table.threshold : table.max);
    const text = [
      `${unit.id}: concepts over ${table.size} held-out tokens (fires above ${threshold}), by ${args.rank_by}:`,
      ...top.map(
        (s) =>
          `  ${s.concept}: r ${s.r}, IoU ${s.iou}, precision ${s.precision}, recall ${s.recall} (${s.count} tokens)`,
      ),
    ].join('\n');
    const data: TextConceptStatsData = { unit: unit.id, threshold, top };
    return { text, images: [], data };
  },
});
