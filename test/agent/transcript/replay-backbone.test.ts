import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelRequest } from '../../../agent/backbone.ts';
import { ReplayBackbone } from '../../../agent/backbones/replay.ts';
import { readRun } from '../../../agent/transcript/read.ts';
import { MONO_DOG_SCRIPT, recordRun } from '../helpers/record-run.ts';

/** The replay backbone gives back a recorded run's model outputs, in order, and nothing more. */

const root = mkdtempSync(join(tmpdir(), 'aia-replay-'));
const runDir = join(root, 'run');
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  await recordRun({
    dir: runDir,
    subject: 'synthetic:maia/mono-dog',
    cacheDir: join(root, 'cache'),
    steps: MONO_DOG_SCRIPT,
  });
});

const request: ModelRequest = {
  system: '',
  messages: [],
  tools: [],
  maxOutputTokens: 100,
  toolChoice: 'auto',
};

describe('ReplayBackbone', () => {
  it('returns each recorded model response in order, then refuses with the step it diverged at', async () => {
    const backbone = ReplayBackbone.fromRun(runDir);
    expect(backbone.name).toBe('replay');
    expect(backbone.model).toBe('scripted-model');
    expect(backbone.length).toBe(4);
    const recorded = readRun(runDir).events.filter((e) => e.type === 'model_call');
    for (const [i, event] of recorded.entries()) {
      const response = await backbone.next(request);
      expect(response).toEqual({
        text: event.response.text,
        toolCalls: event.response.toolCalls,
        stopReason: event.response.stopReason,
        usage: event.usage,
        model: event.response.model,
      });
      expect(backbone.used).toBe(i + 1);
    }
    const first = await ReplayBackbone.fromRun(runDir).next(request);
    expect(first.toolCalls).toEqual([{ id: 'toolu_1_0', name: 'describe_subject', arguments: '{}' }]);
    expect(first.stopReason).toBe('tool_calls');
    await expect(backbone.next(request)).rejects.toThrow(
      /^replay diverged at step 5: .*run recorded only 4 model calls, and the loop asked for another$/,
    );
  });

  it('exposes the recorded request hashes; an unknown stop reason becomes other; abort is honoured', async () => {
    const run = readRun(runDir);
    const backbone = new ReplayBackbone(run.events);
    expect(backbone.requestHashes).toEqual(
      run.events.flatMap((e) => (e.type === 'model_call' ? [e.requestHash] : [])),
    );
    expect(backbone.recordedRequestHash(1)).toBe(backbone.requestHashes[1]);
    expect(backbone.recordedRequestHash(9)).toBeUndefined();

    const odd = run.events.map((e) =>
      e.type === 'model_call' ? { ...e, response: { ...e.response, stopReason: 'content_filter' } } : e,
    );
    expect((await new ReplayBackbone(odd).next(request)).stopReason).toBe('other');

    const controller = new AbortController();
    controller.abort();
    await expect(backbone.next(request, { signal: controller.signal })).rejects.toThrow(/aborted/);
    expect(backbone.used).toBe(0);
  });
});
