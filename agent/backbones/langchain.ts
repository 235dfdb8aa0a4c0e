import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  type MessageContent,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { AiaError } from '../../util/errors.ts';
import type {
  Backbone,
  ContentPart,
  Message,
  ModelRequest,
  ModelResponse,
  NextOptions,
  StopReason,
  ToolCall,
  ToolResultPart,
  Usage,
} from '../backbone.ts';
import { ProviderError, type RetryOptions, withRetry } from './retry.ts';

/**
 * A backbone over any LangChain chat model that can bind tools (ChatOpenAI, ChatAnthropic,
 * ChatOllama, ChatBedrockConverse, …), so a provider aia has no adapter for still works.
 * Every LangChain import stays in this file. `request.maxOutputTokens` is not applied: LangChain has
 * no provider-neutral call option for it, so the output limit is whatever the model was built with.
 */

export interface LangChainBackboneOptions {
  /** A chat model with `bindTools`. */
  model: BaseChatModel;
  /** The model's name for prices and the transcript; read from the model when it carries one. */
  modelName?: string;
  /**
   * Retry here as well. LangChain models already retry on their own (their `maxRetries`), so this is
   * off unless asked for; give it with `maxRetries: 0` on the model, or the two multiply.
   */
  retry?: RetryOptions;
  /** Credentials to scrub from retry logs and errors (the model holds its own key; we cannot see it). */
  secrets?: string[];
  /**
   * Tool images inside tool messages (see MessageLayout). Default: on for ChatAnthropic, off otherwise;
   * give it when the model's type does not tell (a configurable model from initChatModel).
   */
  imagesInToolResults?: boolean;
}

/** The shape LangChain chat models accept for a JSON-Schema tool (OpenAI's function format). */
interface FunctionTool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** One block of an AIMessage's content array, as much of it as we read. */
interface ContentBlockLike {
  type?: unknown;
  text?: unknown;
}

function dataUrl(png: Buffer): string {
  return `data:image/png;base64,${png.toString('base64')}`;
}

/** A caption is what tells the model which image is which, so it goes right before the image. */
function contentOf(parts: ContentPart[]): MessageContent {
  if (parts.every((part) => part.type === 'text')) return parts.map((part) => part.text).join('\n\n');
  const out: MessageContent = [];
  for (const part of parts) {
    if (part.type === 'text') {
      out.push({ type: 'text', text: part.text });
    } else {
      if (part.caption) out.push({ type: 'text', text: part.caption });
      out.push({ type: 'image_url', image_url: { url: dataUrl(part.png) } });
    }
  }
  return out;
}

/** Arguments as an object, the only form LangChain tool calls carry; malformed JSON becomes {}. */
function parseArgs(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/**
 * Tool messages may carry only text on most providers (OpenAI among them), so images a tool returned
 * travel in one user message after the tool messages, each group headed by the call it came from.
 */
function toolImageParts(results: ToolResultPart[]): ContentPart[] {
  const parts: ContentPart[] = [];
  for (const result of results) {
    if (result.images.length === 0) continue;
    parts.push({ type: 'text', text: `Images returned by ${result.name} (call ${result.callId}):` });
    parts.push(...result.images);
  }
  return parts;
}

/** How a conversation is laid out for the provider behind a LangChain model. */
export interface MessageLayout {
  /**
   * Images a tool returned go inside its tool message, and a user message right after tool results is
   * folded into the last of them. Anthropic takes images in tool results and refuses two user turns in
   * a row (ChatAnthropic sends each tool message as a user turn and merges only tool results). Off,
   * images follow the tool messages in one user message, as OpenAI wants (images only in user messages).
   */
  imagesInToolResults: boolean;
}

/** The neutral conversation as LangChain messages. */
export function toLangChainMessages(
  system: string,
  messages: Message[],
  layout: MessageLayout = { imagesInToolResults: false },
): BaseMessage[] {
  const out: BaseMessage[] = [];
  if (system) out.push(new SystemMessage(system));
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    switch (message.role) {
      case 'user':
        out.push(new HumanMessage({ content: contentOf(message.content) }));
        break;
      case 'assistant':
        out.push(
          new AIMessage({
            content: message.text,
            tool_calls: message.toolCalls.map((call) => ({
              type: 'tool_call' as const,
              id: call.id,
              name: call.name,
              args: parseArgs(call.arguments),
            })),
          }),
        );
        break;
      case 'tool': {
        const next = messages[i + 1];
        if (layout.imagesInToolResults) {
          const folded = next?.role === 'user' ? next.content : [];
          if (folded.length > 0) i++;
          message.results.forEach((result, k) => {
            const parts: ContentPart[] = [{ type: 'text', text: result.text }, ...result.images];
            if (k === message.results.length - 1) parts.push(...folded);
            out.push(toolMessage(result, contentOf(parts)));
          });
          break;
        }
        for (const result of message.results) out.push(toolMessage(result, result.text));
        const images = toolImageParts(message.results);
        if (images.length === 0) break;
        // Two user messages in a row are refused by some providers: fold the next one in.
        if (next?.role === 'user') {
          images.push(...next.content);
          i++;
        }
        out.push(new HumanMessage({ content: contentOf(images) }));
        break;
      }
    }
  }
  return out;
}

function toolMessage(result: ToolResultPart, content: MessageContent): ToolMessage {
  return new ToolMessage({
    content,
    tool_call_id: result.callId,
    name: result.name,
    status: result.isError ? 'error' : 'success',
  });
}

function textOf(content: MessageContent): string {
  if (typeof content === 'string') return content;
  return content
    .map((block) => {
      const { type, text } = block as ContentBlockLike;
      return type === 'text' && typeof text === 'string' ? text : '';
    })
    .join('');
}

function stringField(record: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = record?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** OpenAI-style finish_reason or Anthropic-style stop_reason, whichever the integration reports. */
function stopReasonOf(metadata: Record<string, unknown>, hasToolCalls: boolean): StopReason {
  if (hasToolCalls) return 'tool_calls';
  const reason = stringField(metadata, 'finish_reason') ?? stringField(metadata, 'stop_reason');
  switch (reason) {
    case undefined:
    case 'stop':
    case 'end_turn':
    case 'stop_sequence':
      return 'end_turn';
    case 'length':
    case 'max_tokens':
      return 'max_tokens';
    case 'tool_calls':
    case 'tool_use':
      return 'tool_calls';
    default:
      return 'other';
  }
}

/** LangChain's input_tokens is the whole prompt, cache reads and writes included, as aia counts it. */
function usageOf(message: AIMessage): Usage {
  const metadata = message.usage_metadata;
  if (!metadata) return { inputTokens: 0, outputTokens: 0 };
  const usage: Usage = { inputTokens: metadata.input_tokens, outputTokens: metadata.output_tokens };
  const read = metadata.input_token_details?.cache_read;
  const write = metadata.input_token_details?.cache_creation;
  if (read) usage.cacheReadTokens = read;
  if (write) usage.cacheWriteTokens = write;
  return usage;
}

/** The model id an integration carries (`model` on current ones, `modelName` on older ones). */
function modelNameOf(model: BaseChatModel): string {
  const fields = model as unknown as Record<string, unknown>;
  return stringField(fields, 'model') ?? stringField(fields, 'modelName') ?? model._llmType();
}

export class LangChainBackbone implements Backbone {
  readonly name = 'langchain';
  readonly model: string;
  private readonly chat: BaseChatModel;
  private readonly retry: RetryOptions | undefined;
  private readonly secrets: string[];
  private readonly layout: MessageLayout;
  /** Ids for tool calls the integration left without one: unique within this backbone's run. */
  private generatedIds = 0;

  constructor(options: LangChainBackboneOptions) {
    this.chat = options.model;
    this.model = options.modelName ?? modelNameOf(options.model);
    this.retry = options.retry;
    this.secrets = options.secrets ?? [];
    this.layout = {
      imagesInToolResults: options.imagesInToolResults ?? options.model._llmType() === 'anthropic',
    };
  }

  async next(request: ModelRequest, options?: NextOptions): Promise<ModelResponse> {
    const messages = toLangChainMessages(request.system, request.messages, this.layout);
    const runnable = this.bind(request);
    const signal = options?.signal;
    // Integrations differ in how soon they notice an abort; one already given needs no request.
    if (signal?.aborted) throw new ProviderError('langchain request aborted', 'ABORTED', 'langchain');
    const invoke = async (): Promise<AIMessage> => runnable.invoke(messages, signal ? { signal } : {});
    const response = this.retry
      ? await withRetry(invoke, { ...this.retry, provider: 'langchain', secrets: this.secrets }, signal)
      : await invoke();
    return this.responseOf(response);
  }

  /** The model with the request's tools bound; a forced choice is the tool's name, as LangChain takes it. */
  private bind(request: ModelRequest): Pick<BaseChatModel, 'invoke'> {
    if (request.tools.length === 0) return this.chat;
    if (!this.chat.bindTools) {
      throw new AiaError(
        `the LangChain model ${this.model} (${this.chat._llmType()}) cannot bind tools; aia needs a chat model with tool calling`,
        'BACKBONE_CONFIG',
      );
    }
    const tools: FunctionTool[] = request.tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
    }));
    const toolChoice = request.toolChoice === 'auto' ? 'auto' : request.toolChoice.name;
    return this.chat.bindTools(tools, { tool_choice: toolChoice });
  }

  private nextId(): string {
    this.generatedIds += 1;
    return `lc_call_${this.generatedIds}`;
  }

  private responseOf(message: AIMessage): ModelResponse {
    const toolCalls: ToolCall[] = (message.tool_calls ?? []).map((call) => ({
      id: call.id || this.nextId(),
      name: call.name,
      arguments: JSON.stringify(call.args ?? {}),
    }));
    // Malformed calls go back to the loop with their raw text, so the model reads why they failed.
    for (const call of message.invalid_tool_calls ?? []) {
      toolCalls.push({ id: call.id || this.nextId(), name: call.name ?? '', arguments: call.args ?? '' });
    }
    const metadata: Record<string, unknown> = message.response_metadata ?? {};
    return {
      text: textOf(message.content),
      toolCalls,
      stopReason: stopReasonOf(metadata, toolCalls.length > 0),
      usage: usageOf(message),
      model: stringField(metadata, 'model_name') ?? stringField(metadata, 'model') ?? this.model,
    };
  }
}
