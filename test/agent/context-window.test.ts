import { describe, expect, it } from 'vitest';
import type { ImagePart, Message } from '../../agent/backbone.ts';
import { boundMessages, countImages } from '../../agent/context-window.ts';

function image(n: number): ImagePart {
  const png = Buffer.from(`png-${n}`);
  return { type: 'image', sha256: n.toString(16).padStart(64, '0'), png, caption: `image ${n}` };
}

/** A conversation of `steps` turns whose every tool result carries `perStep` images and `chars` of text. */
function conversation(steps: number, perStep: number, chars = 100): Message[] {
  const messages: Message[] = [{ role: 'user', content: [{ type: 'text', text: 'the task' }] }];
  let n = 0;
  for (let step = 0; step < steps; step++) {
    messages.push({
      role: 'assistant',
      text: 'look',
      toolCalls: [{ id: `t${step}`, name: 'render_scenes', arguments: '{}' }],
    });
    messages.push({
      role: 'tool',
      results: [
        {
          callId: `t${step}`,
          name: 'render_scenes',
          text: `[c${step + 1}] ${'x'.repeat(chars)}`,
          images: Array.from({ length: perStep }, () => image(n++)),
          isError: false,
        },
      ],
    });
  }
  return messages;
}

describe('context bounding', () => {
  it('keeps only the newest images up to the cap, however long the run', () => {
    for (const steps of [1, 5, 40]) {
      const bounded = boundMessages(conversation(steps, 4), { maxImages: 6, maxRequestTokens: 1e9 });
      expect(bounded.images).toBe(Math.min(6, steps * 4));
      expect(bounded.messages.reduce((sum, m) => sum + countImages(m), 0)).toBe(bounded.images);
    }
    const bounded = boundMessages(conversation(40, 4), { maxImages: 6, maxRequestTokens: 1e9 });
    // The newest images are the ones kept; an older one is named by its blob.
    const last = bounded.messages[bounded.messages.length - 1];
    expect(last?.role === 'tool' && last.results[0]?.images.map((i) => i.caption)).toEqual([
      'image 156',
      'image 157',
      'image 158',
      'image 159',
    ]);
    const first = bounded.messages[2];
    expect(first?.role === 'tool' && first.results[0]?.text).toMatch(
      /image omitted to bound the context: image 0 \(blob 000000000000\)/,
    );
  });

  it('shortens the oldest results when the token estimate is over the cap, keeping the task and the last turn', () => {
    const messages = conversation(30, 0, 4000);
    const bounded = boundMessages(messages, { maxImages: 0, maxRequestTokens: 10_000 });
    expect(bounded.tokens).toBeLessThanOrEqual(10_000);
    expect(bounded.messages[0]).toBe(messages[0]);
    expect(bounded.messages[bounded.messages.length - 1]).toBe(messages[messages.length - 1]);
    const oldest = bounded.messages[2];
    expect(oldest?.role === 'tool' && oldest.results[0]?.text).toMatch(/^\[c1\] x+… \[shortened/);
  });

  it('leaves a conversation within both caps untouched', () => {
    const messages = conversation(3, 1);
    const bounded = boundMessages(messages, { maxImages: 10, maxRequestTokens: 1e6 });
    bounded.messages.forEach((m, i) => expect(m).toBe(messages[i]));
  });
});
