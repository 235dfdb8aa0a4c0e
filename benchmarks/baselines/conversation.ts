import {
  ZERO_USAGE,
  type Message,
  type ModelRequest,
  type ModelResponse,
  type ToolResultPart,
} from '../../agent/backbone.ts';

/**
 * What the scripted baselines read from the conversation the loop keeps, and the responses they give.
 * They decide from tool results (their `data`), never from free text, and cost no tokens.
 */

/** Every tool result so far, oldest first. */
export function toolResults(messages: readonly Message[]): ToolResultPart[] {
  return messages.flatMap((message) => (message.role === 'tool' ? message.results : []));
}

/** The latest result of a tool, if it was called. */
export function lastResult(messages: readonly Message[], tool: string): ToolResultPart | undefined {
  return toolResults(messages)
    .filter((result) => result.name === tool)
    .at(-1);
}

/** How many times the assistant has called a tool. */
export function callCount(messages: readonly Message[], tool: string): number {
  return messages.reduce(
    (n, message) =>
      n + (message.role === 'assistant' ? message.toolCalls.filter((call) => call.name === tool).length : 0),
    0,
  );
}

/** Whether an answer has been accepted (a submit_answer result that is not an error). */
export function answered(messages: readonly Message[]): boolean {
  return toolResults(messages).some((result) => result.name === 'submit_answer' && !result.isError);
}

/**
 * The evidence id a tool result begins with (the loop prefixes each result with the id the model
 * may cite, such as `[c1]`), if there is one.
 */
export function evidenceId(result: ToolResultPart): string | undefined {
  return /^\W*(c\d+)\b/.exec(result.text)?.[1];
}

/** A turn that calls one tool. Call ids are numbered by turn, so they are unique in the conversation. */
export function callTool(
  backbone: { name: string; model: string },
  request: ModelRequest,
  tool: string,
  args: Record<string, unknown>,
  text: string,
): ModelResponse {
  const turn = request.messages.filter((message) => message.role === 'assistant').length + 1;
  return {
    text,
    toolCalls: [{ id: `${backbone.name}-${turn}`, name: tool, arguments: JSON.stringify(args) }],
    stopReason: 'tool_calls',
    usage: ZERO_USAGE,
    model: backbone.model,
  };
}

/** A turn that ends the investigation. */
export function finish(backbone: { model: string }, text: string): ModelResponse {
  return { text, toolCalls: [], stopReason: 'end_turn', usage: ZERO_USAGE, model: backbone.model };
}
