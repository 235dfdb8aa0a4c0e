import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Backbone } from '../../agent/backbone.ts';
import { AnthropicBackbone } from '../../agent/backbones/anthropic.ts';
import { OpenAIBackbone } from '../../agent/backbones/openai.ts';
import { investigate, type InvestigateOptions } from '../../agent/investigate.ts';
import { renderReport } from '../../agent/report/index.ts';
import { readRun } from '../../agent/transcript/read.ts';
import { verifyRun } from '../../agent/verify.ts';
import { startMockLlmServer, sequence, type MockLlmServer, type MockReply } from './mock-llm/server.ts';

/**
 * Full investigations through the real SDK clients against the local mock of each API: tool calls
 * whose results carry images, a malformed call, a 429 then success, a budget stop; then the recorded
 * run re-executes from the model-call cache with no server, replays, and verifies with no divergence.
 * The API key never reaches the run directory, the cache or the report.
 */

const SECRET = 'sk-test-SECRET-aia-4242';
const SUBJECT = 'synthetic:maia/mono-dog';
const cacheDir = mkdtempSync(join(tmpdir(), 'aia-e2e-cache-'));
let mock: MockLlmServer | undefined;

afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

type Provider = 'anthropic' | 'openai';

function backboneFor(provider: Provider, server: MockLlmServer): Backbone {
  const retry = { baseDelayMs: 1, maxDelayMs: 5 };
  return provider === 'anthropic'
    ? new AnthropicBackbone({ apiKey: SECRET, model: 'claude-sonnet-4-5', baseURL: server.url, retry })
    : new OpenAIBackbone({ apiKey: SECRET, model: 'gpt-4.1', baseURL: server.openaiBaseURL, retry });
}

function options(backbone: Backbone, extra: Partial<InvestigateOptions> = {}): InvestigateOptions {
  return {
    subject: SUBJECT,
    unit: 'synthetic:0',
    question: 'What does this unit detect?',
    backbone,
    runDir: mkdtempSync(join(tmpdir(), 'aia-e2e-run-')),
    cacheDir,
    probeSetSize: 40,
    progress: false,
    ...extra,
  };
}

/** Every file under a directory, as text. */
function allText(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => readFileSync(path, 'latin1'))
    .join('\n');
}

const investigation = (provider: Provider): MockReply[] => [
  {
    text: 'Start with the subject and two scenes.',
    toolCalls: [
      { name: 'describe_subject', input: {} },
      {
        name: 'render_scenes',
        input: { stimuli: ['a dog on grass', 'a cat on grass'] },
      },
      provider === 'openai'
        ? { name: 'render_scenes', rawArguments: '{"stimuli": ["a dog"' }
        : { name: 'peek_at_weights', input: {} },
    ],
  },
  { error: { status: 429, retryAfter: 0, message: 'rate limited' } },
  {
    text: 'The dog scene drives it.',
    toolCalls: [
      { name: 'record_hypothesis', input: { text: 'detects dogs', status: 'supported', evidence: ['c2'] } },
    ],
  },
  {
    toolCalls: [
      {
        name: 'submit_answer',
        input: { description: 'dogs', formula: 'dog', confidence: 0.8, evidence: ['h1', 'c2'] },
      },
    ],
  },
];

describe.each(['anthropic', 'openai'] as const)('an investigation through the %s API', (provider) => {
  it('runs to an answer, records it, re-executes offline, replays and verifies', async () => {
    mock = await startMockLlmServer(sequence(...investigation(provider)));
    const first = await investigate(options(backboneFor(provider, mock), { cacheMode: 'write' }));
    expect(first.status).toBe('answered');
    expect(first.answer?.formula).toBe('dog');
    expect(first.toolCalls).toBe(5);
    expect(first.usage.inputTokens).toBeGreaterThan(0);
    expect(first.costUsd).toBeGreaterThan(0);

    // 4 scripted turns, one of them a 429 that was retried.
    const calls = mock.calls();
    expect(calls).toHaveLength(4);
    // The model never sees the synthetic reference, which names the unit's concept.
    for (const call of calls) expect(JSON.stringify(call.body)).not.toContain('mono-dog');
    expect(mock.requests.filter((r) => r.status === 429)).toHaveLength(1);
    // The turn after the renders carries their images where the API wants them, and the malformed
    // call's error text.
    const body = JSON.stringify(calls[2]?.body);
    expect(body).toContain(provider === 'anthropic' ? '"type":"tool_result"' : '"role":"tool"');
    expect(body).toContain(provider === 'anthropic' ? '"type":"base64"' : 'data:image/png;base64,');
    expect(body).toContain(provider === 'anthropic' ? "unknown tool 'peek_at_weights'" : 'not valid JSON');

    const run = readRun(first.runDir);
    expect(run.header.status).toBe('answered');
    expect(run.events.filter((e) => e.type === 'tool_call')).toHaveLength(5);

    // Re-executed from the model-call cache with the server gone: the same answer, no network.
    await mock.close();
    mock = undefined;
    const offline = await investigate(
      options(
        backboneFor(provider, {
          url: 'http://127.0.0.1:9',
          openaiBaseURL: 'http://127.0.0.1:9/v1',
        } as MockLlmServer),
        {
          cacheMode: 'strict',
        },
      ),
    );
    expect(offline.status).toBe('answered');
    expect(offline.answer).toEqual(first.answer);

    // Replayed from the transcript, and every tool call re-run with identical results.
    const replay = await investigate(
      options('replay' as never, { backbone: 'replay', replayOf: first.runDir }),
    );
    expect(replay.answer).toEqual(first.answer);
    const verified = await verifyRun(first.runDir, { cacheDir });
    expect(verified.checked).toBe(5);
    expect(verified.divergences).toEqual([]);

    // The key is nowhere: transcript, blobs, header, cache, report.
    const html = renderReport(readRun(first.runDir));
    expect(html).toContain('dogs');
    for (const text of [allText(first.runDir), allText(offline.runDir), allText(cacheDir), html])
      expect(text).not.toContain(SECRET);
  });

  it('stops at the step budget and asks once, forcing submit_answer', async () => {
    const look: MockReply = { toolCalls: [{ name: 'describe_subject', input: {} }] };
    const answer: MockReply = {
      toolCalls: [
        { name: 'submit_answer', input: { description: 'unsure', confidence: 0.1, evidence: ['c1'] } },
      ],
    };
    mock = await startMockLlmServer(sequence(look, look, answer));
    const result = await investigate(
      options(backboneFor(provider, mock), { cacheMode: 'off', budget: { maxSteps: 2 } }),
    );
    expect(result.status).toBe('answered');
    expect(result.steps).toBe(3);
    const forced = mock.calls()[2]?.body as Record<string, unknown>;
    expect(forced.tool_choice).toEqual(
      provider === 'anthropic'
        ? { type: 'tool', name: 'submit_answer' }
        : { type: 'function', function: { name: 'submit_answer' } },
    );
    const run = readRun(result.runDir);
    expect(run.events.some((e) => e.type === 'budget' && e.limit === 'steps')).toBe(true);
  });
});
