import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readResults, type ResultLine } from '../../../benchmarks/results.ts';
import { runBench, type BenchOptions } from '../../../benchmarks/runner.ts';
import type { BenchSummary } from '../../../benchmarks/summary.ts';
import type { TaskFunctions } from '../../../benchmarks/task-run.ts';
import { fakeRandomBaseline, fakeRunTask, fakeScore, fakeTasks } from './fixtures/fake-tasks.ts';

/** The runner in-process with fake agent and scorers: what it writes, how it resumes, what it refuses. */

const root = mkdtempSync(join(tmpdir(), 'aia-bench-runner-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(root, `run-${++dirs}`);

const tasks = fakeTasks(7);
const base = (out: string, extra: Partial<BenchOptions> = {}): BenchOptions => ({
  suite: { name: 'fake', ref: 'fake.json', tasks },
  out,
  backbone: 'fake',
  runTask: fakeRunTask,
  score: fakeScore,
  randomBaseline: fakeRandomBaseline,
  ...extra,
});

/** Results and summary without the fields that depend on when and how fast things ran. */
function comparable(lines: ResultLine[]): unknown[] {
  return lines.map(({ finishedAt: _f, wallMs: _w, ...rest }) => rest);
}
function comparableSummary(summary: BenchSummary): unknown {
  const { updatedAt: _u, createdAt: _c, cost, ...rest } = summary;
  const { wallMs: _w, meanWallMs: _m, elapsedMs: _e, ...counts } = cost;
  return { ...rest, cost: counts };
}

describe('runBench with injected task functions', () => {
  it('writes a transcript dir and a scored result line per task, the summary and both reports', async () => {
    const out = freshDir();
    const progress: number[] = [];
    const run = await runBench(base(out, { concurrency: 2, onProgress: (p) => progress.push(p.done) }));
    expect(run.ran).toBe(7);
    expect(run.interrupted).toBe(false);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7]);

    const lines = readResults(join(out, 'results.jsonl'));
    expect(lines.map((l) => l.id).sort()).toEqual(tasks.map((t) => t.id));
    const first = lines.find((l) => l.id === 'task-00') as ResultLine;
    expect(first).toMatchObject({
      family: 'mono',
      status: 'answered',
      answer: { formula: 'concept0' },
      scorers: ['formula', 'concept'],
      usage: { inputTokens: 100, outputTokens: 10 },
      toolCalls: 3,
      runDir: join('tasks', 'task-00'),
    });
    expect(first.scores.formula?.score).toBeGreaterThanOrEqual(0);
    expect(first.randomBaseline?.concept?.score).toBe(0.05);
    for (const task of tasks) expect(existsSync(join(out, 'tasks', task.id, 'marker.json'))).toBe(true);

    const summary = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as BenchSummary;
    expect(summary.complete).toBe(true);
    expect(summary.tasks).toMatchObject({ total: 7, finished: 7, answered: 7, errors: 0 });
    expect(Object.keys(summary.families)).toEqual(['mono', 'or', 'and']);
    expect(summary.families.mono?.tasks).toBe(3);
    // The headline is the mean of each task's first scorer.
    const formulaMean = lines.reduce((s, l) => s + (l.scores.formula?.score ?? 0), 0) / 7;
    expect(summary.overall.primary.mean).toBeCloseTo(formulaMean, 10);
    expect(summary.overall.scorers.concept?.chance).toBeCloseTo(0.1, 10);
    expect(summary.overall.scorers.concept?.randomBaseline).toBeCloseTo(0.05, 10);
    expect(summary.cost).toMatchObject({ inputTokens: 700, outputTokens: 70, toolCalls: 21, pricedTasks: 7 });
    expect(summary.cost.costUsd).toBeCloseTo(0.007, 10);

    const markdown = readFileSync(join(out, 'report.md'), 'utf8');
    expect(markdown).toMatch(/^# Benchmark fake: fake/);
    expect(markdown).toMatch(/## Where it fails/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/<h2>Where it fails<\/h2>/);
  });

  it('a rerun on the same directory skips finished tasks', async () => {
    const out = freshDir();
    await runBench(base(out, { limit: 3 }));
    let calls = 0;
    const counting: TaskFunctions['runTask'] = (request, signal) => {
      calls++;
      return fakeRunTask(request, signal);
    };
    const again = await runBench(base(out, { runTask: counting }));
    expect(again.skipped).toBe(3);
    expect(again.ran).toBe(4);
    expect(calls).toBe(4);
    expect(readResults(join(out, 'results.jsonl'))).toHaveLength(7);
    const header = JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8')) as { sessions: unknown[] };
    expect(header.sessions).toHaveLength(2);
  });

  it('stopped by its signal mid-suite, then resumed, it ends with the same results as an uninterrupted run', async () => {
    const reference = await runBench(base(freshDir()));

    const out = freshDir();
    const controller = new AbortController();
    let started = 0;
    const stopAfterThree: TaskFunctions['runTask'] = async (request, signal) => {
      // The fourth task is under way when the runner is told to stop: it must leave no result.
      if (++started === 4) controller.abort();
      return fakeRunTask(request, signal);
    };
    const partial = await runBench(base(out, { runTask: stopAfterThree, signal: controller.signal }));
    expect(partial.interrupted).toBe(true);
    expect(partial.ran).toBe(3);
    expect(readResults(join(out, 'results.jsonl')).map((l) => l.id)).toEqual([
      'task-00',
      'task-01',
      'task-02',
    ]);
    expect(partial.summary.complete).toBe(false);
    // The interrupted task left a transcript but no result line.
    expect(existsSync(join(out, 'tasks', 'task-03', 'marker.json'))).toBe(true);
    writeFileSync(join(out, 'tasks', 'task-03', 'stale.txt'), 'from the killed attempt');

    const seen: string[] = [];
    const checkClean: TaskFunctions['runTask'] = async (request, signal) => {
      seen.push(request.task.id);
      // An unfinished task's directory is cleared before it reruns.
      expect(readdirSync(request.runDir)).toEqual([]);
      return fakeRunTask(request, signal);
    };
    const resumed = await runBench(base(out, { runTask: checkClean }));
    expect(seen).toEqual(['task-03', 'task-04', 'task-05', 'task-06']);
    expect(resumed.skipped).toBe(3);
    expect(comparable(resumed.results)).toEqual(comparable(reference.results));
    expect(comparableSummary(resumed.summary)).toEqual(comparableSummary(reference.summary));
    expect(resumed.summary.complete).toBe(true);
  });

  it('a task whose agent throws is recorded as an error scored as no answer; --retry-errors reruns it', async () => {
    const out = freshDir();
    const broken = [...tasks.slice(0, 2), { ...tasks[2]!, id: 'task-boom' }];
    const run = await runBench(base(out, { suite: { name: 'fake', ref: 'fake', tasks: broken } }));
    const boom = run.results.find((l) => l.id === 'task-boom') as ResultLine;
    expect(boom.status).toBe('error');
    expect(boom.error).toMatch(/the agent crashed/);
    expect(boom.scores.formula?.score).toBe(0);
    expect(run.summary.tasks.errors).toBe(1);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/task-boom .*error: the agent crashed/);

    const kept = await runBench(base(out, { suite: { name: 'fake', ref: 'fake', tasks: broken } }));
    expect(kept.ran).toBe(0);
    const retried = await runBench(
      base(out, { suite: { name: 'fake', ref: 'fake', tasks: broken }, retryErrors: true }),
    );
    expect(retried.ran).toBe(1);
  });

  it('refuses to mix runs: another backbone in the same directory, duplicate task ids', async () => {
    const out = freshDir();
    await runBench(base(out, { limit: 1 }));
    await expect(runBench(base(out, { backbone: 'other' }))).rejects.toThrow(
      /different benchmark run.*backbone/,
    );
    await expect(
      runBench(base(freshDir(), { suite: { name: 'fake', ref: 'fake', tasks: [tasks[0]!, tasks[0]!] } })),
    ).rejects.toThrow(/appears twice/);
    await expect(
      runBench(
        base(freshDir(), {
          suite: {
            name: 'fake',
            ref: 'fake',
            tasks: [
              { ...tasks[0]!, id: 'a/b' },
              { ...tasks[1]!, id: 'a_b' },
            ],
          },
        }),
      ),
    ).rejects.toThrow(/same directory name/);
  });
});
