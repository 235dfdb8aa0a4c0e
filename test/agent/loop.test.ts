import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backbone, ModelRequest, ModelResponse, ToolCall } from '../../agent/backbone.ts';
import { DEFAULT_BUDGET } from '../../agent/budget.ts';
import { hashValue } from '../../agent/hash.ts';
import { runLoop, type LoopOptions } from '../../agent/loop.ts';
import { RUN_FORMAT, type RunHeader } from '../../agent/transcript/header.ts';
import { TranscriptWriter } from '../../agent/transcript/writer.ts';
import type { RunEvent } from '../../agent/transcript/events.ts';
import { createToolContext, createVisionRegistry, visionTools, type ToolContext } from '../../tools/index.ts';
import { ToolRegistry } from '../../tools/registry.ts';
import { defineTool } from '../../tools/tool.ts';
import { z } from 'zod';

/** A backbone that plays a fixed script of turns and keeps every request it was sent. */
class ScriptedBackbone implements Backbone {
  readonly name = 'scripted';
  readonly model = 'scripted-1';
  readonly requests: ModelRequest[] = [];
  private turn = 0;
  constructor(private readonly script: (request: ModelRequest, turn: number) => ToolCall[]) {}
  next(request: ModelRequest): Promise<ModelResponse> {
    this.requests.push(request);
    const toolCalls = this.script(request, this.turn++);
    return Promise.resolve({
      text: `turn ${this.turn}`,
      toolCalls,
      stopReason: toolCalls.length ? 'tool_calls' : 'end_turn',
      usage: { inputTokens: 100, outputTokens: 10 },
      model: this.model,
    });
  }
}

const call = (id: string, name: string, args: unknown): ToolCall => ({
  id,
  name,
  arguments: typeof args === 'string' ? args : JSON.stringify(args),
});

const cacheDir = mkdtempSync(join(tmpdir(), 'aia-loop-cache-'));
let context: ToolContext;

beforeAll(async () => {
  context = await createToolContext('synthetic:maia/mono-dog', {
    cacheDir,
    probeSetSize: 40,
    progress: false,
  });
});
afterAll(async () => {
  await context.dispose();
});

function header(): RunHeader {
  return {
    format: RUN_FORMAT,
    id: 'test',
    createdAt: new Date().toISOString(),
    versions: { aia: '0', node: process.version },
    subject: { ref: 'synthetic:maia/mono-dog', hash: context.probe.hash, files: [] },
    question: 'what does it detect?',
    config: {
      backbone: 'scripted',
      model: 'scripted-1',
      seed: 1,
      budget: {},
      context: { maxImages: 4, maxRequestTokens: 100_000 },
      cacheMode: 'off',
    },
    status: 'running',
  };
}

async function run(backbone: ScriptedBackbone, overrides: Partial<LoopOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'aia-loop-run-'));
  const transcript = new TranscriptWriter(dir, header());
  context.hypotheses.length = 0;
  context.answer = undefined;
  context.knownRefs = new Set();
  const result = await runLoop({
    backboneName: backbone.name,
    model: backbone.model,
    callModel: async (request) => ({
      response: await backbone.next(request),
      cached: false,
      hash: hashValue(request.messages.length),
    }),
    registry: createVisionRegistry(),
    context,
    transcript,
    system: 'system',
    task: 'task',
    budget: DEFAULT_BUDGET,
    window: { maxImages: 4, maxRequestTokens: 100_000 },
    cost: (usage) => usage.inputTokens * 1e-6,
    maxOutputTokensPerCall: 1000,
    ...overrides,
  });
  transcript.close();
  const events = readFileSync(join(dir, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RunEvent);
  return { dir, result, events };
}

describe('the agent loop', () => {
  it('runs tool calls, returns malformed calls to the model as errors, and ends on submit_answer', async () => {
    const backbone = new ScriptedBackbone((_request, turn) => {
      if (turn === 0)
        return [
          call('a', 'describe_subject', {}),
          call('b', 'render_scenes', '{"stimuli": ["a dog"'),
          call('c', 'no_such_tool', {}),
          call('d', 'render_scenes', { stimuli: 'a dog' }),
        ];
      if (turn === 1)
        return [
          call('e', 'record_hypothesis', { text: 'dogs', evidence: ['c1'] }),
          call('f', 'record_hypothesis', { text: 'cats', evidence: ['c99'] }),
        ];
      return [
        call('g', 'submit_answer', {
          description: 'dogs',
          formula: 'dog',
          confidence: 0.9,
          evidence: ['h1', 'c1'],
        }),
      ];
    });
    const { result, events, dir } = await run(backbone);
    expect(result.status).toBe('answered');
    expect(result.steps).toBe(3);
    expect(result.toolCalls).toBe(7);
    expect(result.costUsd).toBeCloseTo(300e-6, 10);

    // What the model read back after the first turn: each result prefixed with its evidence id.
    const second = backbone.requests[1]!;
    const toolMessage = second.messages.find((m) => m.role === 'tool');
    expect(toolMessage?.role).toBe('tool');
    if (toolMessage?.role !== 'tool') return;
    const texts = toolMessage.results.map((r) => r.text);
    expect(texts[0]).toMatch(/^\[c1\] /);
    expect(texts[1]).toMatch(/^\[c2\] error: arguments for render_scenes are not valid JSON/);
    expect(texts[2]).toMatch(/^\[c3\] error: unknown tool 'no_such_tool'/);
    expect(texts[3]).toMatch(/^\[c4\] error: invalid arguments for render_scenes: stimuli/);
    expect(toolMessage.results.map((r) => r.isError)).toEqual([false, true, true, true]);

    const toolEvents = events.filter((e) => e.type === 'tool_call');
    expect(toolEvents.map((e) => e.type === 'tool_call' && e.ref)).toEqual([
      'c1',
      'c2',
      'c3',
      'c4',
      'c5',
      'c6',
      'c7',
    ]);
    // Unknown evidence is refused, naming the bad id; the known one is accepted.
    const refused = toolEvents[5];
    expect(refused?.type === 'tool_call' && refused.ok).toBe(false);
    expect(refused?.type === 'tool_call' && refused.text).toMatch(/unknown evidence id 'c99'/);
    expect(events.filter((e) => e.type === 'hypothesis')).toHaveLength(1);
    const answer = events.find((e) => e.type === 'answer');
    expect(answer?.type === 'answer' && answer.answer.formula).toBe('dog');
    expect(events[events.length - 1]?.type).toBe('run_end');
    // Every image of every result is a blob.
    for (const event of toolEvents)
      if (event.type === 'tool_call')
        for (const image of event.images)
          expect(existsSync(join(dir, 'blobs', `${image.sha256}.png`))).toBe(true);
  });

  it('asks once for the final answer when the step budget runs out, forcing submit_answer', async () => {
    const backbone = new ScriptedBackbone((request) =>
      request.toolChoice === 'auto'
        ? [call('x', 'describe_subject', {})]
        : [call('y', 'submit_answer', { description: 'not sure', confidence: 0.2 })],
    );
    const { result, events } = await run(backbone, { budget: { ...DEFAULT_BUDGET, maxSteps: 3 } });
    expect(result.steps).toBe(4);
    expect(result.status).toBe('answered');
    const budget = events.find((e) => e.type === 'budget');
    expect(budget?.type === 'budget' && budget.limit).toBe('steps');
    const last = backbone.requests[backbone.requests.length - 1]!;
    expect(last.toolChoice).toEqual({ name: 'submit_answer' });
    expect(last.tools.map((t) => t.name)).toEqual(['submit_answer']);
    const nudge = last.messages[last.messages.length - 1];
    expect(nudge?.role === 'user' && nudge.content[0]?.type === 'text' && nudge.content[0].text).toMatch(
      /budget is exhausted/,
    );
  });

  it('ends with status budget when the model ignores the final-answer turn', async () => {
    const backbone = new ScriptedBackbone(() => [call('x', 'describe_subject', {})]);
    const { result } = await run(backbone, { budget: { ...DEFAULT_BUDGET, maxCostUsd: 150e-6 } });
    expect(result.status).toBe('budget');
    expect(result.steps).toBe(3);
  });

  it('stops when the signal aborts and still closes the transcript with run_end', async () => {
    const controller = new AbortController();
    const backbone = new ScriptedBackbone((_r, turn) => {
      if (turn === 1) controller.abort();
      return [call(`t${turn}`, 'describe_subject', {})];
    });
    const { result, events } = await run(backbone, { signal: controller.signal });
    expect(result.status).toBe('interrupted');
    expect(result.steps).toBe(2);
    const end = events[events.length - 1];
    expect(end?.type === 'run_end' && end.status).toBe('interrupted');
  });

  it("counts tool time in the run's time budget: a call gets only what is left, later ones are not run", async () => {
    const sleepTool = defineTool({
      name: 'sleep',
      description: 'Waits, checking its signal.',
      input: z.strictObject({ ms: z.number() }),
      async execute(args: { ms: number }, _ctx: ToolContext, { signal }) {
        for (let waited = 0; waited < args.ms; waited += 10) {
          signal.throwIfAborted();
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        return { text: `slept ${args.ms} ms`, images: [], data: null };
      },
    });
    const registry = new ToolRegistry<ToolContext>([...visionTools, sleepTool]);
    const backbone = new ScriptedBackbone((request) =>
      request.toolChoice === 'auto'
        ? [call('a', 'sleep', { ms: 600 }), call('b', 'sleep', { ms: 600 }), call('c', 'sleep', { ms: 10 })]
        : [call('z', 'submit_answer', { description: 'out of time', confidence: 0.1 })],
    );
    const { result, events } = await run(backbone, {
      registry,
      budget: { ...DEFAULT_BUDGET, maxWallSeconds: 0.9 },
    });
    const texts = events.flatMap((e) => (e.type === 'tool_call' ? [e.text] : []));
    expect(texts[0]).toBe('slept 600 ms');
    // What is left after the first call, if anything (a loaded machine may leave nothing), is all it gets.
    expect(texts[1]).toMatch(
      /^sleep (stopped after [\d.]+ s, its per-call time limit; ask for less|not run: the run's time budget \(0\.9 s\) is spent)$/,
    );
    expect(texts[2]).toBe("sleep not run: the run's time budget (0.9 s) is spent");
    // The forced final turn still records the answer.
    expect(texts[3]).toMatch(/^answer recorded: out of time/);
    const budget = events.find((e) => e.type === 'budget');
    expect(budget?.type === 'budget' && budget.detail).toMatch(
      /of 0\.9 s elapsed \([\d.]+ s of it in tool calls\)/,
    );
    const end = events.at(-1);
    expect(end?.type === 'run_end' && end.toolMs).toBeGreaterThanOrEqual(600);
    expect(result.status).toBe('answered');
  });

  it('gives up after two turns in a row without a tool call', async () => {
    const backbone = new ScriptedBackbone(() => []);
    const { result } = await run(backbone);
    expect(result.status).toBe('no_answer');
    expect(result.steps).toBe(2);
  });
});
