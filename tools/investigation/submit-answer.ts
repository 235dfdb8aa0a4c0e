import { z } from 'zod';
import { errorMessage } from '../../util/errors.ts';
import type { AnswerRecord, InvestigationContext } from './state.ts';
import { defineTool, ToolError } from '../tool.ts';
import { checkEvidence } from './evidence.ts';

/** The formula field, described with examples of the subject's concept language. */
function answerInput(formulaExamples: string) {
  return z.strictObject({
    description: z.string().trim().min(1).max(2000).describe('what the unit (or model) does, in words'),
    formula: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .optional()
      .describe(`optional: the same as a formula of the concept language, e.g. ${formulaExamples}`),
    confidence: z.number().min(0).max(1).describe('how sure you are, 0 to 1'),
    evidence: z
      .array(z.string().trim().min(1).max(100))
      .max(50)
      .default([])
      .describe('ids of the supporting tool calls or hypotheses'),
    unit: z.string().trim().optional().describe('the unit the answer is about, as site:index'),
  });
}

const VISION_FORMULA_EXAMPLES =
  '"dog OR cat", "cup AND handle", "red & circle", "left(dog)", "NOT grass", "count(bird) >= 2", "word(\\"stop\\")", ' +
  '"char(\\"e\\") AND orientation(upright)", "height(text, 0.5, 1)", "xspan(text, 0, 0.33)", "effect(blur)"';
/** An answer as submit_answer takes it (after defaults): what a backbone composes. */
export type SubmitAnswerArgs = z.output<ReturnType<typeof answerInput>>;

/**
 * submit_answer for a modality: the description names the concept language (`language`, e.g. the
 * operators and concepts of scenes) and the formula field gives examples of it. The formula and the
 * unit are checked by the context, which knows its subject's language.
 */
export function createSubmitAnswerTool(language: string, formulaExamples: string) {
  const input = answerInput(formulaExamples);
  return defineTool({
    name: 'submit_answer',
    description:
      `Submit the final answer: a description in words, optionally a formula in the concept language ${language}, ` +
      'a confidence from 0 to 1, and the evidence ids. A formula that does not parse is refused with the bad ' +
      'token named. Submitting again replaces the earlier answer.',
    input,
    async execute(args: z.output<typeof input>, ctx: InvestigationContext) {
      let formula: string | undefined;
      if (args.formula !== undefined) {
        try {
          formula = ctx.canonicalFormula(args.formula);
        } catch (error) {
          throw new ToolError(
            `submit_answer: the formula does not parse: ${errorMessage(error)}`,
            'submit_answer',
          );
        }
      }
      let unit: string | undefined;
      if (args.unit !== undefined) {
        try {
          unit = ctx.canonicalUnit(args.unit);
        } catch (error) {
          throw new ToolError(`submit_answer: ${errorMessage(error)}`, 'submit_answer');
        }
      }
      checkEvidence(args.evidence, ctx, 'submit_answer');
      const replaced = ctx.answer !== undefined;
      const answer: AnswerRecord = {
        description: args.description,
        ...(formula !== undefined ? { formula } : {}),
        confidence: args.confidence,
        evidence: args.evidence,
        ...(unit !== undefined ? { unit } : {}),
      };
      ctx.answer = answer;
      const text =
        `${replaced ? 'answer replaced' : 'answer recorded'}: ${answer.description}` +
        (formula !== undefined ? `\nformula: ${formula}` : '') +
        `\nconfidence: ${answer.confidence}` +
        (answer.evidence.length ? `\nevidence: ${answer.evidence.join(', ')}` : '');
      return { text, images: [], data: { answer, replaced } };
    },
  });
}

/** submit_answer for vision subjects: formulas of the scene concept language. */
export const submitAnswerTool = createSubmitAnswerTool(
  '(concepts such as dog, red, grass, text; operators OR, AND (gate: fires on the first when the ' +
    'second is present), & (both at once), NOT, left/right/top/bottom(…), small/medium/large(…), ' +
    'above/below/left_of/right_of(A, B), count(A) >= n, word("…"), hue(colour), char("e"), ' +
    'orientation(upright|upside-down), effect(blur|noise|…), height(A, lo, hi) of the image height, ' +
    'xspan/yspan(A, lo, hi) of the width/height)',
  VISION_FORMULA_EXAMPLES,
);
