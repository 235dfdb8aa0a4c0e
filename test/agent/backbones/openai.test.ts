import { afterEach, describe, expect, it } from 'vitest';
import { userText, type Message, type ModelRequest } from '../../../agent/backbone.ts';
import { OpenAIBackbone, type OpenAIBackboneOptions } from '../../../agent/backbones/openai.ts';
import { ProviderError } from '../../../agent/backbones/retry.ts';
import {
  sequence,
  startMockLlmServer,
  type MockLlmOptions,
  type MockLlmServer,
  type MockScript,
} from '../mock-llm/server.ts';
import { ANSWER_TOOL, image, result, SECRET_KEY, TOOLS } from './fixtures.ts';

/** The real OpenAI SDK, through OpenAIBackbone, talking to the mock Chat Completions API. */

let server: MockLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function backboneFor(
  script: MockScript,
  options: Partial<OpenAIBackboneOptions> = {},
  mockOptions: MockLlmOptions = { apiKey: SECRET_KEY },
): Promise<{ backbone: OpenAIBackbone; mock: MockLlmServer }> {
  server = await startMockLlmServer(script, mockOptions);
  const backbone = new OpenAIBackbone({
    apiKey: SECRET_KEY,
    model: 'gpt-test',
    baseURL: server.openaiBaseURL,
    retry: { maxRetries: 0 },
    ...options,
  });
  return { backbone, mock: server };
}

const request = (messages: Message[], overrides: Partial<ModelRequest> = {}): ModelRequest => ({
  system: 'You are aia.',
  messages,
  tools: TOOLS,
  maxOutputTokens: 1024,
  toolChoice: 'auto',
  ...overrides,
});

type Part = { type: string; text?: string; image_url?: { url: string } };
type Sent = {
  role: string;
  content: string | Part[] | null;
  tool_call_id?: string;
  tool_calls?: { id: string; function: { arguments: string } }[];
};

const dataUrl = (label: string): string => `data:image/png;base64,${image(label).png.toString('base64')}`;

describe('OpenAIBackbone against the mock Chat Completions API', () => {
  it('holds a multi-turn investigation: text in tool messages, images in the user message after them', async () => {
    const { backbone, mock } = await backboneFor(
      sequence(
        {
          text: 'Let me render.',
          toolCalls: [
            { name: 'render_scenes', input: { phrases: ['a dog'] } },
            { name: 'call_units', rawArguments: '{"unit": "u:1"' },
          ],
          usage: { inputTokens: 120, outputTokens: 9, cacheReadTokens: 100 },
        },
        { toolCalls: [{ name: 'call_units', input: { unit: 'u:2' } }] },
        { toolCalls: [{ name: 'submit_answer', input: { description: 'dogs' } }] },
      ),
    );
    const messages: Message[] = [userText('What does unit u:1 detect?')];

    const first = await backbone.next(request(messages));
    expect(first.text).toBe('Let me render.');
    expect(first.stopReason).toBe('tool_calls');
    expect(first.model).toBe('gpt-test');
    expect(first.usage).toEqual({ inputTokens: 120, outputTokens: 9, cacheReadTokens: 100 });
    // Malformed JSON arrives untouched: the loop reports it back to the model as a tool error.
    expect(first.toolCalls.map((c) => c.arguments)).toEqual(['{"phrases":["a dog"]}', '{"unit": "u:1"']);
    expect(first.toolCalls[0]?.id).toMatch(/^call_/);
    const [render, units] = first.toolCalls as [(typeof first.toolCalls)[0], (typeof first.toolCalls)[0]];

    messages.push({ role: 'assistant', text: first.text, toolCalls: first.toolCalls });
    messages.push({
      role: 'tool',
      results: [
        result(render.id, 'render_scenes', '[c1] rendered 2 scenes', [image('a'), image('b')]),
        result(units.id, 'call_units', '[c2] error: arguments are not valid JSON', [], true),
      ],
    });
    const second = await backbone.next(request(messages));
    const again = second.toolCalls[0];
    if (!again) throw new Error('expected a tool call');

    messages.push({ role: 'assistant', text: second.text, toolCalls: second.toolCalls });
    messages.push({ role: 'tool', results: [result(again.id, 'call_units', '[c3] max 3.2', [image('c')])] });
    messages.push(userText('Budget exhausted: answer now.'));
    const final = await backbone.next(
      request(messages, { tools: ANSWER_TOOL, toolChoice: { name: 'submit_answer' } }),
    );
    expect(final.toolCalls.map((c) => c.name)).toEqual(['submit_answer']);
    expect(final.stopReason).toBe('tool_calls');

    const calls = mock.calls();
    expect(calls).toHaveLength(3);
    for (const call of calls) {
      expect(call.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
      // A baseURL other than api.openai.com gets max_tokens, which local servers understand.
      expect(call.body).toMatchObject({ model: 'gpt-test', max_tokens: 1024 });
      expect(call.body).not.toHaveProperty('max_completion_tokens');
      expect(JSON.stringify(call.body)).not.toContain('secretOfTheTool');
    }
    expect(calls[0]?.body.tool_choice).toBeUndefined();
    expect(calls[0]?.body.tools).toEqual(
      TOOLS.map((t) => ({
        type: 'function',
        function: { name: t.name, description: t.description, parameters: t.inputSchema },
      })),
    );

    const sent = calls[1]?.body.messages as Sent[];
    expect(sent.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool', 'user']);
    expect(sent[0]).toEqual({ role: 'system', content: 'You are aia.' });
    expect(sent[1]).toEqual({ role: 'user', content: 'What does unit u:1 detect?' });
    expect(sent[2]?.tool_calls?.map((c) => c.function.arguments)).toEqual([
      '{"phrases":["a dog"]}',
      '{"unit": "u:1"',
    ]);
    expect(sent[3]).toEqual({ role: 'tool', tool_call_id: render.id, content: '[c1] rendered 2 scenes' });
    expect(sent[4]).toEqual({
      role: 'tool',
      tool_call_id: units.id,
      content: '[c2] error: arguments are not valid JSON',
    });
    expect(sent[5]?.content).toEqual([
      { type: 'text', text: `Image from tool call ${render.id}: scene a` },
      { type: 'image_url', image_url: { url: dataUrl('a') } },
      { type: 'text', text: `Image from tool call ${render.id}: scene b` },
      { type: 'image_url', image_url: { url: dataUrl('b') } },
    ]);

    const last = calls[2]?.body;
    expect(last?.tool_choice).toEqual({ type: 'function', function: { name: 'submit_answer' } });
    expect((last?.tools as { function: { name: string } }[]).map((t) => t.function.name)).toEqual([
      'submit_answer',
    ]);
    const finalSent = last?.messages as Sent[];
    expect(finalSent.map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'tool',
      'user',
      'assistant',
      'tool',
      'user',
    ]);
    expect(finalSent[6]?.content).toBeNull();
    // The image of the last result and the nudge share one user message: never two users in a row.
    expect(finalSent[8]?.content).toEqual([
      { type: 'text', text: `Image from tool call ${again.id}: scene c` },
      { type: 'image_url', image_url: { url: dataUrl('c') } },
      { type: 'text', text: 'Budget exhausted: answer now.' },
    ]);
    for (const message of finalSent.filter((m) => m.role !== 'user'))
      expect(JSON.stringify(message)).not.toContain('image_url');
  });

  it('maps finish reasons, including stop with tool calls from lenient local servers', async () => {
    const { backbone } = await backboneFor(
      sequence(
        { text: 'done' },
        { text: 'cut', stop: 'max_tokens' },
        { text: '', rawStopReason: 'content_filter' },
        { toolCalls: [{ name: 'call_units', input: { unit: 'u:1' } }], rawStopReason: 'stop' },
      ),
    );
    const ask = () => backbone.next(request([userText('q')]));
    expect(await ask()).toMatchObject({ stopReason: 'end_turn', text: 'done', toolCalls: [] });
    expect((await ask()).stopReason).toBe('max_tokens');
    expect(await ask()).toMatchObject({ stopReason: 'other', text: '' });
    expect((await ask()).stopReason).toBe('tool_calls');
  });

  it('sends max_completion_tokens when told, which reasoning models require', async () => {
    const script = sequence({ text: 'ok' });
    const wrong = await backboneFor(script, { model: 'o3-mini' });
    const error = await wrong.backbone.next(request([userText('q')])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toMatch(
      /openai API error 400 .*Use 'max_completion_tokens' instead/,
    );
    await server?.close();

    const right = await backboneFor(script, { model: 'o3-mini', maxTokensField: 'max_completion_tokens' });
    expect((await right.backbone.next(request([userText('q')]))).text).toBe('ok');
    expect(right.mock.calls()[0]?.body).toMatchObject({ max_completion_tokens: 1024 });
  });

  it('works keyless against a local server and sends no tools when there are none', async () => {
    const { backbone, mock } = await backboneFor(sequence({ text: 'hi' }), { apiKey: '' }, {});
    expect((await backbone.next(request([userText('q')], { tools: [], system: '' }))).text).toBe('hi');
    const body = mock.calls()[0]?.body;
    expect(body).not.toHaveProperty('tools');
    expect(body?.messages).toEqual([{ role: 'user', content: 'q' }]);
    expect(mock.calls()[0]?.headers.authorization).toMatch(/^Bearer .+/);
  });
});
