/**
 * What a test scripts the mock model to say, and what the mock records of each request. One script
 * serves both dialects: replies are written once and rendered as Anthropic or OpenAI bodies.
 */

export type MockProvider = 'anthropic' | 'openai';

/** Token counts as the provider itself reports them (Anthropic: input_tokens excludes cached input). */
export interface MockUsage {
  inputTokens: number;
  outputTokens: number;
  /** Anthropic cache_read_input_tokens; OpenAI prompt_tokens_details.cached_tokens. */
  cacheReadTokens?: number;
  /** Anthropic cache_creation_input_tokens (OpenAI has no such count). */
  cacheWriteTokens?: number;
}

export interface MockToolCall {
  name: string;
  /** The arguments as an object (both providers). */
  input?: Record<string, unknown>;
  /** OpenAI only: the arguments string exactly as sent, e.g. malformed JSON. Wins over `input`. */
  rawArguments?: string;
  /** Default: a fresh provider-style id (toolu_… / call_…). */
  id?: string;
}

export interface MockSuccess {
  text?: string;
  toolCalls?: MockToolCall[];
  /** Default: tool_use when there are tool calls, else end_turn (OpenAI: tool_calls / stop / length). */
  stop?: 'end_turn' | 'tool_use' | 'max_tokens';
  /** A provider-specific stop/finish reason sent verbatim (e.g. 'refusal', 'content_filter'). */
  rawStopReason?: string;
  /** Default { inputTokens: 100, outputTokens: 20 }. */
  usage?: MockUsage;
  /** Default: the model the request asked for. */
  model?: string;
  /** Wait this long before answering (to exercise timeouts and aborts). */
  delayMs?: number;
}

export interface MockFailure {
  error: {
    status: number;
    message?: string;
    /** Default: the provider's type for the status (rate_limit_error, overloaded_error, …). */
    type?: string;
    /** Seconds, sent as the retry-after header. */
    retryAfter?: number;
    headers?: Record<string, string>;
  };
  delayMs?: number;
}

export type MockReply = MockSuccess | MockFailure;

export interface RecordedRequest {
  /** Which dialect the path belongs to ('unknown' for paths the mock does not serve). */
  provider: MockProvider | 'unknown';
  method: string;
  path: string;
  /** Lower-cased header names, as node:http gives them. */
  headers: Record<string, string>;
  /** The parsed JSON body (or the raw text when it was not JSON). */
  body: unknown;
  /** Set when the script was consulted: its 0-based call index. */
  callIndex?: number;
  /** The status the mock answered with. */
  status?: number;
  /** Why the mock rejected the request (auth, shape or ordering), when it did. */
  rejection?: string;
}

/** A request that passed every check; `body` is then a JSON object. */
export interface ScriptRequest extends RecordedRequest {
  provider: MockProvider;
  body: Record<string, unknown>;
}

export type MockScript = (request: ScriptRequest, callIndex: number) => MockReply | Promise<MockReply>;

/** A request the mock refuses, as the provider would: HTTP status and the provider's error body. */
export interface Rejection {
  status: number;
  message: string;
  /** OpenAI error fields. */
  type?: string;
  param?: string | null;
  code?: string | null;
}

export function isFailure(reply: MockReply): reply is MockFailure {
  return 'error' in reply && typeof reply.error === 'object' && reply.error !== null;
}

export interface MockLlmOptions {
  /** The only key accepted; default: any non-empty key. */
  apiKey?: string;
  /** Anthropic: every tool_use in the history must name a declared tool (stricter than the live API). */
  requireDeclaredToolUse?: boolean;
}

/** One provider's HTTP dialect: how it authenticates, what it accepts, and how it answers. */
export interface Dialect {
  provider: MockProvider;
  /** The POST path it serves. */
  path: string;
  /** A 401 (or 400) when the headers do not authenticate; `expectedKey` undefined accepts any key. */
  authenticate(headers: Record<string, string>, expectedKey: string | undefined): Rejection | undefined;
  validate(body: unknown, options: MockLlmOptions): Rejection | undefined;
  /** The response body for a scripted success. */
  success(request: ScriptRequest, reply: MockSuccess): unknown;
  /** The error body and status for a rejection or a scripted failure. */
  failure(failure: MockFailure['error']): { status: number; body: unknown };
  rejectionBody(rejection: Rejection): unknown;
}
