import OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionContentPart,
  ChatCompletionContentPartImage,
  ChatCompletionContentPartText,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions/completions';
import type { CompletionUsage } from 'openai/resources/completions';
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
  Usage,
} from '../backbone.ts';
import type { ToolSpec } from '../../tools/registry.ts';
import { ProviderError, withRetry, type RetryOptions } from './retry.ts';

/**
 * Chat Completions: OpenAI itself, or any server that speaks its dialect (Ollama, vLLM, llama.cpp) via
 * baseURL. Tool messages carry text only, so a result's images travel in one user message right after
 * the tool messages, each labelled with the call it came from.
 */

export interface OpenAIBackboneOptions {
  /** Local servers often ignore it: any placeholder will do there. */
  apiKey: string;
  model: string;
  baseURL?: string;
  /** Per request. Default 10 minutes (local models on a CPU can be slow). */
  timeoutMs?: number;
  retry?: RetryOptions;
  /**
   * OpenAI's current models want max_completion_tokens (their reasoning models reject max_tokens);
   * local servers know max_tokens best. Default: max_completion_tokens for api.openai.com (no
   * baseURL), max_tokens for any other baseURL.
   */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
}

const DEFAULT_TIMEOUT_MS = 600_000;
/** The SDK insists on a key; local servers do not check it. */
const PLACEHOLDER_KEY = 'no-key';

export class OpenAIBackbone implements Backbone {
  readonly name = 'openai';
  readonly model: string;
  private readonly client: OpenAI;
  private readonly apiKey: string;
  private readonly retry: RetryOptions;
  private readonly maxTokensField: 'max_tokens' | 'max_completion_tokens';

  constructor(options: OpenAIBackboneOptions) {
    this.model = options.model;
    this.apiKey = options.apiKey;
    this.retry = options.retry ?? {};
    this.maxTokensField = options.maxTokensField ?? defaultMaxTokensField(options.baseURL);
    // Retries are ours (withRetry), so every one is logged and honours retry-after the same way.
    this.client = new OpenAI({
      apiKey: options.apiKey === '' ? PLACEHOLDER_KEY : options.apiKey,
      baseURL: options.baseURL ?? null,
      maxRetries: 0,
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
  }

  async next(request: ModelRequest, options: NextOptions = {}): Promise<ModelResponse> {
    const params = toOpenAIRequest(this.model, request, this.maxTokensField);
    const context = {
      ...this.retry,
      provider: 'openai',
      secrets: [this.apiKey],
      endpoint: this.client.baseURL,
    };
    const completion = await withRetry(
      () => this.client.chat.completions.create(params, { signal: options.signal }),
      context,
      options.signal,
    );
    return fromOpenAIResponse(completion);
  }
}

function defaultMaxTokensField(baseURL: string | undefined): 'max_tokens' | 'max_completion_tokens' {
  if (baseURL === undefined) return 'max_completion_tokens';
  try {
    return new URL(baseURL).hostname === 'api.openai.com' ? 'max_completion_tokens' : 'max_tokens';
  } catch {
    return 'max_tokens';
  }
}

export function toOpenAIRequest(
  model: string,
  request: ModelRequest,
  maxTokensField: 'max_tokens' | 'max_completion_tokens',
): ChatCompletionCreateParamsNonStreaming {
  const params: ChatCompletionCreateParamsNonStreaming = {
    model,
    messages: toOpenAIMessages(request.system, request.messages),
    [maxTokensField]: request.maxOutputTokens,
  };
  // An empty tools array is rejected ("expected an array with minimum length 1").
  if (request.tools.length > 0) params.tools = request.tools.map(toOpenAITool);
  if (request.toolChoice !== 'auto')
    params.tool_choice = { type: 'function', function: { name: request.toolChoice.name } };
  return params;
}

function toOpenAITool(spec: ToolSpec): ChatCompletionFunctionTool {
  return {
    type: 'function',
    function: { name: spec.name, description: spec.description, parameters: spec.inputSchema },
  };
}

/**
 * The neutral conversation as Chat Completions messages. Every tool call is answered by its own tool
 * message before any other role may speak; the images of those results then follow in one user
 * message (joined with the next neutral user message, if that comes next, so no two users in a row).
 */
export function toOpenAIMessages(system: string, messages: Message[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  if (system !== '') out.push({ role: 'system', content: system });
  let pendingImages: ChatCompletionContentPart[] = [];
  const flushImages = (): void => {
    if (pendingImages.length > 0) out.push({ role: 'user', content: pendingImages });
    pendingImages = [];
  };
  for (const message of messages) {
    switch (message.role) {
      case 'tool':
        for (const result of message.results) {
          out.push({ role: 'tool', tool_call_id: result.callId, content: result.text });
          for (const image of result.images) pendingImages.push(...imageParts(image, result.callId));
        }
        break;
      case 'user': {
        const parts = [...pendingImages, ...message.content.flatMap((part) => userParts(part))];
        pendingImages = [];
        out.push({ role: 'user', content: plainIfText(parts) });
        break;
      }
      case 'assistant': {
        flushImages();
        const calls = message.toolCalls;
        if (calls.length === 0) {
          out.push({ role: 'assistant', content: message.text });
          break;
        }
        out.push({
          role: 'assistant',
          content: message.text === '' ? null : message.text,
          tool_calls: calls.map((call) => ({
            id: call.id,
            type: 'function',
            function: { name: call.name, arguments: call.arguments },
          })),
        });
        break;
      }
    }
  }
  flushImages();
  return out;
}

/** A lone text part goes as a plain string: every OpenAI-compatible server understands that form. */
function plainIfText(parts: ChatCompletionContentPart[]): string | ChatCompletionContentPart[] {
  const [only] = parts;
  return parts.length === 1 && only?.type === 'text' ? only.text : parts;
}

function userParts(part: ContentPart): ChatCompletionContentPart[] {
  if (part.type === 'text') return [{ type: 'text', text: part.text }];
  return imageParts(part);
}

/** A label then the picture; for a tool result the label names the call, as the tool message cannot. */
function imageParts(
  image: ImagePart,
  callId?: string,
): (ChatCompletionContentPartText | ChatCompletionContentPartImage)[] {
  const label = callId === undefined ? image.caption : `Image from tool call ${callId}: ${image.caption}`;
  const picture: ChatCompletionContentPartImage = {
    type: 'image_url',
    image_url: { url: `data:image/png;base64,${image.png.toString('base64')}` },
  };
  return label === '' ? [picture] : [{ type: 'text', text: label }, picture];
}

export function fromOpenAIResponse(completion: ChatCompletion): ModelResponse {
  const choice = completion.choices[0];
  if (!choice)
    throw new ProviderError('openai returned a completion with no choices', 'PROVIDER_ERROR', 'openai');
  const toolCalls: ToolCall[] = [];
  for (const [index, call] of (choice.message.tool_calls ?? []).entries()) {
    if (call.type !== 'function') continue;
    // Some compatible servers omit ids or send arguments as an object; the loop needs both as text.
    const raw: unknown = call.function.arguments;
    toolCalls.push({
      id: call.id || `call_${index}`,
      name: call.function.name,
      arguments: typeof raw === 'string' ? raw : JSON.stringify(raw ?? {}),
    });
  }
  return {
    text: choice.message.content ?? '',
    toolCalls,
    stopReason: mapFinishReason(choice.finish_reason, toolCalls.length > 0),
    usage: mapUsage(completion.usage),
    model: completion.model,
  };
}

function mapFinishReason(reason: string | null, calledTools: boolean): StopReason {
  switch (reason) {
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'stop':
      // Some compatible servers say 'stop' even when the message carries tool calls.
      return calledTools ? 'tool_calls' : 'end_turn';
    case 'length':
      return 'max_tokens';
    default:
      return 'other';
  }
}

/** prompt_tokens already includes the cached part, as Usage.inputTokens does. */
function mapUsage(usage: CompletionUsage | undefined): Usage {
  if (!usage) return { inputTokens: 0, outputTokens: 0 };
  const out: Usage = { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens };
  const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
  if (cached > 0) out.cacheReadTokens = cached;
  return out;
}
