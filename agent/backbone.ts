import type { ToolSpec } from '../tools/registry.ts';

/**
 * The provider-neutral conversation the loop keeps and every backbone translates. Each backbone turns
 * it into its API's shape (Anthropic: images inside tool_result blocks; OpenAI Chat Completions: text
 * in the tool message, images in a following user message) and back.
 */

/** An image as the conversation holds it: the bytes plus their content address in the run's blobs. */
export interface ImagePart {
  type: 'image';
  /** sha256 of `png`, hex: the blob name in the run directory. */
  sha256: string;
  png: Buffer;
  caption: string;
}

export interface TextPart {
  type: 'text';
  text: string;
}

export type ContentPart = TextPart | ImagePart;

/** One tool call as the model made it. `arguments` is the raw JSON text (it may be malformed). */
export interface ToolCall {
  /** The provider's id (toolu_…, call_…) or the backbone's own (dissect: d1, d2, …). */
  id: string;
  name: string;
  arguments: string;
}

/** What a tool call gave back, as the conversation holds it. */
export interface ToolResultPart {
  callId: string;
  name: string;
  /** What the model reads (prefixed with the evidence id the model can cite). */
  text: string;
  images: ImagePart[];
  isError: boolean;
  /**
   * The tool's structured result for programmatic backbones (dissect). Never sent to a provider and
   * never part of a request hash: what a model sees is `text` and `images` only.
   */
  data?: unknown;
}

export type Message =
  | { role: 'user'; content: ContentPart[] }
  | { role: 'assistant'; text: string; toolCalls: ToolCall[] }
  | { role: 'tool'; results: ToolResultPart[] };

/**
 * Token counts normalised across providers. `inputTokens` is the whole prompt, cached parts included
 * (as OpenAI reports it; the Anthropic backbone adds its cache reads and writes back in), so prices
 * apply the same way to every provider.
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from or written to a provider-side prompt cache, where reported. */
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

export const ZERO_USAGE: Usage = { inputTokens: 0, outputTokens: 0 };

export function addUsage(a: Usage, b: Usage): Usage {
  const sum: Usage = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
  };
  const read = (a.cacheReadTokens ?? 0) + (b.cacheReadTokens ?? 0);
  const write = (a.cacheWriteTokens ?? 0) + (b.cacheWriteTokens ?? 0);
  if (read > 0) sum.cacheReadTokens = read;
  if (write > 0) sum.cacheWriteTokens = write;
  return sum;
}

export interface ModelRequest {
  system: string;
  messages: Message[];
  tools: ToolSpec[];
  maxOutputTokens: number;
  /** `auto`: the model may answer in text; `{ name }`: it must call that tool (the final-answer turn). */
  toolChoice: 'auto' | { name: string };
}

export type StopReason = 'tool_calls' | 'end_turn' | 'max_tokens' | 'other';

export interface ModelResponse {
  text: string;
  toolCalls: ToolCall[];
  stopReason: StopReason;
  usage: Usage;
  /** The model that answered, as the provider reports it. */
  model: string;
}

export interface NextOptions {
  signal?: AbortSignal;
}

/** What chooses the next tool calls: a hosted LLM, a local server, LangChain, dissect, or replay. */
export interface Backbone {
  /** anthropic | openai | langchain | dissect | replay | … */
  readonly name: string;
  /** The model asked for (for prices and the transcript). */
  readonly model: string;
  next(request: ModelRequest, options?: NextOptions): Promise<ModelResponse>;
}

/** The text of a user message. */
export function userText(text: string): Message {
  return { role: 'user', content: [{ type: 'text', text }] };
}
