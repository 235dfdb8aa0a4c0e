import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatAnthropic } from '@langchain/anthropic';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ToolMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { afterEach, describe, expect, it } from 'vitest';
import { langChainTools, type AiaToolArtifact } from '../../agent/langchain-tools.ts';
import { RecordedSession } from '../../agent/session.ts';
import { readRun } from '../../agent/transcript/read.ts';
import { verifyRun } from '../../agent/verify.ts';
import { projectPath } from '../../util/paths.ts';
import { investigateWithLangChain } from '../../scripts/examples/langchain-agent.ts';
import { sequence, startMockLlmServer, type MockLlmServer, type MockReply } from './mock-llm/server.ts';

/**
 * aia's tools as LangChain tools: text for the model, images and data as the artifact, every call
 * recorded in a run. The docs' createAgent example runs against the mock of each API, and its run
 * replays with no divergence.
 */

const SECRET = 'sk-test-lc-tools-SECRET-31';
const SUBJECT = 'synthetic:maia/mono-dog';
const cacheDir = mkdtempSync(join(tmpdir(), 'aia-lct-cache-'));
let mock: MockLlmServer | undefined;

afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

const agentScript: MockReply[] = [
  {
    text: 'Exemplars first.',
    toolCalls: [{ name: 'dataset_exemplars', input: { unit: 'synthetic:0', k: 4 } }],
  },
  { toolCalls: [{ name: 'render_scenes', input: { stimuli: 5 } }] },
  {
    toolCalls: [
      { name: 'record_hypothesis', input: { text: 'dogs', status: 'supported', evidence: ['c1'] } },
    ],
  },
  {
    toolCalls: [
      {
        name: 'submit_answer',
        input: { description: 'dogs', formula: 'dog', confidence: 0.8, evidence: ['h1', 'c1'] },
      },
    ],
  },
  { text: 'The unit detects dogs.' },
];

function modelFor(provider: 'anthropic' | 'openai', server: MockLlmServer): BaseChatModel {
  return provider === 'anthropic'
    ? new ChatAnthropic({
        model: 'claude-sonnet-4-5',
        apiKey: SECRET,
        anthropicApiUrl: server.url,
        maxRetries: 0,
      })
    : new ChatOpenAI({
        model: 'gpt-4.1',
        apiKey: SECRET,
        configuration: { baseURL: server.openaiBaseURL },
        maxRetries: 0,
      });
}

describe('aia tools as LangChain tools', () => {
  it('shows in docs/langchain.md the example the tests run', () => {
    const script = readFileSync(projectPath('scripts/examples/langchain-agent.ts'), 'utf8');
    const example = script.slice(
      script.indexOf('export async function'),
      script.indexOf('\nif (process.argv'),
    );
    const squash = (text: string) => text.replace(/\s+/g, '').replace(/,([)}\]])/g, '$1');
    expect(example.length).toBeGreaterThan(200);
    expect(squash(readFileSync(projectPath('docs/langchain.md'), 'utf8'))).toContain(squash(example));
  });

  it('returns the text as content and the images and data as the artifact, recording the call', async () => {
    const session = await RecordedSession.open({
      subject: SUBJECT,
      driver: 'langchain-tools',
      runsRoot: mkdtempSync(join(tmpdir(), 'aia-lct-runs-')),
      cacheDir,
      probeSetSize: 40,
    });
    try {
      const exemplars = langChainTools(session).find((t) => t.name === 'dataset_exemplars')!;
      const message: unknown = await exemplars.invoke({
        type: 'tool_call',
        id: 'call_1',
        name: 'dataset_exemplars',
        args: { unit: 'synthetic:0', k: 4 },
      });
      expect(message).toBeInstanceOf(ToolMessage);
      const tool = message as ToolMessage;
      expect(tool.content).toMatch(/^\[c1\] /);
      const artifact = tool.artifact as AiaToolArtifact;
      expect(artifact.ref).toBe('c1');
      expect(artifact.images.length).toBeGreaterThan(0);
      expect(artifact.images[0]!.png.subarray(1, 4).toString()).toBe('PNG');
      expect(artifact.data).toBeDefined();
      expect(readRun(session.info().runDir).events.filter((e) => e.type === 'tool_call')).toHaveLength(1);
    } finally {
      await session.close();
    }
  });

  it.each(['anthropic', 'openai'] as const)(
    "runs the docs' createAgent example through %s: a run that replays with no divergence",
    async (provider) => {
      mock = await startMockLlmServer(sequence(...agentScript), { apiKey: SECRET });
      const { reply, runDir } = await investigateWithLangChain(modelFor(provider, mock), {
        subject: SUBJECT,
        question: 'What does unit synthetic:0 detect?',
        runsRoot: mkdtempSync(join(tmpdir(), 'aia-lct-runs-')),
        cacheDir,
        probeSetSize: 40,
      });
      expect(reply).toBe('The unit detects dogs.');
      const requests = mock.calls().map((call) => JSON.stringify(call.body));
      expect(requests).toHaveLength(5);
      // The model was shown each tool's own JSON Schema.
      const first = mock.calls()[0]!.body as {
        tools: { name?: string; input_schema?: unknown; function?: { name: string; parameters: unknown } }[];
      };
      const schemas = first.tools.map((t) => [
        t.name ?? t.function?.name,
        t.input_schema ?? t.function?.parameters,
      ]);
      const exemplarSchema = schemas.find(([name]) => name === 'dataset_exemplars')?.[1] as {
        required?: string[];
      };
      expect(exemplarSchema.required).toEqual(['unit']);
      // The model read the text with its evidence ref, and the registry's error for the malformed call.
      expect(requests[1]).toContain('[c1] ');
      expect(requests[2]).toContain('invalid arguments for render_scenes: stimuli');
      // Images are the program's (the artifact), not the model's.
      expect(requests.join('')).not.toMatch(/image\/png|"type":"image"/);

      const run = readRun(runDir);
      expect(run.header.status).toBe('answered');
      expect(run.header.config.backbone).toBe('langchain-tools');
      const calls = run.events.filter((e) => e.type === 'tool_call');
      expect(calls.map((c) => [c.tool, c.ok])).toEqual([
        ['dataset_exemplars', true],
        ['render_scenes', false],
        ['record_hypothesis', true],
        ['submit_answer', true],
      ]);
      expect((await verifyRun(runDir, { cacheDir })).divergences).toEqual([]);
    },
  );
});
