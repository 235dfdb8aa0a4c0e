import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveBackbone } from '../../../agent/backbones/index.ts';
import { parseLangChainModel } from '../../../agent/backbones/langchain-init.ts';
import { investigate } from '../../../agent/investigate.ts';
import { readRun } from '../../../agent/transcript/read.ts';
import { verifyRun } from '../../../agent/verify.ts';
import { cliRunner } from '../../helpers/cli.ts';
import { sequence, startMockLlmServer, type MockLlmServer, type MockReply } from '../mock-llm/server.ts';

/**
 * `--backbone langchain --model <provider>:<model>`: initChatModel builds the provider's chat model
 * (@langchain/anthropic, @langchain/openai), pointed at the local mock of each API through the same
 * environment variables the other backbones read, and a whole investigation runs through it. A
 * provider whose package is not installed is refused with the package's name before anything runs.
 */

const SECRET = 'sk-test-langchain-SECRET-77';
const cacheDir = mkdtempSync(join(tmpdir(), 'aia-lc-cache-'));
let mock: MockLlmServer | undefined;

afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

const investigation: MockReply[] = [
  {
    text: 'Look at two scenes.',
    toolCalls: [{ name: 'render_scenes', input: { stimuli: ['a dog on grass', 'a cat on grass'] } }],
  },
  {
    toolCalls: [
      { name: 'record_hypothesis', input: { text: 'dogs', status: 'supported', evidence: ['c1'] } },
    ],
  },
  {
    toolCalls: [
      {
        name: 'submit_answer',
        input: { description: 'dogs', formula: 'dog', confidence: 0.7, evidence: ['h1', 'c1'] },
      },
    ],
  },
];

function envFor(provider: 'anthropic' | 'openai', server: MockLlmServer): NodeJS.ProcessEnv {
  return provider === 'anthropic'
    ? { ANTHROPIC_API_KEY: SECRET, ANTHROPIC_BASE_URL: server.url }
    : { OPENAI_API_KEY: SECRET, OPENAI_BASE_URL: server.openaiBaseURL };
}

describe('the langchain backbone by name', () => {
  it.each([
    ['anthropic', 'claude-sonnet-4-5'],
    ['openai', 'gpt-4.1'],
  ] as const)('runs an investigation through %s via initChatModel', async (provider, model) => {
    mock = await startMockLlmServer(sequence(...investigation), { apiKey: SECRET });
    const result = await investigate({
      subject: 'synthetic:maia/mono-dog',
      unit: 'synthetic:0',
      question: 'What does this unit detect?',
      backbone: 'langchain',
      model: `${provider}:${model}`,
      env: envFor(provider, mock),
      runDir: mkdtempSync(join(tmpdir(), 'aia-lc-run-')),
      cacheDir,
      cacheMode: 'off',
      probeSetSize: 40,
      progress: false,
    });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('answered');
    expect(result.answer?.formula).toBe('dog');
    // Every request reached the provider's own endpoint, and the one after the renders carried images.
    const calls = mock.calls();
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((call) => call.provider))).toEqual(new Set([provider]));
    expect(JSON.stringify(calls[1]?.body)).toContain(
      provider === 'anthropic' ? '"type":"base64"' : 'data:image/png;base64,',
    );
    const run = readRun(result.runDir);
    expect(run.header.config).toMatchObject({ backbone: 'langchain', model });
    expect((await verifyRun(result.runDir, { cacheDir })).divergences).toEqual([]);
    // The key reached the mock (it checks it) and nothing of the run.
    for (const name of readdirSync(result.runDir, { recursive: true, encoding: 'utf8' }))
      if (name.endsWith('.json') || name.endsWith('.jsonl'))
        expect(readFileSync(join(result.runDir, name), 'utf8')).not.toContain(SECRET);
  });

  it('names the package a provider needs when it is not installed, and explains a bad --model', async () => {
    const options = { question: 'q', seed: 1, env: {} };
    await expect(
      resolveBackbone('langchain', { ...options, model: 'google-genai:gemini-2.5-flash' }),
    ).rejects.toThrow(
      "the LangChain provider 'google-genai' needs the package @langchain/google-genai, which is not installed: npm install @langchain/google-genai",
    );
    expect(() => parseLangChainModel('claude-sonnet-4-5')).toThrow(/is not <provider>:<model>/);
    expect(() => parseLangChainModel('nosuch:model')).toThrow(
      /unknown LangChain provider 'nosuch'.*providers: openai, anthropic/,
    );
    expect(() => parseLangChainModel(undefined)).toThrow(/needs --model <provider>:<model>/);
    await expect(
      resolveBackbone('langchain', { ...options, model: 'anthropic:claude-sonnet-4-5' }),
    ).rejects.toThrow(
      'the langchain backbone with provider anthropic needs ANTHROPIC_API_KEY in the environment',
    );
  });

  it('completes `aia ask --backbone langchain --model anthropic:…` against the mock', async () => {
    mock = await startMockLlmServer(sequence(...investigation), { apiKey: SECRET });
    // The runner takes the environment as it is when made.
    process.env.ANTHROPIC_BASE_URL = mock.url;
    process.env.ANTHROPIC_API_KEY = SECRET;
    let result;
    try {
      const { dir, aia } = cliRunner('aia-lc-cli-');
      result = await aia(
        'ask',
        'synthetic:maia/mono-dog',
        'What does this unit detect?',
        '--unit',
        'synthetic:0',
        '--backbone',
        'langchain',
        '--model',
        'anthropic:claude-sonnet-4-5',
        '--probe-set-size',
        '40',
        '--cache',
        'off',
        '--out',
        join(dir, 'run'),
        '--json',
      );
    } finally {
      delete process.env.ANTHROPIC_BASE_URL;
      delete process.env.ANTHROPIC_API_KEY;
    }
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { status: string; answer: { formula: string } };
    expect(parsed.status).toBe('answered');
    expect(parsed.answer.formula).toBe('dog');
  });
});
