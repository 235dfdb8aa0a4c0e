import { z } from 'zod';
import { AiaError } from '../util/errors.ts';

/**
 * A tool is a typed experiment: what the model sees (name, description, JSON Schema of the input)
 * is kept apart from what the program gets back (`data`, typed). Handlers never run model-written
 * code; they only interpret validated arguments.
 */

export interface ToolImage {
  png: Buffer;
  caption: string;
}

export interface ToolResult<D = unknown> {
  /** What the model reads. */
  text: string;
  /** Images shown to the model (and stored in the transcript as blobs). */
  images: ToolImage[];
  /** Structured result for programs: scorers, reports, tests. */
  data: D;
}

/** A problem with a tool call that the model can fix; the message goes back to it and the loop goes on. */
export class ToolError extends AiaError {
  constructor(
    message: string,
    readonly tool?: string,
  ) {
    super(message, 'TOOL_ERROR');
    this.name = 'ToolError';
  }
}

/**
 * What one call will cost, estimated from its validated arguments before anything runs, so a call
 * that would take minutes is refused in milliseconds with a message saying what to shrink.
 */
export interface ToolCost {
  /**
   * Pixel operations: pixels rendered or copied, times the passes over them (a blur of radius r
   * counts 2(2r+1) passes; each perturbed copy a saliency method scores counts one).
   */
  pixelOps: number;
  /** Forward passes of the subject (images scored). */
  forwardPasses: number;
  /** In words, what the call does that costs this much: "24 stimuli of 1024×1024 px, 16 blurs". */
  detail: string;
  /** The arguments to reduce, in words a model can act on: "fewer stimuli, a larger patch_size". */
  shrink: string;
}

/** Options every call gets besides its arguments (as the Vercel AI SDK passes them to `execute`). */
export interface ToolCallOptions {
  /**
   * Aborted when the call runs past its wall-clock limit or the run is stopped. Long handlers check
   * it between units of work (a scene, a batch of copies) and stop; the caller has already moved on.
   */
  signal: AbortSignal;
}

export interface ToolDefinition<Ctx, I extends z.ZodType = z.ZodType, D = unknown> {
  name: string;
  /** Written for a model: what the experiment does, when to use it, what comes back. */
  description: string;
  input: I;
  /**
   * The cost of a call with these arguments, read by the registry before it runs; absent for tools
   * whose cost is small and bounded by their schema alone.
   */
  cost?(args: z.output<I>, context: Ctx): ToolCost;
  execute(args: z.output<I>, context: Ctx, options: ToolCallOptions): Promise<ToolResult<D>>;
}

/** Identity helper that keeps the argument type of `execute` tied to the schema. */
export function defineTool<Ctx, I extends z.ZodType, D>(
  tool: ToolDefinition<Ctx, I, D>,
): ToolDefinition<Ctx, I, D> {
  return tool;
}

/**
 * JSON numbers beyond ±1.8e308 (`1e400`) parse as ±Infinity, which zod reports as a type mismatch
 * between a number and a number; say what is actually wrong.
 */
function issueMessage(issue: z.core.$ZodIssue): string {
  const received = (issue as { received?: unknown }).received;
  if (issue.code === 'invalid_type' && issue.expected === 'number') {
    if (received === 'Infinity' || received === '-Infinity')
      return `must be a finite number; the value given is too large to represent (it reads as ${received})`;
    if (received === 'NaN') return 'must be a number, not NaN';
  }
  return issue.message;
}

/** Turn zod issues into one message a model can act on: each bad field by path, with the reason. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length ? issue.path.map(String).join('.') : '(arguments)';
      return `${path}: ${issueMessage(issue)}`;
    })
    .join('; ');
}

export function parseToolArgs<I extends z.ZodType>(
  tool: { name: string; input: I },
  raw: unknown,
): z.output<I> {
  const parsed = tool.input.safeParse(raw);
  if (!parsed.success) {
    throw new ToolError(`invalid arguments for ${tool.name}: ${describeIssues(parsed.error)}`, tool.name);
  }
  return parsed.data;
}

/** JSON Schema of a tool's input as the LLM APIs want it (input side: defaults are optional). */
export function toolJsonSchema(tool: { input: z.ZodType }): Record<string, unknown> {
  const schema = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  delete schema.$schema;
  return schema;
}
