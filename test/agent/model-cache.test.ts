import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Backbone, ImagePart, ModelRequest, ModelResponse } from '../../agent/backbone.ts';
import { sha256 } from '../../agent/hash.ts';
import { ModelCallCache, requestHash } from '../../agent/model-cache.ts';
import { AiaError } from '../../util/errors.ts';
import { log } from '../../util/log.ts';

class CountingBackbone implements Backbone {
  readonly name = 'fake';
  readonly model = 'fake-1';
  calls = 0;
  async next(): Promise<ModelResponse> {
    this.calls += 1;
    return {
      text: `answer ${this.calls}`,
      toolCalls: [{ id: 'call_1', name: 'probe', arguments: '{"unit":3}' }],
      stopReason: 'tool_calls',
      usage: { inputTokens: 100, outputTokens: 10, cacheReadTokens: 50 },
      model: 'fake-1-2025',
    };
  }
}

function image(bytes: string, caption = 'img'): ImagePart {
  const png = Buffer.from(bytes);
  return { type: 'image', sha256: sha256(png), png, caption };
}

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    system: 'You study units.',
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'What does unit 3 detect?' }, image('png-a')] },
      { role: 'assistant', text: '', toolCalls: [{ id: 'c1', name: 'probe', arguments: '{"unit":3}' }] },
      {
        role: 'tool',
        results: [
          {
            callId: 'c1',
            name: 'probe',
            text: 'c1: max 4.2',
            images: [image('png-b')],
            isError: false,
            data: { max: 4.2 },
          },
        ],
      },
    ],
    tools: [
      {
        name: 'probe',
        description: 'Probe a unit.',
        inputSchema: { type: 'object', properties: { unit: { type: 'integer' } }, required: ['unit'] },
      },
    ],
    maxOutputTokens: 1024,
    toolChoice: 'auto',
    ...overrides,
  };
}

const backboneId = { name: 'fake', model: 'fake-1' };

describe('requestHash', () => {
  it('ignores tool-result data, image bytes held differently and key order', () => {
    const base = requestHash(backboneId, request());
    const r = request();
    const tool = r.messages[2];
    if (tool?.role !== 'tool' || !tool.results[0]) throw new Error('fixture');
    tool.results[0].data = { max: 99, other: [1, 2, 3] };
    expect(requestHash(backboneId, r)).toBe(base);

    const reordered = request({
      tools: [
        {
          inputSchema: { required: ['unit'], properties: { unit: { type: 'integer' } }, type: 'object' },
          description: 'Probe a unit.',
          name: 'probe',
        },
      ],
    });
    expect(requestHash(backboneId, reordered)).toBe(base);
  });

  it('changes with any text, tool, image, limit, choice or backbone change', () => {
    const base = requestHash(backboneId, request());
    const variants: ModelRequest[] = [
      request({ system: 'You study units!' }),
      request({ maxOutputTokens: 2048 }),
      request({ toolChoice: { name: 'probe' } }),
      request({ tools: [] }),
      request({ tools: [{ ...request().tools[0]!, description: 'Probe a neuron.' }] }),
      request({
        messages: [{ role: 'user', content: [{ type: 'text', text: 'What does unit 4 detect?' }] }],
      }),
      request({ messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }, image('png-c')] }] }),
      request({
        messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }, image('png-a', 'other')] }],
      }),
    ];
    const hashes = variants.map((v) => requestHash(backboneId, v));
    for (const hash of hashes) expect(hash).not.toBe(base);
    expect(new Set(hashes).size).toBe(hashes.length);

    const changedImage = request();
    const tool = changedImage.messages[2];
    if (tool?.role !== 'tool' || !tool.results[0]) throw new Error('fixture');
    tool.results[0].images = [image('png-z')];
    expect(requestHash(backboneId, changedImage)).not.toBe(base);
    tool.results[0].images = [];
    tool.results[0].isError = true;
    expect(requestHash(backboneId, changedImage)).not.toBe(base);

    expect(requestHash({ name: 'fake', model: 'fake-2' }, request())).not.toBe(base);
    expect(requestHash({ name: 'other', model: 'fake-1' }, request())).not.toBe(base);
  });

  it('is a sha256 hex digest', () => {
    expect(requestHash(backboneId, request())).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('ModelCallCache', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aia-model-cache-'));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  it('write: stores a miss atomically and serves it as a hit afterwards', async () => {
    const backbone = new CountingBackbone();
    const cache = new ModelCallCache(dir, 'write');
    const first = await cache.call(backbone, request());
    expect(first.cached).toBe(false);
    expect(first.hash).toBe(requestHash(backbone, request()));

    const file = cache.pathOf(first.hash);
    expect(file).toBe(join(dir, first.hash.slice(0, 2), `${first.hash}.json`));
    const entry = JSON.parse(await readFile(file, 'utf8')) as { hash: string; response: ModelResponse };
    expect(entry.hash).toBe(first.hash);
    expect(entry.response).toEqual(first.response);
    expect(await readdir(join(dir, first.hash.slice(0, 2)))).toEqual([`${first.hash}.json`]);

    const second = await cache.call(backbone, request());
    expect(second).toEqual({ response: first.response, cached: true, hash: first.hash });
    expect(backbone.calls).toBe(1);

    // The entry belongs to the request, not to the cache object.
    const strict = await new ModelCallCache(dir, 'strict').call(new CountingBackbone(), request());
    expect(strict.cached).toBe(true);
    expect(strict.response.text).toBe('answer 1');
  });

  it('read: serves hits but stores nothing on a miss', async () => {
    const backbone = new CountingBackbone();
    await new ModelCallCache(dir, 'write').call(backbone, request());
    const cache = new ModelCallCache(dir, 'read');
    expect((await cache.call(backbone, request())).cached).toBe(true);

    const other = request({ system: 'different' });
    expect((await cache.call(backbone, other)).cached).toBe(false);
    expect((await cache.call(backbone, other)).cached).toBe(false);
    expect(backbone.calls).toBe(3);
    await expect(readFile(cache.pathOf(requestHash(backbone, other)))).rejects.toThrow(/ENOENT/);
  });

  it('off: always calls the model and never reads or writes', async () => {
    const backbone = new CountingBackbone();
    await new ModelCallCache(dir, 'write').call(backbone, request());
    const cache = new ModelCallCache(join(dir, 'unused'), 'off');
    const result = await cache.call(backbone, request());
    expect(result.cached).toBe(false);
    expect(result.response.text).toBe('answer 2');
    expect(await readdir(dir)).toHaveLength(1);
  });

  it('strict: a miss is an error naming the hash and how to record', async () => {
    const backbone = new CountingBackbone();
    const cache = new ModelCallCache(dir, 'strict');
    const hash = requestHash(backbone, request());
    const attempt = cache.call(backbone, request());
    await expect(attempt).rejects.toBeInstanceOf(AiaError);
    await expect(cache.call(backbone, request())).rejects.toThrow(hash);
    await expect(cache.call(backbone, request())).rejects.toThrow(/--cache write/);
    expect(backbone.calls).toBe(0);
  });

  it('a corrupt entry is a miss (and is replaced) in write mode, an error naming the file in strict mode', async () => {
    const backbone = new CountingBackbone();
    const writer = new ModelCallCache(dir, 'write');
    const { hash } = await writer.call(backbone, request());
    const file = writer.pathOf(hash);

    await writeFile(file, '{"hash": "trunc');
    const strict = new ModelCallCache(dir, 'strict');
    await expect(strict.call(backbone, request())).rejects.toThrow(file);
    await expect(strict.call(backbone, request())).rejects.toMatchObject({ code: 'CACHE_CORRUPT' });

    const warn = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
    const read = await new ModelCallCache(dir, 'read').call(backbone, request());
    expect(read.cached).toBe(false);
    expect(backbone.calls).toBe(2);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ file }), expect.stringMatching(/corrupt/));

    const rewritten = await writer.call(backbone, request());
    expect(rewritten.cached).toBe(false);
    expect((await writer.call(backbone, request())).response.text).toBe('answer 3');
  });

  it('treats a well-formed entry under the wrong name or with a bad response as corrupt', async () => {
    const backbone = new CountingBackbone();
    const writer = new ModelCallCache(dir, 'write');
    const { hash } = await writer.call(backbone, request());
    const file = writer.pathOf(hash);
    const entry = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;

    await writeFile(file, JSON.stringify({ ...entry, hash: 'f'.repeat(64) }));
    await expect(new ModelCallCache(dir, 'strict').call(backbone, request())).rejects.toThrow(/corrupt/);

    vi.spyOn(log, 'warn').mockImplementation(() => undefined);
    await writeFile(file, JSON.stringify({ ...entry, response: { text: 1 } }));
    await expect(new ModelCallCache(dir, 'strict').call(backbone, request())).rejects.toThrow(/response/);
    expect((await new ModelCallCache(dir, 'read').call(backbone, request())).cached).toBe(false);
  });
});
