import type { ToolCost } from './tool.ts';

/**
 * The most one tool call may cost: estimated work checked before it runs, and wall-clock time
 * enforced while it runs. The defaults keep any one call to seconds on a laptop CPU; measured
 * figures are in docs/performance.md.
 */
export interface ToolCallBudget {
  /** Estimated pixel operations (see ToolCost.pixelOps). */
  maxPixelOps: number;
  /** Estimated forward passes of the subject. */
  maxForwardPasses: number;
  /** Wall-clock milliseconds before the call is cancelled. */
  maxMs: number;
}

/**
 * Pixel operations: a few seconds on one quiet core (a blur tap costs 15–65 ns a pixel on the
 * development machine, more when it is shared; docs/performance.md), and above what every default
 * call needs (RISE's 500 masks on 12 alignment stimuli: 3e8). Forward passes: a default saliency
 * call on 24 stimuli. Wall clock: one minute, the backstop for whatever the estimate misses; it stops
 * a call between units of work (a scene, a batch of copies), not inside one blur.
 */
export const DEFAULT_TOOL_CALL_BUDGET: ToolCallBudget = {
  maxPixelOps: 5e8,
  maxForwardPasses: 20_000,
  maxMs: 60_000,
};

/** A number as a reader takes it in: 3.9e10 → "3.9e10", 20000 → "20,000". */
function amount(n: number): string {
  return n >= 1e6 ? n.toExponential(1).replace('e+', 'e') : Math.round(n).toLocaleString('en-US');
}

/** Why a call is over budget, in one sentence naming what to shrink; undefined when it fits. */
export function overBudget(tool: string, cost: ToolCost, budget: ToolCallBudget): string | undefined {
  const over: string[] = [];
  if (cost.pixelOps > budget.maxPixelOps)
    over.push(`about ${amount(cost.pixelOps)} pixel operations (limit ${amount(budget.maxPixelOps)})`);
  if (cost.forwardPasses > budget.maxForwardPasses)
    over.push(`${amount(cost.forwardPasses)} forward passes (limit ${amount(budget.maxForwardPasses)})`);
  if (over.length === 0) return undefined;
  return (
    `${tool} refused before running: ${cost.detail} would need ${over.join(' and ')}, over the ` +
    `per-call budget; shrink it: ${cost.shrink}`
  );
}
