import { afterAll, describe, expect, it } from 'vitest';
import type { Backbone, ModelRequest, ModelResponse } from '../../../agent/backbone.ts';
import { scoreAnswer } from '../../../benchmarks/scorers/index.ts';
import { heldOutData, releaseHeldOut } from '../../../benchmarks/scorers/held-out.ts';
import {
  DEFAULT_JUDGE_TRIALS,
  judgeTrials,
  parseJudgeLetter,
  scoreJudge,
} from '../../../benchmarks/scorers/judge.ts';
import { TEST_CACHE, unitTask } from './fixtures.ts';

/** A judge that replies from a script and keeps what it was asked. */
class ScriptedJudge implements Backbone {
  readonly name = 'scripted';
  readonly model = 'scripted-judge';
  readonly requests: ModelRequest[] = [];
  constructor(private readonly replies: string[]) {}
  async next(request: ModelRequest): Promise<ModelResponse> {
    this.requests.push(request);
    const text = this.replies[this.requests.length - 1] ?? '';
    return {
      text,
      toolCalls: [],
      stopReason: 'end_turn',
      usage: { inputTokens: 1, outputTokens: 1 },
      model: this.model,
    };
  }
}

const task = unitTask(
  'judge-animal',
  { family: 'mono', concept: 'animal' },
  { scorers: ['judge', 'concept'], concepts: ['animal'] },
);
const options = { cacheDir: TEST_CACHE };
afterAll(() => releaseHeldOut());

describe('judge scorer', () => {
  it('scores a judge that always picks the driving image 1, and shows it the description and three images', async () => {
    const data = await heldOutData(task, TEST_CACHE);
    const trials = judgeTrials(task, data, DEFAULT_JUDGE_TRIALS);
    if (typeof trials === 'string') throw new Error(trials);
    const judge = new ScriptedJudge(trials.map((t) => 'ABC'[t.answer] ?? ''));
    const result = await scoreJudge(task, { description: 'Fires on animals.' }, { ...options, judge });
    expect(result.score).toBe(1);
    expect(result.chance).toBeCloseTo(1 / 3);
    expect(judge.requests).toHaveLength(DEFAULT_JUDGE_TRIALS);
    const content =
      judge.requests[0]?.messages[0]?.role === 'user' ? judge.requests[0].messages[0].content : [];
    expect(content.filter((part) => part.type === 'image')).toHaveLength(3);
    expect(content[0]?.type === 'text' && content[0].text).toContain('Fires on animals.');
    // The driving image really drives the unit; the others are silent.
    for (const trial of trials) {
      trial.scenes.forEach((scene, position) => {
        if (position === trial.answer) expect(data.truth[scene]).toBeGreaterThan(data.threshold);
        else expect(data.truth[scene]).toBeLessThan(data.threshold);
      });
    }
  });

  it('scores wrong and unreadable replies as misses, and is the same test for every answer', async () => {
    const data = await heldOutData(task, TEST_CACHE);
    const trials = judgeTrials(task, data, DEFAULT_JUDGE_TRIALS);
    if (typeof trials === 'string') throw new Error(trials);
    expect(judgeTrials(task, data, DEFAULT_JUDGE_TRIALS)).toEqual(trials);
    const judge = new ScriptedJudge(
      trials.map((t, i) => (i === 0 ? 'I cannot tell' : ('ABC'[(t.answer + 1) % 3] ?? ''))),
    );
    const result = await scoreJudge(task, { description: 'cars' }, { ...options, judge });
    expect(result.score).toBe(0);
    expect(result.detail).toMatch(/1 reply named no letter/);
  });

  it('runs only when a judge is configured', async () => {
    const without = await scoreAnswer(task, { description: 'animals' }, options);
    expect(Object.keys(without)).toEqual(['concept']);
    const judge = new ScriptedJudge(Array(DEFAULT_JUDGE_TRIALS).fill('A'));
    const withJudge = await scoreAnswer(task, { description: 'animals' }, { ...options, judge });
    expect(Object.keys(withJudge)).toEqual(['judge', 'concept']);
  });
});

describe('parseJudgeLetter', () => {
  it('reads a bare letter or a stated answer, not an article', () => {
    expect(parseJudgeLetter('B')).toBe('B');
    expect(parseJudgeLetter(' (C). ')).toBe('C');
    expect(parseJudgeLetter('The answer is A.')).toBe('A');
    expect(parseJudgeLetter('A dog is in image C')).toBe('C');
    expect(parseJudgeLetter('none of them')).toBeUndefined();
  });
});
