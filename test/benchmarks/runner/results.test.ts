import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BENCH_FORMAT, type BenchHeader } from '../../../benchmarks/bench-dir.ts';
import {
  appendResult,
  readResults,
  repairResults,
  RESULT_FORMAT,
  type ResultLine,
} from '../../../benchmarks/results.ts';
import { summarize } from '../../../benchmarks/summary.ts';

/** results.jsonl survives kills (a torn last line is dropped, then cut) and sums up as documented. */

const root = mkdtempSync(join(tmpdir(), 'aia-bench-results-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function line(
  id: string,
  family: string,
  scores: ResultLine['scores'],
  extra: Partial<ResultLine> = {},
): ResultLine {
  return {
    format: RESULT_FORMAT,
    id,
    family,
    subject: 'synthetic:x',
    question: 'q',
    truth: { description: 'fires on dogs', formula: 'dog' },
    scorers: ['formula', 'concept'],
    status: 'answered',
    answer: { description: 'dogs', formula: 'dog', confidence: 1, evidence: [] },
    scores,
    usage: { inputTokens: 10, outputTokens: 1 },
    steps: 1,
    toolCalls: 2,
    wallMs: 1000,
    runDir: `tasks/${id}`,
    finishedAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

describe('results.jsonl', () => {
  it('reads back what was appended; a later line for the same task wins', () => {
    const path = join(root, 'a.jsonl');
    appendResult(path, line('t1', 'mono', { formula: { score: 0.2 } }));
    appendResult(path, line('t2', 'mono', { formula: { score: 0.4 } }));
    appendResult(path, line('t1', 'mono', { formula: { score: 0.9 } }));
    const lines = readResults(path);
    expect(lines.map((l) => [l.id, l.scores.formula?.score])).toEqual([
      ['t2', 0.4],
      ['t1', 0.9],
    ]);
    expect(readResults(join(root, 'missing.jsonl'))).toEqual([]);
  });

  it('drops a last line torn by a kill, and repair cuts it so the next append starts clean', () => {
    const path = join(root, 'torn.jsonl');
    appendResult(path, line('t1', 'mono', { formula: { score: 0.5 } }));
    const whole = JSON.stringify(line('t2', 'or', { formula: { score: 0.5 } }));
    appendFileSync(path, whole.slice(0, 40));
    expect(readResults(path).map((l) => l.id)).toEqual(['t1']);
    repairResults(path);
    appendResult(path, line('t3', 'or', { formula: { score: 0.1 } }));
    expect(readResults(path).map((l) => l.id)).toEqual(['t1', 't3']);
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('a corrupt line before the last is an error naming its line', () => {
    const path = join(root, 'corrupt.jsonl');
    writeFileSync(path, `not json\n${JSON.stringify(line('t1', 'mono', {}))}\n`);
    expect(() => readResults(path)).toThrow(/corrupt\.jsonl:1: not JSON/);
  });
});

describe('summary', () => {
  const header: BenchHeader = {
    format: BENCH_FORMAT,
    suite: 's',
    suiteRef: 's',
    backbone: 'b',
    seed: 1,
    taskIds: ['a', 'b', 'c', 'd'],
    createdAt: '2026-01-01T00:00:00.000Z',
    sessions: [
      { startedAt: 'x', elapsedMs: 3000, concurrency: 2, finished: 2, interrupted: true },
      { startedAt: 'y', elapsedMs: 1000, concurrency: 2, finished: 1, interrupted: false },
    ],
  };
  const lines = [
    line(
      'a',
      'mono',
      { formula: { score: 0.8, chance: 0 }, concept: { score: 1, chance: 0.1 } },
      {
        randomBaseline: { formula: { score: 0.1 }, concept: { score: 0 } },
        costUsd: 0.5,
      },
    ),
    line(
      'b',
      'mono',
      { formula: { score: 0.4, chance: 0 }, concept: { score: 0.5, chance: 0.1 } },
      {
        randomBaseline: { formula: { score: 0.3 }, concept: { score: 0 } },
      },
    ),
    // Failed before scoring: counts as 0 for both of its scorers.
    line('c', 'or', {}, { status: 'error', error: 'boom', toolCalls: 0 }),
    line('x', 'or', { formula: { score: 1 } }), // not a task of this run: ignored
  ];

  it('means per family and scorer, failures as 0, chance and baseline beside, cost summed', () => {
    const summary = summarize(header, lines);
    expect(summary.complete).toBe(false);
    expect(summary.tasks).toEqual({ total: 4, finished: 3, answered: 2, noAnswer: 0, budget: 0, errors: 1 });
    expect(summary.families.mono?.primary.mean).toBeCloseTo(0.6, 10);
    expect(summary.families.mono?.primary.randomBaseline).toBeCloseTo(0.2, 10);
    expect(summary.families.mono?.scorers.concept).toMatchObject({ n: 2, mean: 0.75 });
    expect(summary.families.mono?.scorers.concept?.chance).toBeCloseTo(0.1, 10);
    expect(summary.families.or?.primary).toEqual({ n: 1, mean: 0 });
    expect(summary.overall.primary.mean).toBeCloseTo(0.4, 10);
    expect(summary.overall.scorers.concept?.n).toBe(3);
    expect(summary.overall.scorers.concept?.mean).toBeCloseTo(0.5, 10);
    expect(summary.cost).toMatchObject({
      inputTokens: 30,
      outputTokens: 3,
      costUsd: 0.5,
      pricedTasks: 1,
      toolCalls: 4,
      wallMs: 3000,
      meanWallMs: 1000,
      elapsedMs: 4000,
    });
  });
});
