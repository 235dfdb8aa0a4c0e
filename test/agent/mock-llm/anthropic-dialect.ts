import { anthropicRequestProblem } from './anthropic-validate.ts';
import { providerId } from './ids.ts';
import type { Dialect, MockFailure, MockSuccess, Rejection, ScriptRequest } from './types.ts';

/** POST /v1/messages as the Anthropic API speaks it: keyed, versioned, typed error bodies. */

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

function errorType(status: number): string {
  return ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

function errorBody(type: string, message: string): unknown {
  return { type: 'error', error: { type, message }, request_id: providerId('req_01', 22) };
}

function toolInput(call: { name: string; input?: Record<string, unknown>; rawArguments?: string }): unknown {
  if (call.input !== undefined) return call.input;
  if (call.rawArguments === undefined) return {};
  try {
    return JSON.parse(call.rawArguments) as unknown;
  } catch {
    // The live API only ever returns parsed objects, so a script asking for broken JSON is a test bug.
    throw new Error(
      `mock script: Anthropic tool_use input must be an object (tool ${call.name}); rawArguments is for OpenAI`,
    );
  }
}

export const anthropicDialect: Dialect = {
  provider: 'anthropic',
  path: '/v1/messages',

  authenticate(headers, expectedKey): Rejection | undefined {
    // The pinned SDK (1.12) sends the key as `Authorization: Bearer`; older ones and curl use x-api-key.
    const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
    const key = headers['x-api-key'] || bearer;
    if (key === undefined || key === '')
      return { status: 401, type: 'authentication_error', message: 'x-api-key header is required' };
    if (expectedKey !== undefined && key !== expectedKey)
      return { status: 401, type: 'authentication_error', message: 'invalid x-api-key' };
    if (!headers['anthropic-version'])
      return { status: 400, type: 'invalid_request_error', message: 'anthropic-version: header is required' };
    return undefined;
  },

  validate(body, options): Rejection | undefined {
    const message = anthropicRequestProblem(body, options);
    return message === undefined ? undefined : { status: 400, type: 'invalid_request_error', message };
  },

  success(request: ScriptRequest, reply: MockSuccess): unknown {
    const calls = reply.toolCalls ?? [];
    const content: unknown[] = [];
    if (reply.text !== undefined && reply.text !== '')
      content.push({ type: 'text', text: reply.text, citations: null });
    for (const call of calls)
      content.push({
        type: 'tool_use',
        id: call.id ?? providerId('toolu_01', 22),
        name: call.name,
        input: toolInput(call),
      });
    const usage = reply.usage ?? { inputTokens: 100, outputTokens: 20 };
    return {
      id: providerId('msg_01', 22),
      type: 'message',
      role: 'assistant',
      model: reply.model ?? request.body.model,
      content,
      stop_reason: reply.rawStopReason ?? reply.stop ?? (calls.length > 0 ? 'tool_use' : 'end_turn'),
      stop_sequence: null,
      usage: {
        input_tokens: usage.inputTokens,
        output_tokens: usage.outputTokens,
        cache_creation_input_tokens: usage.cacheWriteTokens ?? 0,
        cache_read_input_tokens: usage.cacheReadTokens ?? 0,
        service_tier: 'standard',
      },
    };
  },

  failure(failure: MockFailure['error']): { status: number; body: unknown } {
    const type = failure.type ?? errorType(failure.status);
    return { status: failure.status, body: errorBody(type, failure.message ?? `mock ${type}`) };
  },

  rejectionBody(rejection: Rejection): unknown {
    return errorBody(rejection.type ?? errorType(rejection.status), rejection.message);
  },
};
