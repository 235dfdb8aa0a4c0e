import type { InvestigationContext } from './state.ts';
import { ToolError } from '../tool.ts';

/**
 * Evidence must name something that happened: a tool call of this run (c1, c2, …) or a recorded
 * hypothesis (h1, …). Only checked inside an agent loop, where the loop keeps the call ids.
 */
export function checkEvidence(evidence: readonly string[], ctx: InvestigationContext, tool: string): void {
  const known = ctx.knownRefs;
  if (!known) return;
  const unknown = evidence.filter((id) => !known.has(id) && !ctx.hypotheses.some((h) => h.id === id));
  if (unknown.length === 0) return;
  const calls = [...known];
  const range = calls.length ? `tool calls ${calls[0]}–${calls[calls.length - 1]}` : 'no tool calls yet';
  const hypotheses = ctx.hypotheses.length
    ? `, hypotheses ${ctx.hypotheses.map((h) => h.id).join(', ')}`
    : '';
  throw new ToolError(
    `${tool}: unknown evidence id${unknown.length > 1 ? 's' : ''} ${unknown.map((id) => `'${id}'`).join(', ')}; ` +
      `cite the ids shown in brackets at the start of tool results (${range}${hypotheses})`,
    tool,
  );
}
