import { afterEach, describe, expect, it } from 'vitest';
import { userText, type Message, type ModelRequest } from '../../../agent/backbone.ts';
import { AnthropicBackbone, toAnthropicMessages } from '../../../agent/backbones/anthropic.ts';
import { sequence, startMockLlmServer, type MockLlmServer, type MockScript } from '../mock-llm/server.ts';
import { ANSWER_TOOL, image, result, SECRET_KEY, TOOLS } from './fixtures.ts';

/** The real Anthropic SDK, through AnthropicBackbone, talking to the mock Messages API. */

let server: MockLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function backboneFor(
  script: MockScript,
): Promise<{ backbone: AnthropicBackbone; mock: MockLlmServer }> {
  server = await startMockLlmServer(script, { apiKey: SECRET_KEY });
  const backbone = new AnthropicBackbone({
    apiKey: SECRET_KEY,
    model: 'claude-test-1',
    baseURL: server.url,
    retry: { maxRetries: 0 },
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

type Block = { type: string; [key: string]: unknown };
type Turn = { role: string; content: Block[] };

describe('AnthropicBackbone against the mock Messages API', () => {
  it('holds a multi-turn investigation: images inside tool_result, nudge merged after results, forced answer', async () => {
    const { backbone, mock } = await backboneFor(
      sequence(
        {
          text: 'Let me render.',
          toolCalls: [
            { name: 'render_scenes', input: { phrases: ['a dog', 'a cat'] } },
            { name: 'call_units', input: { unit: 'u:1' } },
          ],
          usage: { inputTokens: 50, outputTokens: 12, cacheReadTokens: 30, cacheWriteTokens: 5 },
        },
        { toolCalls: [{ name: 'call_units', input: { unit: 'u:2' } }] },
        { toolCalls: [{ name: 'submit_answer', input: { description: 'dogs' } }] },
      ),
    );
    const messages: Message[] = [userText('What does unit u:1 detect?')];

    const first = await backbone.next(request(messages));
    expect(first.text).toBe('Let me render.');
    expect(first.stopReason).toBe('tool_calls');
    expect(first.model).toBe('claude-test-1');
    expect(first.usage).toEqual({
      inputTokens: 85,
      outputTokens: 12,
      cacheReadTokens: 30,
      cacheWriteTokens: 5,
    });
    expect(first.toolCalls.map((c) => c.name)).toEqual(['render_scenes', 'call_units']);
    expect(first.toolCalls[0]?.id).toMatch(/^toolu_/);
    expect(JSON.parse(first.toolCalls[0]?.arguments ?? '')).toEqual({ phrases: ['a dog', 'a cat'] });
    const [render, units] = first.toolCalls as [(typeof first.toolCalls)[0], (typeof first.toolCalls)[0]];

    messages.push({ role: 'assistant', text: first.text, toolCalls: first.toolCalls });
    messages.push({
      role: 'tool',
      results: [
        result(render.id, 'render_scenes', '[c1] rendered 2 scenes', [image('a'), image('b')]),
        result(units.id, 'call_units', '[c2] error: unknown unit', [], true),
      ],
    });
    const second = await backbone.next(request(messages));
    expect(second.usage).toEqual({ inputTokens: 100, outputTokens: 20 });
    const again = second.toolCalls[0];
    if (!again) throw new Error('expected a tool call');

    messages.push({ role: 'assistant', text: second.text, toolCalls: second.toolCalls });
    messages.push({ role: 'tool', results: [result(again.id, 'call_units', '[c3] max 3.2', [image('c')])] });
    messages.push(userText('Budget exhausted: answer now.'));
    const final = await backbone.next(
      request(messages, { tools: ANSWER_TOOL, toolChoice: { name: 'submit_answer' } }),
    );
    expect(final.toolCalls.map((c) => c.name)).toEqual(['submit_answer']);
    expect(JSON.parse(final.toolCalls[0]?.arguments ?? '')).toEqual({ description: 'dogs' });

    const calls = mock.calls();
    expect(calls).toHaveLength(3);
    expect(mock.requests.every((r) => r.status === 200)).toBe(true);
    for (const call of calls) {
      // SDK 1.12 sends the key as a Bearer token (older SDKs used x-api-key); the mock takes either.
      expect(call.headers['x-api-key'] ?? call.headers.authorization).toMatch(
        new RegExp(`^(Bearer )?${SECRET_KEY}$`),
      );
      expect(call.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(call.body).toMatchObject({ model: 'claude-test-1', max_tokens: 1024, system: 'You are aia.' });
      expect(JSON.stringify(call.body)).not.toContain('secretOfTheTool');
    }
    expect(calls[0]?.body.tool_choice).toBeUndefined();
    expect((calls[0]?.body.tools as { name: string; input_schema: unknown }[]).map((t) => t.name)).toEqual([
      'render_scenes',
      'call_units',
      'submit_answer',
    ]);
    expect((calls[0]?.body.tools as { input_schema: unknown }[])[0]?.input_schema).toEqual(
      TOOLS[0]?.inputSchema,
    );

    // Second request: the tool results are one user turn, images inside their tool_result.
    const turns = calls[1]?.body.messages as Turn[];
    expect(turns.map((t) => t.role)).toEqual(['user', 'assistant', 'user']);
    expect(turns[1]?.content).toEqual([
      { type: 'text', text: 'Let me render.' },
      { type: 'tool_use', id: render.id, name: 'render_scenes', input: { phrases: ['a dog', 'a cat'] } },
      { type: 'tool_use', id: units.id, name: 'call_units', input: { unit: 'u:1' } },
    ]);
    const [rendered, failed] = turns[2]?.content ?? [];
    expect(rendered).toMatchObject({ type: 'tool_result', tool_use_id: render.id, is_error: false });
    const inner = rendered?.content as Block[];
    expect(inner.map((b) => b.type)).toEqual(['text', 'text', 'image', 'text', 'image']);
    expect(inner[0]).toEqual({ type: 'text', text: '[c1] rendered 2 scenes' });
    expect(inner[1]).toEqual({ type: 'text', text: 'scene a' });
    expect(inner[2]).toEqual({
      type: 'image',
      source: { type: 'base64', media_type: 'image/png', data: image('a').png.toString('base64') },
    });
    expect((inner[4]?.source as { data: string }).data).toBe(image('b').png.toString('base64'));
    expect(failed).toEqual({
      type: 'tool_result',
      tool_use_id: units.id,
      is_error: true,
      content: [{ type: 'text', text: '[c2] error: unknown unit' }],
    });

    // Final request: tool result and nudge share one user turn, tool_result first; the answer is forced.
    const last = calls[2]?.body;
    expect(last?.tool_choice).toEqual({ type: 'tool', name: 'submit_answer' });
    expect((last?.tools as { name: string }[]).map((t) => t.name)).toEqual(['submit_answer']);
    const finalTurns = last?.messages as Turn[];
    expect(finalTurns.map((t) => t.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
    expect(finalTurns[3]?.content.map((b) => b.type)).toEqual(['tool_use']);
    const closing = finalTurns[4]?.content ?? [];
    expect(closing.map((b) => b.type)).toEqual(['tool_result', 'text']);
    expect(closing[1]).toEqual({ type: 'text', text: 'Budget exhausted: answer now.' });
    expect((closing[0]?.content as Block[]).map((b) => b.type)).toEqual(['text', 'text', 'image']);
  });

  it('maps stop reasons and drops an unknown one to other', async () => {
    const { backbone } = await backboneFor(
      sequence(
        { text: 'done' },
        { text: 'cut', stop: 'max_tokens' },
        { text: 'no', rawStopReason: 'refusal' },
        { text: 's', rawStopReason: 'stop_sequence' },
      ),
    );
    const ask = () => backbone.next(request([userText('q')]));
    expect((await ask()).stopReason).toBe('end_turn');
    expect((await ask()).stopReason).toBe('max_tokens');
    expect((await ask()).stopReason).toBe('other');
    expect((await ask()).stopReason).toBe('end_turn');
  });

  it('omits an empty system prompt and sends user images as caption then base64 PNG', async () => {
    const { backbone, mock } = await backboneFor(sequence({ text: 'a dog' }));
    await backbone.next(
      request([{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, image('u')] }], {
        system: '',
      }),
    );
    const body = mock.calls()[0]?.body;
    expect(body).not.toHaveProperty('system');
    expect((body?.messages as Turn[])[0]?.content.map((b) => b.type)).toEqual(['text', 'text', 'image']);
  });
});

describe('toAnthropicMessages', () => {
  it('drops an assistant turn that said nothing and joins the user turns around it', () => {
    const turns = toAnthropicMessages([
      userText('a'),
      { role: 'assistant', text: '', toolCalls: [] },
      userText('b'),
    ]);
    expect(turns).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
    ]);
  });

  it('sends {} as the input of a call whose arguments are not a JSON object', () => {
    const turns = toAnthropicMessages([
      userText('a'),
      { role: 'assistant', text: '', toolCalls: [{ id: 'x1', name: 'look', arguments: '{"broken' }] },
      { role: 'tool', results: [result('x1', 'look', '', [])] },
    ]);
    expect(turns[1]?.content).toEqual([{ type: 'tool_use', id: 'x1', name: 'look', input: {} }]);
    // An empty result text is left out rather than sent as an (invalid) empty text block.
    expect(turns[2]?.content).toEqual([{ type: 'tool_result', tool_use_id: 'x1', is_error: false }]);
  });
});
