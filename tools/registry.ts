import { DEFAULT_TOOL_CALL_BUDGET, overBudget, type ToolCallBudget } from './call-budget.ts';
import type { ToolCost, ToolDefinition, ToolResult } from './tool.ts';
import { ToolError, parseToolArgs, toolJsonSchema } from './tool.ts';
import { AiaError } from '../util/errors.ts';

/** What a backbone is told about a tool. */
export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/** How one call may run: its budget, and the caller's signal (a stopped run stops the call). */
export interface CallOptions {
  /** Default DEFAULT_TOOL_CALL_BUDGET. */
  budget?: ToolCallBudget;
  signal?: AbortSignal;
}

/**
 * The set of tools an agent may call. Calls arrive as raw (possibly malformed) JSON from a model:
 * unknown names and invalid arguments become ToolErrors the model can read and fix. Before a call
 * runs, its tool's cost estimate is checked against the per-call budget; while it runs, a wall-clock
 * limit cancels it through the AbortSignal every handler receives.
 */
export class ToolRegistry<Ctx> {
  private readonly tools = new Map<string, ToolDefinition<Ctx>>();

  constructor(tools: ToolDefinition<Ctx>[] = []) {
    for (const tool of tools) this.register(tool);
  }

  register(tool: ToolDefinition<Ctx>): void {
    if (this.tools.has(tool.name)) throw new Error(`tool registered twice: ${tool.name}`);
    this.tools.set(tool.name, tool);
  }

  names(): string[] {
    return [...this.tools.keys()];
  }

  get(name: string): ToolDefinition<Ctx> {
    const tool = this.tools.get(name);
    if (!tool)
      throw new ToolError(`unknown tool '${name}'; available tools: ${this.names().join(', ')}`, name);
    return tool;
  }

  specs(): ToolSpec[] {
    return [...this.tools.values()].map((t) => ({
      name: t.name,
      description: t.description,
      inputSchema: toolJsonSchema(t),
    }));
  }

  /** Validate and run one call. `rawArgs` may be a JSON string (as some APIs deliver) or an object. */
  async call(name: string, rawArgs: unknown, context: Ctx, options: CallOptions = {}): Promise<ToolResult> {
    const tool = this.get(name);
    let args = rawArgs;
    if (typeof rawArgs === 'string') {
      try {
        args = rawArgs.trim() === '' ? {} : JSON.parse(rawArgs);
      } catch (error) {
        throw new ToolError(`arguments for ${name} are not valid JSON: ${(error as Error).message}`, name);
      }
    }
    const parsed = parseToolArgs(tool, args ?? {});
    const budget = options.budget ?? DEFAULT_TOOL_CALL_BUDGET;
    try {
      const cost = tool.cost?.(parsed, context);
      if (cost !== undefined) {
        const refusal = overBudget(name, cost, budget);
        if (refusal !== undefined) throw new ToolError(refusal, name);
      }
      return await withDeadline(name, budget.maxMs, cost, options.signal, (signal) =>
        tool.execute(parsed, context, { signal }),
      );
    } catch (error) {
      // Bad input found deep in a handler (an unknown unit, an impossible target) is still the
      // caller's to fix: one error type for all of it, so the loop and MCP treat it alike.
      if (error instanceof AiaError && !(error instanceof ToolError))
        throw new ToolError(error.message, name);
      throw error;
    }
  }
}

/**
 * Run `work` with a signal that aborts at the deadline or when `outer` does, and settle at that moment
 * with a ToolError whatever the handler is doing (it stops at its next check of the signal).
 */
async function withDeadline<T>(
  tool: string,
  ms: number,
  cost: ToolCost | undefined,
  outer: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (outer?.aborted) throw new ToolError(`${tool} not run: the run was stopped`, tool);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onOuter: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const seconds = Math.round(ms / 100) / 10;
      const error = new ToolError(
        `${tool} stopped after ${seconds} s, its per-call time limit; ` +
          `ask for less${cost !== undefined ? `: ${cost.shrink}` : ''}`,
        tool,
      );
      controller.abort(error);
      reject(error);
    }, ms);
    onOuter = () => {
      const error = new ToolError(`${tool} cancelled: the run was stopped`, tool);
      controller.abort(error);
      reject(error);
    };
    outer?.addEventListener('abort', onOuter, { once: true });
  });
  try {
    return await Promise.race([work(controller.signal), stopped]);
  } finally {
    clearTimeout(timer);
    if (onOuter !== undefined) outer?.removeEventListener('abort', onOuter);
  }
}
