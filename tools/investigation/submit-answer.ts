import { z } from 'zod';
import { parseFormula, printFormula } from '../../subjects/synthetic/index.ts';
import { errorMessage } from '../../util/errors.ts';
import type { AnswerRecord, ToolContext } from '../context.ts';
import { defineTool, ToolError } from '../tool.ts';
import { checkEvidence } from './evidence.ts';

const Input = z.strictObject({
  description: z.string().trim().min(1).max(2000).describe('what the unit (or model) does, in words'),
  formula: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .optional()
    .describe(
      'optional: the same as a formula of the concept language, e.g. "dog OR cat", "cup AND handle", ' +
        '"red & circle", "left(dog)", "NOT grass", "count(bird) >= 2", "word(\\"stop\\")", ' +
        '"char(\\"e\\") AND orientation(upright)", "height(text, 0.5, 1)", "xspan(text, 0, 0.33)", "effect(blur)"',
    ),
  confidence: z.number().min(0).max(1).describe('how sure you are, 0 to 1'),
  evidence: z
    .array(z.string().trim().min(1).max(100))
    .max(50)
    .default([])
    .describe('ids of the supporting tool calls or hypotheses'),
  unit: z.string().trim().optional().describe('the unit the answer is about, as site:index'),
});

/** An answer as submit_answer takes it (after defaults): what a backbone composes. */
export type SubmitAnswerArgs = z.output<typeof Input>;

/** submit_answer: the final answer, with a validated formula. */
export const submitAnswerTool = defineTool({
  name: 'submit_answer',
  description:
    'Submit the final answer: a description in words, optionally a formula in the concept language ' +
    '(concepts such as dog, red, grass, text; operators OR, AND (gate: fires on the first when the ' +
    'second is present), & (both at once), NOT, left/right/top/bottom(…), small/medium/large(…), ' +
    'above/below/left_of/right_of(A, B), count(A) >= n, word("…"), hue(colour), char("e"), ' +
    'orientation(upright|upside-down), effect(blur|noise|…), height(A, lo, hi) of the image height, ' +
    'xspan/yspan(A, lo, hi) of the width/height), a confidence from 0 ' +
    'to 1, and the evidence ids. A formula that does not parse is refused with the bad token named. ' +
    'Submitting again replaces the earlier answer.',
  input: Input,
  async execute(args: z.output<typeof Input>, ctx: ToolContext) {
    let formula: string | undefined;
    if (args.formula !== undefined) {
      try {
        formula = printFormula(parseFormula(args.formula));
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
        unit = ctx.probe.parseUnit(args.unit).id;
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
