import type { ToolDefinition, ToolResult } from './tool.ts';
import { ToolError, parseToolArgs, toolJsonSchema } from './tool.ts';

/** What a backbone is told about a tool. */
export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/**
 * The set of tools an agent may call. Calls arrive as raw (possibly malformed) JSON from a model:
 * unknown names and invalid arguments become ToolErrors the model can read and fix.
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
  async call(name: string, rawArgs: unknown, context: Ctx): Promise<ToolResult> {
    const tool = this.get(name);
    let args = rawArgs;
    if (typeof rawArgs === 'string') {
      try {
        args = rawArgs.trim() === '' ? {} : JSON.parse(rawArgs);
      } catch (error) {
        throw new ToolError(`arguments for ${name} are not valid JSON: ${(error as Error).message}`, name);
      }
    }
    return tool.execute(parseToolArgs(tool, args ?? {}), context);
  }
}
