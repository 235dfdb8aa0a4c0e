import { z } from 'zod';
import { InputError } from '../../util/errors.ts';
import { round } from '../text-analysis/exemplar-view.ts';
import { scoreFormulas, searchFormulas, type FormulaScore } from '../text-analysis/formula-search.ts';
import { tokenTable } from '../text-analysis/token-table.ts';
import { textUnit } from '../text-analysis/unit-arg.ts';
import { canonicalTextFormula, type TextToolContext } from '../text-context.ts';
import { defineTool, ToolError } from '../tool.ts';

const Input = z.strictObject({
  unit: z.string().trim().min(1).describe('the unit, as site:index'),
  top_k: z.number().int().min(1).max(30).default(8).describe('formulas to list'),
  max_length: z.number().int().min(1).max(4).default(3).describe('most concepts in a searched formula'),
  beam: z.number().int().min(1).max(20).default(6).describe('formulas kept per length'),
  candidates: z
    .array(z.string().trim().min(1))
    .max(20)
    .optional()
    .describe('concepts (or word:<w>) to include as atoms of the search'),
  formulas: z
    .array(z.string().trim().min(1).max(300))
    .max(20)
    .optional()
    .describe('formulas to score as given (e.g. your hypotheses), beside the search'),
});

export interface TextFormulaSearchData {
  unit: string;
  formulas: FormulaScore[];
  /** The given formulas, scored, in the order given. */
  scored: FormulaScore[];
}

const rounded = (s: FormulaScore): FormulaScore => ({
  ...s,
  iou: round(s.iou),
  precision: round(s.precision),
  recall: round(s.recall),
  r: round(s.r),
});

/** formula_search (text): compositional formulas over token concepts, ranked by r over held-out tokens. */
export const textFormulaSearchTool = defineTool({
  name: 'formula_search',
  description:
    'Search formulas of the text concept language — concepts combined with OR, AND, AND NOT and after(A, B) ' +
    '(A right after B) — for the one that best matches the unit token by token over the held-out set (Pearson ' +
    'r; IoU of the firing tokens beside it). Give `formulas` to score your own hypotheses the same way.',
  input: Input,
  async execute(args: z.output<typeof Input>, ctx: TextToolContext) {
    const unit = textUnit(ctx, 'formula_search', args.unit);
    let given: string[];
    try {
      given = (args.formulas ?? []).map(canonicalTextFormula);
      // A candidate atom is a concept (or word:<w>, depth:<n>): checked as the one-atom formula it stands for.
      for (const atom of args.candidates ?? [])
        if (!atom.startsWith('word:') && !atom.startsWith('depth:')) canonicalTextFormula(atom);
    } catch (error) {
      if (error instanceof InputError)
        throw new ToolError(`formula_search: ${error.message}`, 'formula_search');
      throw error;
    }
    const table = tokenTable(ctx.texts().texts, await ctx.activations(unit));
    const formulas = searchFormulas(table, {
      maxLength: args.max_length,
      beam: args.beam,
      ...(args.candidates ? { candidates: args.candidates } : {}),
    })
      .slice(0, args.top_k)
      .map(rounded);
    const scored = scoreFormulas(table, given).map(rounded);
    const line = (s: FormulaScore) =>
      `  ${s.formula}: r ${s.r}, IoU ${s.iou}, precision ${s.precision}, recall ${s.recall}`;
    const text = [
      `${unit.id}: best formulas over ${table.size} held-out tokens:`,
      ...formulas.map(line),
      ...(scored.length ? ['given formulas:', ...scored.map(line)] : []),
    ].join('\n');
    const data: TextFormulaSearchData = { unit: unit.id, formulas, scored };
    return { text, images: [], data };
  },
});
