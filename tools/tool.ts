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

export interface ToolDefinition<Ctx, I extends z.ZodType = z.ZodType, D = unknown> {
  name: string;
  /** Written for a model: what the experiment does, when to use it, what comes back. */
  description: string;
  input: I;
  execute(args: z.output<I>, context: Ctx): Promise<ToolResult<D>>;
}

/** Identity helper that keeps the argument type of `execute` tied to the schema. */
export function defineTool<Ctx, I extends z.ZodType, D>(
  tool: ToolDefinition<Ctx, I, D>,
): ToolDefinition<Ctx, I, D> {
  return tool;
}

/** Turn zod issues into one message a model can act on: each bad field by path, with the reason. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length ? issue.path.map(String).join('.') : '(arguments)';
      return `${path}: ${issue.message}`;
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
