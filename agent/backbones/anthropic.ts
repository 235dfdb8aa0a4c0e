import Anthropic from '@anthropic-ai/sdk';
import { warnIfDeprecated } from './model-lifecycle.ts';
import type {
  ContentBlock,
  ContentBlockParam,
  ImageBlockParam,
  MessageCreateParamsNonStreaming,
  MessageParam,
  StopReason as AnthropicStopReason,
  TextBlockParam,
  Tool,
  ToolResultBlockParam,
  Usage as AnthropicUsage,
} from '@anthropic-ai/sdk/resources/messages/messages';
import type {
  Backbone,
  ContentPart,
  ImagePart,
  Message,
  ModelRequest,
  ModelResponse,
  NextOptions,
  StopReason,
  ToolCall,
  ToolResultPart,
  Usage,
} from '../backbone.ts';
import type { ToolSpec } from '../../tools/registry.ts';
import { withRetry, type RetryOptions } from './retry.ts';

/**
 * Claude through the Messages API. Tool results go back as tool_result blocks in a user message, their
 * images inside the block, so the model sees each picture next to the call that made it.
 */

export interface AnthropicBackboneOptions {
  apiKey: string;
  model: string;
  baseURL?: string;
  /** Per request. Default 10 minutes; an explicit timeout also spares us the SDK's max_tokens guess. */
  timeoutMs?: number;
  retry?: RetryOptions;
}

const DEFAULT_TIMEOUT_MS = 600_000;

export class AnthropicBackbone implements Backbone {
  readonly name = 'anthropic';
  readonly model: string;
  private readonly client: Anthropic;
  private readonly apiKey: string;
  private readonly retry: RetryOptions;

  constructor(options: AnthropicBackboneOptions) {
    this.model = options.model;
    warnIfDeprecated(options.model);
    this.apiKey = options.apiKey;
    this.retry = options.retry ?? {};
    // Retries are ours (withRetry), so every one is logged and honours retry-after the same way.
    this.client = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseURL ?? null,
      maxRetries: 0,
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
  }

  async next(request: ModelRequest, options: NextOptions = {}): Promise<ModelResponse> {
    const params = toAnthropicRequest(this.model, request);
    const response = await withRetry(
      () => this.client.messages.create(params, { signal: options.signal }),
      { ...this.retry, provider: 'anthropic', secrets: [this.apiKey], endpoint: this.client.baseURL },
      options.signal,
    );
    return fromAnthropicResponse(response.content, response.stop_reason, response.usage, response.model);
  }
}

export function toAnthropicRequest(model: string, request: ModelRequest): MessageCreateParamsNonStreaming {
  const params: MessageCreateParamsNonStreaming = {
    model,
    max_tokens: request.maxOutputTokens,
    messages: toAnthropicMessages(request.messages),
  };
  // The API rejects empty text blocks, and an empty system prompt says nothing anyway.
  if (request.system !== '') params.system = request.system;
  if (request.tools.length > 0) params.tools = request.tools.map(toAnthropicTool);
  if (request.toolChoice !== 'auto') params.tool_choice = { type: 'tool', name: request.toolChoice.name };
  return params;
}

function toAnthropicTool(spec: ToolSpec): Tool {
  return {
    name: spec.name,
    description: spec.description,
    input_schema: spec.inputSchema as Tool.InputSchema,
  };
}

type Role = 'user' | 'assistant';

/**
 * The neutral conversation as Messages API turns. Neighbouring turns of one role are merged (a tool
 * message followed by the loop's "answer now" nudge is one user turn), since roles must alternate and
 * every tool_use must be answered in the very next message, tool_result blocks first.
 */
export function toAnthropicMessages(messages: Message[]): MessageParam[] {
  const turns: { role: Role; content: ContentBlockParam[] }[] = [];
  for (const message of messages) {
    const turn = toTurn(message);
    // An assistant turn that said nothing cannot be sent (content must be non-empty); dropping it
    // joins the user turns around it, which is what the model saw happen.
    if (turn.content.length === 0 && turn.role === 'assistant') continue;
    const last = turns[turns.length - 1];
    if (last && last.role === turn.role) last.content.push(...turn.content);
    else turns.push(turn);
  }
  for (const turn of turns) {
    if (turn.role !== 'user') continue;
    const results = turn.content.filter((block) => block.type === 'tool_result');
    const rest = turn.content.filter((block) => block.type !== 'tool_result');
    turn.content = [...results, ...rest];
  }
  return turns;
}

function toTurn(message: Message): { role: Role; content: ContentBlockParam[] } {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: message.content.flatMap(userBlocks) };
    case 'assistant': {
      const content: ContentBlockParam[] = [];
      if (message.text !== '') content.push({ type: 'text', text: message.text });
      for (const call of message.toolCalls)
        content.push({ type: 'tool_use', id: call.id, name: call.name, input: parseInput(call.arguments) });
      return { role: 'assistant', content };
    }
    case 'tool':
      return { role: 'user', content: message.results.map(toolResultBlock) };
  }
}

function userBlocks(part: ContentPart): ContentBlockParam[] {
  if (part.type === 'text') return part.text === '' ? [] : [{ type: 'text', text: part.text }];
  return imageBlocks(part);
}

/** A caption (when there is one) then the picture, so the model knows what it is looking at. */
function imageBlocks(image: ImagePart): (TextBlockParam | ImageBlockParam)[] {
  const picture: ImageBlockParam = {
    type: 'image',
    source: { type: 'base64', media_type: 'image/png', data: image.png.toString('base64') },
  };
  return image.caption === '' ? [picture] : [{ type: 'text', text: image.caption }, picture];
}

function toolResultBlock(result: ToolResultPart): ToolResultBlockParam {
  const content: (TextBlockParam | ImageBlockParam)[] = [];
  if (result.text !== '') content.push({ type: 'text', text: result.text });
  for (const image of result.images) content.push(...imageBlocks(image));
  const block: ToolResultBlockParam = {
    type: 'tool_result',
    tool_use_id: result.callId,
    is_error: result.isError,
  };
  if (content.length > 0) block.content = content;
  return block;
}

/** Anthropic's own tool_use inputs are objects; anything else (a replayed or foreign call) becomes {}. */
function parseInput(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

export function fromAnthropicResponse(
  content: ContentBlock[],
  stopReason: AnthropicStopReason | null,
  usage: AnthropicUsage,
  model: string,
): ModelResponse {
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const block of content) {
    if (block.type === 'text') text += block.text;
    else if (block.type === 'tool_use')
      toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
  }
  return { text, toolCalls, stopReason: mapStopReason(stopReason), usage: mapUsage(usage), model };
}

function mapStopReason(reason: AnthropicStopReason | null): StopReason {
  switch (reason) {
    case 'tool_use':
      return 'tool_calls';
    case 'end_turn':
    case 'stop_sequence':
      return 'end_turn';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'max_tokens';
    default:
      return 'other';
  }
}

/** Anthropic counts cached input apart from input_tokens; Usage.inputTokens is the whole prompt. */
function mapUsage(usage: AnthropicUsage): Usage {
  const read = usage.cache_read_input_tokens ?? 0;
  const write = usage.cache_creation_input_tokens ?? 0;
  const out: Usage = { inputTokens: usage.input_tokens + read + write, outputTokens: usage.output_tokens };
  if (read > 0) out.cacheReadTokens = read;
  if (write > 0) out.cacheWriteTokens = write;
  return out;
}
