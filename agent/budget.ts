import type { Usage } from './backbone.ts';

/**
 * Limits on one investigation. When one runs out the agent is asked once for its final answer
 * (a forced submit_answer turn), whatever it was doing.
 */
export interface BudgetLimits {
  /** Model turns (each may carry several tool calls). */
  maxSteps: number;
  /** Input tokens summed over every model call. */
  maxInputTokens: number;
  maxOutputTokens: number;
  /** USD, from the price table; a model with no known price never exhausts it. */
  maxCostUsd: number;
  maxWallSeconds: number;
}

export const DEFAULT_BUDGET: BudgetLimits = {
  maxSteps: 40,
  maxInputTokens: 2_000_000,
  maxOutputTokens: 100_000,
  maxCostUsd: 5,
  maxWallSeconds: 1800,
};

export type BudgetLimit = 'steps' | 'input_tokens' | 'output_tokens' | 'cost' | 'time';

export interface BudgetState {
  steps: number;
  usage: Usage;
  costUsd: number;
  startedAt: number;
  /** Milliseconds spent in tool calls (part of the wall time, counted apart so it can be reported). */
  toolMs: number;
}

/** Milliseconds left of the wall-clock budget (never negative). */
export function remainingMs(limits: BudgetLimits, state: BudgetState, now = Date.now()): number {
  return Math.max(0, limits.maxWallSeconds * 1000 - (now - state.startedAt));
}

/** The first limit the state has reached, with a sentence for the transcript; undefined while within. */
export function exhausted(
  limits: BudgetLimits,
  state: BudgetState,
  now = Date.now(),
): { limit: BudgetLimit; detail: string } | undefined {
  if (state.steps >= limits.maxSteps)
    return { limit: 'steps', detail: `${state.steps} of ${limits.maxSteps} steps used` };
  if (state.usage.inputTokens >= limits.maxInputTokens)
    return {
      limit: 'input_tokens',
      detail: `${state.usage.inputTokens} of ${limits.maxInputTokens} input tokens used`,
    };
  if (state.usage.outputTokens >= limits.maxOutputTokens)
    return {
      limit: 'output_tokens',
      detail: `${state.usage.outputTokens} of ${limits.maxOutputTokens} output tokens used`,
    };
  if (state.costUsd >= limits.maxCostUsd)
    return { limit: 'cost', detail: `$${state.costUsd.toFixed(4)} of $${limits.maxCostUsd} spent` };
  const seconds = (now - state.startedAt) / 1000;
  if (seconds >= limits.maxWallSeconds)
    return {
      limit: 'time',
      detail:
        `${seconds.toFixed(1)} s of ${limits.maxWallSeconds} s elapsed ` +
        `(${(state.toolMs / 1000).toFixed(1)} s of it in tool calls)`,
    };
  return undefined;
}
