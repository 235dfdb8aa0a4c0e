import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runPool } from '../../../benchmarks/pool.ts';
import { runBench } from '../../../benchmarks/runner.ts';
import { fakeTasks } from './fixtures/fake-tasks.ts';

/**
 * Concurrency is real parallelism: tasks whose work is synchronous CPU (as tool work is) run in
 * separate processes at the same time. Whether that is faster depends on free cores, so the test
 * checks the mechanism (distinct processes, overlapping in time); the speed-up is measured apart.
 */

const root = mkdtempSync(join(tmpdir(), 'aia-bench-concurrency-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Marker {
  pid: number;
  started: number;
  ended: number;
}

describe('concurrency', () => {
  it('runs CPU-bound tasks in two task processes at once, not in the runner', async () => {
    const out = join(root, 'two');
    const tasks = fakeTasks(4, 400);
    const run = await runBench({
      suite: { name: 'fake', ref: 'fake', tasks },
      out,
      backbone: 'fake',
      concurrency: 2,
      taskModule: fileURLToPath(new URL('./fixtures/fake-tasks.ts', import.meta.url)),
      report: false,
    });
    expect(run.ran).toBe(4);
    const markers = tasks.map(
      (task) => JSON.parse(readFileSync(join(out, 'tasks', task.id, 'marker.json'), 'utf8')) as Marker,
    );
    const pids = new Set(markers.map((m) => m.pid));
    expect(pids.size).toBe(2);
    expect(pids.has(process.pid)).toBe(false);
    // Two processes served four tasks (they are reused), and tasks of the two overlapped in time.
    const overlapping = markers.some((a) =>
      markers.some((b) => a.pid !== b.pid && Math.max(a.started, b.started) < Math.min(a.ended, b.ended)),
    );
    expect(overlapping).toBe(true);
  });

  it('a task process that cannot start fails the run with its reason, leaving no result behind', async () => {
    const out = join(root, 'broken');
    const broken = join(root, 'broken-module.ts');
    writeFileSync(broken, 'export const nothing = 1;\n');
    await expect(
      runBench({
        suite: { name: 'fake', ref: 'fake', tasks: fakeTasks(2) },
        out,
        backbone: 'fake',
        concurrency: 2,
        taskModule: broken,
        report: false,
      }),
    ).rejects.toThrow(/task process failed to start \(exited with code 1\): .*exports no taskFunctions/);
    expect(existsSync(join(out, 'results.jsonl'))).toBe(false);
  });

  it('a task process that dies mid-task costs that task an error line; the others go on in a new one', async () => {
    const out = join(root, 'dying');
    const tasks = fakeTasks(4).map((task, i) => (i === 1 ? { ...task, id: 'task-die' } : task));
    const run = await runBench({
      suite: { name: 'fake', ref: 'fake', tasks },
      out,
      backbone: 'fake',
      concurrency: 2,
      taskModule: fileURLToPath(new URL('./fixtures/fake-tasks.ts', import.meta.url)),
      report: false,
    });
    expect(run.results.map((line) => line.status)).toEqual(['answered', 'error', 'answered', 'answered']);
    expect(run.results[1]?.error).toMatch(/exited mid-task \(code 3: Error: fake native crash\)/);
  });

  it('the pool keeps at most N in flight, starts in order, and stops starting once aborted', async () => {
    let inFlight = 0;
    let most = 0;
    const started: number[] = [];
    const controller = new AbortController();
    await runPool(
      [0, 1, 2, 3, 4, 5, 6, 7],
      3,
      async (item) => {
        started.push(item);
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (item === 4) controller.abort();
        inFlight--;
      },
      controller.signal,
    );
    expect(most).toBe(3);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
    await expect(
      runPool([1, 2, 3], 2, async (item) => {
        if (item === 1) throw new Error('bad item');
      }),
    ).rejects.toThrow('bad item');
  });
});
