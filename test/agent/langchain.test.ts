import type { BaseChatModelCallOptions, BindToolsInput } from '@langchain/core/language_models/chat_models';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { BaseMessage } from '@langchain/core/messages';
import { AIMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { RateLimitError } from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImagePart, Message, ModelRequest } from '../../agent/backbone.ts';
import { LangChainBackbone } from '../../agent/backbones/langchain.ts';
import { sha256 } from '../../agent/hash.ts';
import { log } from '../../util/log.ts';

/** What the fake model saw on each call, whichever bound copy served it. */
interface CallRecord {
  messages: BaseMessage[];
  tools: BindToolsInput[] | undefined;
  toolChoice: unknown;
  signal: AbortSignal | undefined;
}

type Step = AIMessage | Error;

/** A chat model that answers from a script and records what it was given. */
class ScriptedChatModel extends BaseChatModel {
  readonly model = 'scripted-1';
  readonly calls: CallRecord[];
  private readonly script: Step[];
  private readonly bound: { tools: BindToolsInput[]; toolChoice: unknown } | undefined;

  constructor(
    script: Step[],
    calls: CallRecord[] = [],
    bound?: { tools: BindToolsInput[]; toolChoice: unknown },
  ) {
    super({});
    this.script = script;
    this.calls = calls;
    this.bound = bound;
  }

  _llmType(): string {
    return 'scripted';
  }

  async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    const { tools, toolChoice } = this.bound ?? {};
    this.calls.push({ messages, tools, toolChoice, signal: options.signal });
    const step = this.script.shift();
    if (step === undefined) throw new Error('script exhausted');
    if (step instanceof Error) throw step;
    return { generations: [{ text: typeof step.content === 'string' ? step.content : '', message: step }] };
  }

  override bindTools(tools: BindToolsInput[], kwargs?: Partial<BaseChatModelCallOptions>): ScriptedChatModel {
    return new ScriptedChatModel(this.script, this.calls, { tools, toolChoice: kwargs?.tool_choice });
  }
}

/** A chat model with no tool calling at all. */
class PlainChatModel extends BaseChatModel {
  _llmType(): string {
    return 'plain';
  }
  async _generate(): Promise<ChatResult> {
    return { generations: [{ text: 'hi', message: new AIMessage('hi') }] };
  }
}

function image(bytes: string, caption: string): ImagePart {
  const png = Buffer.from(bytes);
  return { type: 'image', sha256: sha256(png), png, caption };
}

const probeTool = {
  name: 'probe',
  description: 'Probe a unit.',
  inputSchema: { type: 'object', properties: { unit: { type: 'integer' } }, required: ['unit'] },
};
const answerTool = { name: 'submit_answer', description: 'Answer.', inputSchema: { type: 'object' } };

function request(messages: Message[], overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    system: 'You study units.',
    messages,
    tools: [probeTool, answerTool],
    maxOutputTokens: 512,
    toolChoice: 'auto',
    ...overrides,
  };
}

const done = (): AIMessage =>
  new AIMessage({ content: 'done', response_metadata: { finish_reason: 'stop' } });

const conversation: Message[] = [
  {
    role: 'user',
    content: [{ type: 'text', text: 'What does unit 3 detect?' }, image('png-q', 'the question image')],
  },
  {
    role: 'assistant',
    text: 'Let me probe.',
    toolCalls: [
      { id: 'call_a', name: 'probe', arguments: '{"unit":3}' },
      { id: 'call_b', name: 'probe', arguments: '{"unit":' },
    ],
  },
  {
    role: 'tool',
    results: [
      {
        callId: 'call_a',
        name: 'probe',
        text: 'c1: max 4.2',
        images: [image('png-a', 'exemplar 1')],
        isError: false,
        data: { x: 1 },
      },
      { callId: 'call_b', name: 'probe', text: 'arguments are not valid JSON', images: [], isError: true },
    ],
  },
  { role: 'user', content: [{ type: 'text', text: 'You have 3 steps left.' }] },
];

describe('LangChainBackbone', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('converts the conversation: roles, tool_call_id pairing, images in a following human message', async () => {
    const model = new ScriptedChatModel([done()]);
    const backbone = new LangChainBackbone({ model });
    const response = await backbone.next(request(conversation));
    expect(response.text).toBe('done');
    expect(response.stopReason).toBe('end_turn');

    const sent = model.calls[0]!.messages;
    expect(sent.map((m) => m.type)).toEqual(['system', 'human', 'ai', 'tool', 'tool', 'human']);
    expect(sent[0]!.content).toBe('You study units.');

    expect(sent[1]!.content).toEqual([
      { type: 'text', text: 'What does unit 3 detect?' },
      { type: 'text', text: 'the question image' },
      {
        type: 'image_url',
        image_url: { url: `data:image/png;base64,${Buffer.from('png-q').toString('base64')}` },
      },
    ]);

    const ai = sent[2] as AIMessage;
    expect(ai.content).toBe('Let me probe.');
    expect(ai.tool_calls?.map((c) => ({ id: c.id, name: c.name, args: c.args }))).toEqual([
      { id: 'call_a', name: 'probe', args: { unit: 3 } },
      { id: 'call_b', name: 'probe', args: {} },
    ]);

    const [okResult, errorResult] = [sent[3] as ToolMessage, sent[4] as ToolMessage];
    expect(okResult).toBeInstanceOf(ToolMessage);
    expect([okResult.tool_call_id, okResult.status, okResult.content]).toEqual([
      'call_a',
      'success',
      'c1: max 4.2',
    ]);
    expect([errorResult.tool_call_id, errorResult.status]).toEqual(['call_b', 'error']);
    // The structured data is for programmatic backbones only.
    expect(JSON.stringify(okResult.content)).not.toContain('"x"');

    const images = sent[5] as HumanMessage;
    expect(images).toBeInstanceOf(HumanMessage);
    expect(images.content).toEqual([
      { type: 'text', text: 'Images returned by probe (call call_a):' },
      { type: 'text', text: 'exemplar 1' },
      {
        type: 'image_url',
        image_url: { url: `data:image/png;base64,${Buffer.from('png-a').toString('base64')}` },
      },
      // the neutral user message after the results is folded in, not sent as a second human turn
      { type: 'text', text: 'You have 3 steps left.' },
    ]);
  });

  it('for Anthropic, puts tool images inside the tool messages and folds the next user turn into the last', async () => {
    const model = new ScriptedChatModel([done()]);
    await new LangChainBackbone({ model, imagesInToolResults: true }).next(request(conversation));
    const sent = model.calls[0]!.messages;
    // No human turn after the tool results: ChatAnthropic sends tool messages as user turns already.
    expect(sent.map((m) => m.type)).toEqual(['system', 'human', 'ai', 'tool', 'tool']);
    expect((sent[3] as ToolMessage).content).toEqual([
      { type: 'text', text: 'c1: max 4.2' },
      { type: 'text', text: 'exemplar 1' },
      {
        type: 'image_url',
        image_url: { url: `data:image/png;base64,${Buffer.from('png-a').toString('base64')}` },
      },
    ]);
    expect((sent[4] as ToolMessage).content).toBe('arguments are not valid JSON\n\nYou have 3 steps left.');
  });

  it('sends tool results without images as tool messages only, and plain text as a string', async () => {
    const model = new ScriptedChatModel([done()]);
    const messages: Message[] = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
      { role: 'assistant', text: '', toolCalls: [{ id: 't1', name: 'probe', arguments: '{"unit":1}' }] },
      { role: 'tool', results: [{ callId: 't1', name: 'probe', text: 'r', images: [], isError: false }] },
      { role: 'user', content: [{ type: 'text', text: 'next' }] },
    ];
    await new LangChainBackbone({ model }).next(request(messages, { system: '' }));
    const sent = model.calls[0]!.messages;
    expect(sent.map((m) => m.type)).toEqual(['human', 'ai', 'tool', 'human']);
    expect(sent[0]!.content).toBe('a\n\nb');
    expect(sent[3]!.content).toBe('next');
  });

  it('binds tools by JSON Schema with auto or a forced tool choice', async () => {
    const model = new ScriptedChatModel([done(), done()]);
    const backbone = new LangChainBackbone({ model });
    await backbone.next(request(conversation));
    await backbone.next(request(conversation, { toolChoice: { name: 'submit_answer' } }));

    expect(model.calls[0]!.tools).toEqual([
      {
        type: 'function',
        function: { name: 'probe', description: 'Probe a unit.', parameters: probeTool.inputSchema },
      },
      {
        type: 'function',
        function: { name: 'submit_answer', description: 'Answer.', parameters: { type: 'object' } },
      },
    ]);
    expect(model.calls[0]!.toolChoice).toBe('auto');
    expect(model.calls[1]!.toolChoice).toBe('submit_answer');
  });

  it('calls the model unbound when the request has no tools, and refuses a model that cannot bind them', async () => {
    const model = new ScriptedChatModel([done()]);
    await new LangChainBackbone({ model }).next(request(conversation, { tools: [] }));
    expect(model.calls[0]!.tools).toBeUndefined();

    const plain = new LangChainBackbone({ model: new PlainChatModel({}) });
    await expect(plain.next(request(conversation))).rejects.toThrow(/cannot bind tools/);
    expect((await plain.next(request(conversation, { tools: [] }))).text).toBe('hi');
  });

  it('maps tool calls, text parts, usage, stop reason and the answering model', async () => {
    const reply = new AIMessage({
      content: [
        { type: 'text', text: 'Probing ' },
        { type: 'text', text: 'two units.' },
      ],
      tool_calls: [
        { id: 'call_x', name: 'probe', args: { unit: 7 } },
        { name: 'probe', args: { unit: 8 } },
      ],
      usage_metadata: {
        input_tokens: 1200,
        output_tokens: 40,
        total_tokens: 1240,
        input_token_details: { cache_read: 1000 },
      },
      response_metadata: { model_name: 'scripted-1-2025-01-01', finish_reason: 'tool_calls' },
    });
    const backbone = new LangChainBackbone({ model: new ScriptedChatModel([reply]) });
    expect(backbone.model).toBe('scripted-1');
    expect(backbone.name).toBe('langchain');
    const response = await backbone.next(request(conversation));
    expect(response.text).toBe('Probing two units.');
    expect(response.toolCalls).toEqual([
      { id: 'call_x', name: 'probe', arguments: '{"unit":7}' },
      { id: 'lc_call_1', name: 'probe', arguments: '{"unit":8}' },
    ]);
    expect(response.usage).toEqual({ inputTokens: 1200, outputTokens: 40, cacheReadTokens: 1000 });
    expect(response.stopReason).toBe('tool_calls');
    expect(response.model).toBe('scripted-1-2025-01-01');
  });

  it('returns malformed tool calls with their raw arguments so the loop can report them', async () => {
    const reply = new AIMessage({
      content: '',
      invalid_tool_calls: [{ id: 'call_bad', name: 'probe', args: '{"unit": 3,', error: 'bad JSON' }],
    });
    const backbone = new LangChainBackbone({ model: new ScriptedChatModel([reply]), modelName: 'my-model' });
    expect(backbone.model).toBe('my-model');
    const response = await backbone.next(request(conversation));
    expect(response.toolCalls).toEqual([{ id: 'call_bad', name: 'probe', arguments: '{"unit": 3,' }]);
    expect(response.stopReason).toBe('tool_calls');
    expect(response.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
    expect(response.model).toBe('my-model');
  });

  it('maps a length stop to max_tokens', async () => {
    const reply = new AIMessage({ content: 'trunc', response_metadata: { stop_reason: 'max_tokens' } });
    const response = await new LangChainBackbone({ model: new ScriptedChatModel([reply]) }).next(request([]));
    expect(response.stopReason).toBe('max_tokens');
  });

  it('retries provider errors only when asked to', async () => {
    vi.spyOn(log, 'warn').mockImplementation(() => undefined);
    const rateLimited = (): Error => new RateLimitError(429, undefined, 'slow down', new Headers());
    const model = new ScriptedChatModel([rateLimited(), done()]);
    const retrying = new LangChainBackbone({
      model,
      retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 },
    });
    expect((await retrying.next(request(conversation))).text).toBe('done');
    expect(model.calls).toHaveLength(2);

    const plain = new LangChainBackbone({ model: new ScriptedChatModel([rateLimited(), done()]) });
    await expect(plain.next(request(conversation))).rejects.toThrow(/slow down/);
  });

  it('passes the abort signal to the model, and does not call it once aborted', async () => {
    const model = new ScriptedChatModel([done(), done()]);
    const backbone = new LangChainBackbone({ model });
    const controller = new AbortController();
    await backbone.next(request(conversation), { signal: controller.signal });
    const seen = model.calls[0]!.signal;
    expect(seen?.aborted).toBe(false);
    controller.abort();
    expect(seen?.aborted).toBe(true);

    await expect(backbone.next(request(conversation), { signal: controller.signal })).rejects.toMatchObject({
      code: 'ABORTED',
    });
    expect(model.calls).toHaveLength(1);
  });
});
