import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sequence, startMockLlmServer, type MockLlmServer } from './server.ts';

/**
 * The mock must refuse what the live APIs refuse, or backbone tests against it prove nothing. Each case
 * sends one broken request straight over HTTP and expects the provider's status and error shape.
 */

const KEY = 'sk-mock-key-0001';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]).toString('base64');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]).toString('base64');

let server: MockLlmServer;

beforeAll(async () => {
  server = await startMockLlmServer((request) => {
    if (request.body.model === 'rate-limited') return { error: { status: 429, retryAfter: 7 } };
    return {
      text: 'ok',
      toolCalls: request.body.model === 'tool-caller' ? [{ name: 'look', input: { at: 1 } }] : [],
    };
  });
});
afterAll(() => server.close());

async function post(
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

const anthropicHeaders = { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' };
const look = { name: 'look', description: 'Look.', input_schema: { type: 'object', properties: {} } };
const toolUse = (id: string, name = 'look') => ({ type: 'tool_use', id, name, input: {} });
const toolResult = (id: string) => ({ type: 'tool_result', tool_use_id: id, content: 'seen' });
const base = { model: 'claude-test', max_tokens: 100, tools: [look] };

describe('mock Anthropic /v1/messages', () => {
  const path = '/v1/messages';

  it('answers a valid request with a Messages API body and records it', async () => {
    const before = server.requests.length;
    const res = await post(
      path,
      { ...base, model: 'tool-caller', messages: [{ role: 'user', content: 'hi' }] },
      anthropicHeaders,
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'tool-caller',
      stop_reason: 'tool_use',
    });
    expect(res.json.id).toMatch(/^msg_01[A-Za-z0-9]{22}$/);
    const content = res.json.content as { type: string; id?: string; input?: unknown }[];
    expect(content.map((b) => b.type)).toEqual(['text', 'tool_use']);
    expect(content[1]?.id).toMatch(/^toolu_01/);
    expect(content[1]?.input).toEqual({ at: 1 });
    expect(res.json.usage).toMatchObject({ input_tokens: 100, output_tokens: 20 });
    const record = server.requests[before];
    expect(record).toMatchObject({ provider: 'anthropic', status: 200, headers: { 'x-api-key': KEY } });
    expect(record?.callIndex).toBeTypeOf('number');
  });

  it('wants an API key and a version header', async () => {
    const body = { ...base, messages: [{ role: 'user', content: 'hi' }] };
    const noKey = await post(path, body, { 'anthropic-version': '2023-06-01' });
    expect(noKey.status).toBe(401);
    expect(noKey.json).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    const noVersion = await post(path, body, { 'x-api-key': KEY });
    expect(noVersion.status).toBe(400);
    expect(noVersion.json).toMatchObject({ error: { message: 'anthropic-version: header is required' } });
  });

  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      'no max_tokens',
      { model: 'm', messages: [{ role: 'user', content: 'hi' }] },
      /max_tokens: Field required/,
    ],
    ['no model', { max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }, /model: Field required/],
    [
      'an unknown field',
      { ...base, temprature: 1, messages: [{ role: 'user', content: 'hi' }] },
      /temprature: Extra inputs/,
    ],
    [
      'an assistant first',
      { ...base, messages: [{ role: 'assistant', content: 'hi' }] },
      /first message must use the "user" role/,
    ],
    [
      'two user turns in a row',
      {
        ...base,
        messages: [
          { role: 'user', content: 'a' },
          { role: 'user', content: 'b' },
        ],
      },
      /roles must alternate/,
    ],
    [
      'a tool_use not answered in the next message',
      {
        ...base,
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: [toolUse('toolu_1')] },
          { role: 'user', content: 'b' },
        ],
      },
      /messages\.2: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1/,
    ],
    [
      'a tool_result with no tool_use',
      {
        ...base,
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: [toolUse('toolu_1')] },
          { role: 'user', content: [toolResult('toolu_1'), toolResult('toolu_2')] },
        ],
      },
      /unexpected `tool_use_id` found in `tool_result` blocks: toolu_2/,
    ],
    [
      'text before the tool_result',
      {
        ...base,
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: [toolUse('toolu_1')] },
          { role: 'user', content: [{ type: 'text', text: 'now' }, toolResult('toolu_1')] },
        ],
      },
      /Messages following `tool_use` blocks must begin with a matching number of `tool_result` blocks/,
    ],
    [
      'tool_use with no tools declared',
      {
        model: 'm',
        max_tokens: 5,
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: [toolUse('toolu_1')] },
          { role: 'user', content: [toolResult('toolu_1')] },
        ],
      },
      /must define tools/,
    ],
    [
      'an empty text block',
      { ...base, messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }] },
      /text content blocks must be non-empty/,
    ],
    [
      'an empty assistant turn',
      {
        ...base,
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: [] },
          { role: 'user', content: 'b' },
        ],
      },
      /all messages must have non-empty content/,
    ],
    [
      'a JPEG labelled image/png',
      {
        ...base,
        messages: [
          {
            role: 'user',
            content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: JPEG } }],
          },
        ],
      },
      /image\/png media type/,
    ],
    [
      'an unknown image media type',
      {
        ...base,
        messages: [
          {
            role: 'user',
            content: [{ type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: PNG } }],
          },
        ],
      },
      /media_type/,
    ],
    [
      'an image in an assistant turn',
      {
        ...base,
        messages: [
          { role: 'user', content: 'a' },
          {
            role: 'assistant',
            content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }],
          },
        ],
      },
      /not allowed in assistant messages/,
    ],
    [
      'a forced tool that is not declared',
      { ...base, tool_choice: { type: 'tool', name: 'submit' }, messages: [{ role: 'user', content: 'a' }] },
      /tool 'submit' not found in tools/,
    ],
  ];

  it.each(cases)('rejects %s with 400 invalid_request_error', async (_name, body, message) => {
    const res = await post(path, body, anthropicHeaders);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect((res.json.error as { message: string }).message).toMatch(message);
  });

  it('accepts images inside tool_result blocks, and tool_results first then text', async () => {
    const body = {
      ...base,
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: [{ type: 'text', text: 'looking' }, toolUse('toolu_9')] },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_9',
              is_error: false,
              content: [
                { type: 'text', text: 'two scenes' },
                { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
              ],
            },
            { type: 'text', text: 'answer now' },
          ],
        },
      ],
    };
    expect((await post(path, body, anthropicHeaders)).status).toBe(200);
  });

  it('allows history tool_use of tools no longer offered, unless asked to be strict', async () => {
    const body = {
      model: 'm',
      max_tokens: 5,
      tools: [{ ...look, name: 'submit_answer' }],
      tool_choice: { type: 'tool', name: 'submit_answer' },
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: [toolUse('toolu_1', 'look')] },
        { role: 'user', content: [toolResult('toolu_1')] },
      ],
    };
    expect((await post(path, body, anthropicHeaders)).status).toBe(200);
    const strict = await startMockLlmServer(() => ({ text: 'x' }), { requireDeclaredToolUse: true });
    try {
      const res = await fetch(`${strict.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...anthropicHeaders },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/tool_use names tool 'look', which is not in tools/);
    } finally {
      await strict.close();
    }
  });

  it('sends scripted failures with the provider error type and retry-after', async () => {
    const res = await post(
      path,
      { ...base, model: 'rate-limited', messages: [{ role: 'user', content: 'a' }] },
      anthropicHeaders,
    );
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.json).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
  });
});

const openaiHeaders = { authorization: `Bearer ${KEY}` };
const fn = { type: 'function', function: { name: 'look', parameters: { type: 'object', properties: {} } } };
const call = (id: string, args: unknown = '{}') => ({
  id,
  type: 'function',
  function: { name: 'look', arguments: args },
});
const oa = { model: 'gpt-test', tools: [fn] };

describe('mock OpenAI /v1/chat/completions', () => {
  const path = '/v1/chat/completions';

  it('answers a valid request with a chat.completion body', async () => {
    const res = await post(
      path,
      { ...oa, model: 'tool-caller', messages: [{ role: 'user', content: 'hi' }] },
      openaiHeaders,
    );
    expect(res.status).toBe(200);
    expect(res.json.id).toMatch(/^chatcmpl-/);
    expect(res.json).toMatchObject({ object: 'chat.completion', model: 'tool-caller' });
    const choice = (
      res.json.choices as {
        message: { tool_calls: { id: string; function: { arguments: string } }[] };
        finish_reason: string;
      }[]
    )[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.tool_calls[0]?.id).toMatch(/^call_/);
    expect(choice?.message.tool_calls[0]?.function.arguments).toBe('{"at":1}');
  });

  it('wants a Bearer key, and never echoes a wrong key whole', async () => {
    const body = { ...oa, messages: [{ role: 'user', content: 'hi' }] };
    const none = await post(path, body, {});
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ error: { type: 'invalid_request_error', param: null } });
    const keyed = await startMockLlmServer(() => ({ text: 'x' }), { apiKey: KEY });
    try {
      const res = await fetch(`${keyed.openaiBaseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-wrong-key-98765' },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as { error: { code: string; message: string } };
      expect(res.status).toBe(401);
      expect(json.error.code).toBe('invalid_api_key');
      expect(json.error.message).toContain('sk-***********8765');
      expect(json.error.message).not.toContain('sk-wrong-key-98765');
    } finally {
      await keyed.close();
    }
  });

  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['no messages', { model: 'm' }, /Missing required parameter: 'messages'/],
    [
      'an unknown argument',
      { ...oa, max_tokenz: 3, messages: [{ role: 'user', content: 'a' }] },
      /Unrecognized request argument supplied: max_tokenz/,
    ],
    [
      'an empty tools array',
      { model: 'm', tools: [], messages: [{ role: 'user', content: 'a' }] },
      /Invalid 'tools': empty array/,
    ],
    [
      'a tool message with no pending call',
      {
        ...oa,
        messages: [
          { role: 'user', content: 'a' },
          { role: 'tool', tool_call_id: 'call_1', content: 'x' },
        ],
      },
      /messages with role 'tool' must be a response to a preceeding message with 'tool_calls'/,
    ],
    [
      'a user message before every call is answered',
      {
        ...oa,
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: null, tool_calls: [call('call_1'), call('call_2')] },
          { role: 'tool', tool_call_id: 'call_1', content: 'x' },
          { role: 'user', content: 'b' },
        ],
      },
      /The following tool_call_ids did not have response messages: call_2/,
    ],
    [
      'an image in a tool message',
      {
        ...oa,
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: null, tool_calls: [call('call_1')] },
          {
            role: 'tool',
            tool_call_id: 'call_1',
            content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }],
          },
        ],
      },
      /Image URLs are only allowed for messages with role 'user', but this message with role 'tool' contains an image URL/,
    ],
    [
      'arguments sent as an object',
      {
        ...oa,
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: null, tool_calls: [call('call_1', { at: 1 })] },
          { role: 'tool', tool_call_id: 'call_1', content: 'x' },
        ],
      },
      /function\.arguments': expected a string, but got an object instead/,
    ],
    [
      'a forced function that is not declared',
      {
        ...oa,
        tool_choice: { type: 'function', function: { name: 'submit' } },
        messages: [{ role: 'user', content: 'a' }],
      },
      /function 'submit' not found in 'tools'/,
    ],
    [
      'max_tokens for a reasoning model',
      { model: 'o3-mini', max_tokens: 10, messages: [{ role: 'user', content: 'a' }] },
      /Use 'max_completion_tokens' instead/,
    ],
    [
      'a data URL that is not base64 PNG',
      {
        ...oa,
        messages: [
          {
            role: 'user',
            content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${JPEG}` } }],
          },
        ],
      },
      /image\/png media type/,
    ],
    [
      'assistant content null without tool calls',
      {
        ...oa,
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: null },
        ],
      },
      /expected a string, got null/,
    ],
  ];

  it.each(cases)('rejects %s with 400 and OpenAI error fields', async (_name, body, message) => {
    const res = await post(path, body, openaiHeaders);
    expect(res.status).toBe(400);
    const error = res.json.error as Record<string, unknown>;
    expect(Object.keys(error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(error.type).toBe('invalid_request_error');
    expect(error.message).toMatch(message);
  });

  it('accepts tool messages for every call, then images in a user message', async () => {
    const body = {
      ...oa,
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'looking', tool_calls: [call('call_1', '{"broken'), call('call_2')] },
        { role: 'tool', tool_call_id: 'call_2', content: 'x' },
        { role: 'tool', tool_call_id: 'call_1', content: 'y' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Image from tool call call_2' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
          ],
        },
      ],
    };
    expect((await post(path, body, openaiHeaders)).status).toBe(200);
  });
});

describe('scripting', () => {
  it('counts calls from 0 and fails loudly (400, not retried) when the script runs out', async () => {
    const mock = await startMockLlmServer(sequence({ text: 'first' }));
    try {
      const send = () =>
        fetch(`${mock.url}/v1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...anthropicHeaders },
          body: JSON.stringify({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'a' }] }),
        });
      expect((await send()).status).toBe(200);
      const second = await send();
      expect(second.status).toBe(400);
      expect(await second.text()).toMatch(/mock script failed: no scripted reply for call 1/);
      expect(mock.calls().map((r) => r.callIndex)).toEqual([0, 1]);
    } finally {
      await mock.close();
    }
  });
});
