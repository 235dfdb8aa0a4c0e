import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { AiaError, errorMessage } from '../util/errors.ts';
import { log } from '../util/log.ts';
import type { Backbone, ContentPart, Message, ModelRequest, ModelResponse, NextOptions } from './backbone.ts';
import { hashValue } from './hash.ts';

/**
 * off: never read or store; read: serve hits, call the model on a miss, store nothing;
 * write: serve hits, call on a miss and store the response; strict: serve hits, a miss is an error.
 */
export type CacheMode = 'off' | 'read' | 'write' | 'strict';

export const CACHE_MODES: readonly CacheMode[] = ['off', 'read', 'write', 'strict'];

/**
 * Bumped when what the key covers changes meaning, so old entries stop matching rather than being
 * served for requests they were not recorded for.
 */
const KEY_VERSION = 1;

/**
 * Only what a provider sees goes into the key: images by content hash (never bytes, so hashing stays
 * cheap and the key does not depend on how the PNG buffer is held) and tool results without `data`,
 * which only programmatic backbones read.
 */
function keyOfContent(part: ContentPart): unknown {
  return part.type === 'text'
    ? { type: 'text', text: part.text }
    : { type: 'image', sha256: part.sha256, caption: part.caption };
}

function keyOfMessage(message: Message): unknown {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: message.content.map(keyOfContent) };
    case 'assistant':
      return {
        role: 'assistant',
        text: message.text,
        toolCalls: message.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments })),
      };
    case 'tool':
      return {
        role: 'tool',
        results: message.results.map((r) => ({
          callId: r.callId,
          name: r.name,
          text: r.text,
          isError: r.isError,
          images: r.images.map(keyOfContent),
        })),
      };
  }
}

/** The cache key of a request: equal for requests a provider cannot tell apart, whatever the key order. */
export function requestHash(backbone: { name: string; model: string }, request: ModelRequest): string {
  return hashValue({
    version: KEY_VERSION,
    backbone: backbone.name,
    model: backbone.model,
    system: request.system,
    messages: request.messages.map(keyOfMessage),
    tools: request.tools.map((t) => ({
      name: t.name,
      description: t.description,
      inputSchema: t.inputSchema,
    })),
    maxOutputTokens: request.maxOutputTokens,
    toolChoice: request.toolChoice,
  });
}

const ResponseSchema = z.object({
  text: z.string(),
  toolCalls: z.array(z.object({ id: z.string(), name: z.string(), arguments: z.string() })),
  stopReason: z.enum(['tool_calls', 'end_turn', 'max_tokens', 'other']),
  usage: z.object({
    inputTokens: z.number(),
    outputTokens: z.number(),
    cacheReadTokens: z.number().optional(),
    cacheWriteTokens: z.number().optional(),
  }),
  model: z.string(),
});

const EntrySchema = z.object({
  hash: z.string(),
  backbone: z.string(),
  model: z.string(),
  response: ResponseSchema,
});

type Entry = z.infer<typeof EntrySchema>;

type Lookup =
  | { kind: 'hit'; response: ModelResponse }
  | { kind: 'miss' }
  | { kind: 'corrupt'; reason: string };

/**
 * Model calls stored by request hash, so a recorded run re-executes without any network and a
 * benchmark re-scored later costs nothing. One JSON file per entry under a two-character fan-out
 * directory; each is written whole or not at all (temp file + rename), so a crash never leaves a
 * half entry that a later strict run would trip on.
 */
export class ModelCallCache {
  constructor(
    readonly dir: string,
    readonly mode: CacheMode,
  ) {}

  pathOf(hash: string): string {
    return join(this.dir, hash.slice(0, 2), `${hash}.json`);
  }

  async call(
    backbone: Backbone,
    request: ModelRequest,
    options?: NextOptions,
  ): Promise<{ response: ModelResponse; cached: boolean; hash: string }> {
    const hash = requestHash(backbone, request);
    if (this.mode === 'off') return { response: await backbone.next(request, options), cached: false, hash };

    const file = this.pathOf(hash);
    const found = await this.lookup(file, hash);
    if (found.kind === 'hit') return { response: found.response, cached: true, hash };
    if (found.kind === 'corrupt') {
      if (this.mode === 'strict') {
        throw new AiaError(`model-call cache entry ${file} is corrupt (${found.reason})`, 'CACHE_CORRUPT');
      }
      log.warn({ file, reason: found.reason }, 'ignoring corrupt model-call cache entry');
    }
    if (this.mode === 'strict') {
      throw new AiaError(
        `model call ${hash} (${backbone.name}/${backbone.model}) is not in the cache at ${this.dir}; ` +
          'strict mode never calls the model: record the run first with --cache write',
        'CACHE_MISS',
      );
    }

    const response = await backbone.next(request, options);
    if (this.mode === 'write') {
      await this.store(file, { hash, backbone: backbone.name, model: backbone.model, response });
    }
    return { response, cached: false, hash };
  }

  private async lookup(file: string, hash: string): Promise<Lookup> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'miss' };
      return { kind: 'corrupt', reason: errorMessage(error) };
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      return { kind: 'corrupt', reason: `not JSON: ${errorMessage(error)}` };
    }
    const parsed = EntrySchema.safeParse(raw);
    if (!parsed.success) {
      const problem = parsed.error.issues[0];
      return {
        kind: 'corrupt',
        reason: `${problem?.path.join('.') || 'entry'}: ${problem?.message ?? 'invalid'}`,
      };
    }
    // A file under the wrong name (copied, renamed) would otherwise answer a request it never saw.
    if (parsed.data.hash !== hash) return { kind: 'corrupt', reason: `holds hash ${parsed.data.hash}` };
    return { kind: 'hit', response: parsed.data.response };
  }

  private async store(file: string, entry: Entry): Promise<void> {
    await mkdir(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temp, `${JSON.stringify(entry, null, 2)}\n`);
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}
