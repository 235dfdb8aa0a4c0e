import { z } from 'zod';
import type { HypothesisRecord, InvestigationContext } from './state.ts';
import { defineTool, ToolError } from '../tool.ts';
import { checkEvidence } from './evidence.ts';

const Input = z.strictObject({
  text: z
    .string()
    .trim()
    .min(1)
    .max(1000)
    .describe('the hypothesis, e.g. "final_conv:7 detects upside-down text"'),
  status: z
    .enum(['proposed', 'supported', 'refuted'])
    .default('proposed')
    .describe('proposed (not yet tested), supported or refuted by evidence'),
  evidence: z
    .array(z.string().trim().min(1).max(100))
    .max(50)
    .default([])
    .describe('ids of the tool calls or hypotheses that bear on it'),
  revises: z.string().trim().optional().describe('id of an earlier hypothesis this one updates (e.g. "h2")'),
});

/** record_hypothesis: keep the investigation's hypotheses, with status and evidence. */
export const recordHypothesisTool = defineTool({
  name: 'record_hypothesis',
  description:
    'Record a hypothesis (or update one: give `revises` with its id) with its status — proposed, ' +
    'supported or refuted — and the evidence (tool-call ids) behind it. Returns its id (h1, h2, …) and ' +
    'the list so far. Record each hypothesis before testing it and again when evidence decides it; ' +
    'the final answer cites them.',
  input: Input,
  async execute(args: z.output<typeof Input>, ctx: InvestigationContext) {
    if (args.revises !== undefined && !ctx.hypotheses.some((h) => h.id === args.revises)) {
      const known = ctx.hypotheses.map((h) => h.id).join(', ') || 'none yet';
      throw new ToolError(
        `record_hypothesis: no hypothesis '${args.revises}' to revise (recorded: ${known})`,
        'record_hypothesis',
      );
    }
    checkEvidence(args.evidence, ctx, 'record_hypothesis');
    const record: HypothesisRecord = {
      id: `h${ctx.hypotheses.length + 1}`,
      text: args.text,
      status: args.status,
      evidence: args.evidence,
      ...(args.revises !== undefined ? { revises: args.revises } : {}),
    };
    ctx.hypotheses.push(record);
    const lines = [
      `recorded ${record.id} (${record.status})${record.revises ? `, revising ${record.revises}` : ''}.`,
      'Hypotheses so far:',
      ...ctx.hypotheses.map(
        (h) =>
          `  ${h.id} [${h.status}] ${h.text}${h.evidence.length ? ` (evidence: ${h.evidence.join(', ')})` : ''}`,
      ),
    ];
    return {
      text: lines.join('\n'),
      images: [],
      data: { hypothesis: record, hypotheses: [...ctx.hypotheses] },
    };
  },
});
