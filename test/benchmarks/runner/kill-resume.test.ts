import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readResults, type ResultLine } from '../../../benchmarks/results.ts';
import { runBench } from '../../../benchmarks/runner.ts';
import type { BenchSummary } from '../../../benchmarks/summary.ts';
import { fakeTasks, taskFunctions } from './fixtures/fake-tasks.ts';

/**
 * The runner as a process, killed with SIGKILL mid-suite while its task processes are busy, then
 * rerun on the same directory: the final results must equal an uninterrupted run's, and the killed
 * runner's task processes must not outlive it.
 */

const root = mkdtempSync(join(tmpdir(), 'aia-bench-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const TASKS = 6;
const CPU_MS = 400;
const script = fileURLToPath(new URL('./fixtures/run-bench.ts', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function startRunner(out: string): {
  child: ChildProcess;
  done: Promise<{ code: number | null; stdout: string }>;
} {
  const child = spawn(process.execPath, ['--import', tsx, script, out, String(TASKS), String(CPU_MS), '2'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AIA_NO_PROGRESS: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; stdout: string }>((resolve) =>
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) process.stderr.write(stderr);
      resolve({ code, stdout });
    }),
  );
  return { child, done };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const stripTimes = (lines: ResultLine[]) => lines.map(({ finishedAt: _f, wallMs: _w, ...rest }) => rest);
function stripSummary(summary: BenchSummary): unknown {
  const { updatedAt: _u, createdAt: _c, cost, ...rest } = summary;
  const { wallMs: _w, meanWallMs: _m, elapsedMs: _e, ...counts } = cost;
  return { ...rest, cost: counts };
}

describe('killing the runner mid-suite and resuming', () => {
  it('loses no finished task, reruns the unfinished ones, and ends equal to an uninterrupted run', async () => {
    const reference = await runBench({
      suite: { name: 'fake', ref: 'fake', tasks: fakeTasks(TASKS, 0) },
      out: join(root, 'reference'),
      backbone: 'fake',
      ...taskFunctions,
      report: false,
    });

    const out = join(root, 'killed');
    const results = join(out, 'results.jsonl');
    const first = startRunner(out);
    await waitFor(() => existsSync(results) && readResults(results).length >= 2, 30_000);
    first.child.kill('SIGKILL');
    await first.done;
    const kept = readResults(results);
    expect(kept.length).toBeGreaterThanOrEqual(2);
    expect(kept.length).toBeLessThan(TASKS);

    // The task processes notice their runner is gone and exit.
    const pids = readdirSync(join(out, 'tasks')).flatMap((dir) => {
      const marker = join(out, 'tasks', dir, 'marker.json');
      return existsSync(marker) ? [(JSON.parse(readFileSync(marker, 'utf8')) as { pid: number }).pid] : [];
    });
    expect(pids.length).toBeGreaterThanOrEqual(2);
    await waitFor(() => pids.every((pid) => !alive(pid)), 10_000);

    const second = startRunner(out);
    const { code, stdout } = await second.done;
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ ran: TASKS - kept.length, skipped: kept.length });

    const final = readResults(results);
    const order = (lines: ResultLine[]) => [...lines].sort((a, b) => a.id.localeCompare(b.id));
    // Same tasks, answers, scores and costs; truth differs only in the CPU each fake task burnt.
    const normalise = (lines: ResultLine[]) =>
      stripTimes(order(lines)).map((line) => ({ ...line, truth: { ...(line.truth as object), cpuMs: 0 } }));
    expect(normalise(final)).toEqual(normalise(reference.results));
    const summary = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as BenchSummary;
    expect(stripSummary(summary)).toEqual(stripSummary(reference.summary));
    expect(existsSync(join(out, 'report.md'))).toBe(true);
  });
});
