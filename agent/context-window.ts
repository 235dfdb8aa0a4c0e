import type { ContentPart, ImagePart, Message, ToolResultPart } from './backbone.ts';

/**
 * Keeps every request bounded however long the run: only the newest `maxImages` images travel, older
 * ones become a one-line reference to their blob; when the estimated size still exceeds
 * `maxRequestTokens`, the oldest tool results are shortened to a stub naming their evidence ref (the
 * full text stays in the transcript). The first user message (the task) is never touched.
 */
export interface ContextLimits {
  maxImages: number;
  maxRequestTokens: number;
}

export const DEFAULT_CONTEXT: ContextLimits = { maxImages: 16, maxRequestTokens: 100_000 };

/** Rough tokens per image as providers bill a ~224–512 px PNG; errs high so the bound holds. */
export const TOKENS_PER_IMAGE = 1600;
/** Characters per token, the usual estimate for English and JSON. */
const CHARS_PER_TOKEN = 4;
/** What a shortened result keeps of its text. */
const STUB_CHARS = 160;

export interface BoundedMessages {
  messages: Message[];
  images: number;
  tokens: number;
}

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

function omittedImage(image: ImagePart): string {
  return `[image omitted to bound the context: ${image.caption} (blob ${image.sha256.slice(0, 12)})]`;
}

function messageTokens(message: Message): number {
  switch (message.role) {
    case 'user':
      return message.content.reduce(
        (sum, part) => sum + (part.type === 'text' ? estimateTokens(part.text) : TOKENS_PER_IMAGE),
        4,
      );
    case 'assistant':
      return (
        4 +
        estimateTokens(message.text) +
        message.toolCalls.reduce((sum, call) => sum + estimateTokens(call.name + call.arguments) + 8, 0)
      );
    case 'tool':
      return message.results.reduce(
        (sum, result) => sum + 8 + estimateTokens(result.text) + result.images.length * TOKENS_PER_IMAGE,
        0,
      );
  }
}

/** Bound a conversation; `fixedTokens` counts what every request carries besides messages (system, tools). */
export function boundMessages(
  messages: readonly Message[],
  limits: ContextLimits,
  fixedTokens = 0,
): BoundedMessages {
  // Newest first: keep the newest images up to the cap.
  let imagesLeft = limits.maxImages;
  const kept: Message[] = new Array<Message>(messages.length);
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as Message;
    if (message.role === 'assistant') {
      kept[i] = message;
    } else if (message.role === 'user') {
      let changed = false;
      const content = [...message.content].reverse().map((part): ContentPart => {
        if (part.type !== 'image') return part;
        if (imagesLeft > 0) {
          imagesLeft--;
          return part;
        }
        changed = true;
        return { type: 'text', text: omittedImage(part) };
      });
      kept[i] = changed ? { role: 'user', content: content.reverse() } : message;
    } else {
      let changed = false;
      const results = [...message.results].reverse().map((result): ToolResultPart => {
        const images = [...result.images].reverse().filter(() => {
          if (imagesLeft > 0) {
            imagesLeft--;
            return true;
          }
          return false;
        });
        if (images.length === result.images.length) return result;
        changed = true;
        const dropped = result.images.filter((image) => !images.includes(image));
        return {
          ...result,
          text: `${result.text}\n${dropped.map(omittedImage).join('\n')}`,
          images: images.reverse(),
        };
      });
      kept[i] = changed ? { role: 'tool', results: results.reverse() } : message;
    }
  }

  const sizes = kept.map(messageTokens);
  let tokens = fixedTokens + sizes.reduce((a, b) => a + b, 0);
  // Oldest tool results first; the newest two messages stay whole so the model sees what it just did.
  for (let i = 1; i < kept.length - 2 && tokens > limits.maxRequestTokens; i++) {
    const message = kept[i] as Message;
    if (message.role !== 'tool') continue;
    const shortened: Message = {
      role: 'tool',
      results: message.results.map((result) =>
        result.text.length <= STUB_CHARS
          ? result
          : {
              ...result,
              text: `${result.text.slice(0, STUB_CHARS)}… [shortened to bound the context; the full result is in the transcript]`,
            },
      ),
    };
    const size = messageTokens(shortened);
    tokens += size - (sizes[i] ?? 0);
    sizes[i] = size;
    kept[i] = shortened;
  }
  const images = kept.reduce((sum, message) => sum + countImages(message), 0);
  return { messages: kept, images, tokens };
}

export function countImages(message: Message): number {
  if (message.role === 'user') return message.content.filter((part) => part.type === 'image').length;
  if (message.role === 'tool') return message.results.reduce((sum, result) => sum + result.images.length, 0);
  return 0;
}
