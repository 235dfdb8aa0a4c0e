import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { OpenAIBackbone } from '../../../agent/backbones/openai.ts';
import { heldOutData, releaseHeldOut } from '../../../benchmarks/scorers/held-out.ts';
import { scoreAnswer } from '../../../benchmarks/scorers/index.ts';
import {
  chanceFloor,
  parseSimulation,
  scoreSimulation,
  simulationStimuli,
} from '../../../benchmarks/scorers/simulation.ts';
import { startMockLlmServer, type MockLlmServer, type ScriptRequest } from '../../agent/mock-llm/server.ts';
import { TEST_CACHE, unitTask } from './fixtures.ts';

/** Explain–simulate–score (Bills et al. 2023) through the real OpenAI SDK and the local mock API. */

const task = unitTask(
  'simulation-animal',
  { family: 'mono', concept: 'animal' },
  { scorers: ['simulation'] },
);
const options = { cacheDir: TEST_CACHE };
let server: MockLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(() => releaseHeldOut());

async function judgeReplying(reply: (request: ScriptRequest) => string) {
  server = await startMockLlmServer((request) => ({ text: reply(request) }), { apiKey: 'sk-test' });
  return {
    judge: new OpenAIBackbone({
      apiKey: 'sk-test',
      model: 'gpt-test',
      baseURL: server.openaiBaseURL,
      retry: { maxRetries: 0 },
    }),
    mock: server,
  };
}

describe('simulation scorer', () => {
  it('scores a judge that predicts the true activations near 1, and shows it the explanation and each image', async () => {
    const data = await heldOutData(task, TEST_CACHE);
    const stimuli = simulationStimuli(task, data);
    expect(stimuli).toHaveLength(10);
    // Five of them are the unit's top held-out scenes.
    const sorted = [...data.truth].sort((a, b) => b - a);
    const inTop = stimuli.filter((i) => (data.truth[i] ?? 0) >= sorted[4]!).length;
    expect(inTop).toBeGreaterThanOrEqual(5);
    const oracle = stimuli
      .map((i, k) => `${k + 1}: ${Math.round(((data.truth[i] ?? 0) / data.range) * 10)}`)
      .join('\n');
    const { judge, mock } = await judgeReplying(() => oracle);
    const result = await scoreSimulation(task, { description: 'Fires on animals.' }, { ...options, judge });
    expect(result.score).toBeGreaterThan(0.9);
    expect(result.metrics?.floor95).toBeGreaterThan(0.2);
    expect(result.metrics?.floor95).toBeLessThan(result.score);
    const body = mock.calls()[0]!.body as {
      messages: { content: string | { type: string; text?: string }[] }[];
    };
    const parts = body.messages.flatMap((m) => (Array.isArray(m.content) ? m.content : []));
    expect(parts.filter((p) => p.type === 'image_url')).toHaveLength(10);
    expect(parts.find((p) => p.type === 'text')?.text).toContain('Fires on animals.');
  });

  it('gives 0 to predictions that run against the unit and says when images were skipped', async () => {
    const data = await heldOutData(task, TEST_CACHE);
    const stimuli = simulationStimuli(task, data);
    const inverted = stimuli.map(
      (i, k) => `${k + 1}: ${10 - Math.round(((data.truth[i] ?? 0) / data.range) * 10)}`,
    );
    const { judge } = await judgeReplying(() => inverted.slice(0, 8).join('\n'));
    const result = await scoreSimulation(task, { description: 'cars' }, { ...options, judge });
    expect(result.score).toBe(0);
    expect(result.metrics?.r).toBeLessThan(0);
    expect(result.detail).toMatch(/2 image\(s\) without a prediction/);
  });

  it('runs only with a judge, and the stimuli are the same for every answer', async () => {
    expect(Object.keys(await scoreAnswer(task, { description: 'animals' }, options))).toEqual([]);
    const data = await heldOutData(task, TEST_CACHE);
    expect(simulationStimuli(task, data)).toEqual(simulationStimuli(task, data));
  });
});

describe('simulation replies and chance floor', () => {
  it('reads numbered predictions in the usual forms and clips them to 0..10', () => {
    expect(parseSimulation('1: 7\n2. 3\n3) 12\nImage 4 - 0.5\n5: x', 5)).toEqual([7, 3, 10, 0.5, undefined]);
  });

  it('puts the floor where random predictions rarely reach: higher for fewer stimuli', () => {
    const ten = chanceFloor([9, 8, 7, 7, 6, 1, 0, 0, 1, 0], 1);
    const forty = chanceFloor(
      Array.from({ length: 40 }, (_, i) => (i * 7) % 11),
      1,
    );
    expect(ten).toBeGreaterThan(0.35);
    expect(ten).toBeLessThan(0.75);
    expect(forty).toBeLessThan(ten);
  });
});
