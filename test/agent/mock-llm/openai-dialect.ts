import { providerId } from './ids.ts';
import { openaiRequestProblem } from './openai-validate.ts';
import type { Dialect, MockFailure, MockSuccess, Rejection, ScriptRequest } from './types.ts';

/** POST /v1/chat/completions as OpenAI speaks it: Bearer auth, `{error:{message,type,param,code}}`. */

const FINISH: Record<NonNullable<MockSuccess['stop']>, string> = {
  end_turn: 'stop',
  tool_use: 'tool_calls',
  max_tokens: 'length',
};

function failureFields(status: number): { type: string; code: string | null } {
  if (status === 401) return { type: 'invalid_request_error', code: 'invalid_api_key' };
  if (status === 429) return { type: 'requests', code: 'rate_limit_exceeded' };
  if (status >= 500) return { type: 'server_error', code: null };
  return { type: 'invalid_request_error', code: null };
}

/** As OpenAI shows a wrong key: its first and last characters only. */
function maskKey(key: string): string {
  return key.length <= 8
    ? '*'.repeat(key.length)
    : `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}`;
}

export const openaiDialect: Dialect = {
  provider: 'openai',
  path: '/v1/chat/completions',

  authenticate(headers, expectedKey): Rejection | undefined {
    const match = /^Bearer (.+)$/.exec(headers.authorization ?? '');
    if (!match?.[1])
      return {
        status: 401,
        type: 'invalid_request_error',
        param: null,
        code: null,
        message:
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      };
    if (expectedKey !== undefined && match[1] !== expectedKey)
      return {
        status: 401,
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
        message: `Incorrect API key provided: ${maskKey(match[1])}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      };
    return undefined;
  },

  validate(body): Rejection | undefined {
    return openaiRequestProblem(body);
  },

  success(request: ScriptRequest, reply: MockSuccess): unknown {
    const calls = reply.toolCalls ?? [];
    const usage = reply.usage ?? { inputTokens: 100, outputTokens: 20 };
    const message: Record<string, unknown> = {
      role: 'assistant',
      content: reply.text !== undefined && reply.text !== '' ? reply.text : null,
      refusal: null,
      annotations: [],
    };
    // The live API leaves tool_calls out entirely when there are none.
    if (calls.length > 0)
      message.tool_calls = calls.map((call) => ({
        id: call.id ?? providerId('call_', 24),
        type: 'function',
        function: { name: call.name, arguments: call.rawArguments ?? JSON.stringify(call.input ?? {}) },
      }));
    const stop = reply.stop ?? (calls.length > 0 ? 'tool_use' : 'end_turn');
    return {
      id: providerId('chatcmpl-', 29),
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: reply.model ?? request.body.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: reply.rawStopReason ?? FINISH[stop] }],
      usage: {
        prompt_tokens: usage.inputTokens,
        completion_tokens: usage.outputTokens,
        total_tokens: usage.inputTokens + usage.outputTokens,
        prompt_tokens_details: { cached_tokens: usage.cacheReadTokens ?? 0, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: 0,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_mock',
    };
  },

  failure(failure: MockFailure['error']): { status: number; body: unknown } {
    const fields = failureFields(failure.status);
    const type = failure.type ?? fields.type;
    return {
      status: failure.status,
      body: { error: { message: failure.message ?? `mock ${type}`, type, param: null, code: fields.code } },
    };
  },

  rejectionBody(rejection: Rejection): unknown {
    return {
      error: {
        message: rejection.message,
        type: rejection.type ?? 'invalid_request_error',
        param: rejection.param ?? null,
        code: rejection.code ?? null,
      },
    };
  },
};
