import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PerfSection } from './types.ts';

/**
 * The whole `maia-synthetic` suite with the offline `dissect` agent at concurrency 2, as a user runs it
 * on a fresh clone: `aia bench` in its own process, with an empty cache, so the time includes rendering
 * the agent's probe set and every held-out set, each task's investigation and its scoring (the
 * random-description baseline included). The goal is absolute (issue 6: ≤ 10 minutes on 2 cores), so
 * the figure is wall time; the mean score is reported beside it to show the speed cost no accuracy.
 */

const SUITE = 'maia-synthetic';
const CONCURRENCY = 2;
const GOAL_MINUTES = 10;

interface Summary {
  tasks: { total: number; answered: number; errors: number };
  overall: { primary: { mean: number; randomBaseline?: number } };
}

function runBench(out: string, cacheDir: string): Promise<Summary> {
  const args = ['--import', 'tsx', 'cli/main.ts', 'bench', SUITE];
  args.push('--backbone', 'dissect', '--concurrency', String(CONCURRENCY), '--out', out, '--json');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, AIA_CACHE_DIR: cacheDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`aia bench exited with code ${code}`));
      try {
        resolve(JSON.parse(stdout) as Summary);
      } catch (error) {
        reject(new Error(`aia bench --json printed no JSON summary: ${String(error)}`));
      }
    });
  });
}

export const benchSection: PerfSection = {
  name: 'bench',
  title: 'Benchmark: maia-synthetic with dissect',
  async run() {
    const root = mkdtempSync(join(tmpdir(), 'aia-perf-bench-'));
    try {
      const t0 = performance.now();
      const summary = await runBench(join(root, 'run'), join(root, 'cache'));
      const minutes = (performance.now() - t0) / 60_000;
      const { total, answered, errors } = summary.tasks;
      const { mean, randomBaseline } = summary.overall.primary;
      return {
        setup:
          `\`aia bench ${SUITE} --backbone dissect --concurrency ${CONCURRENCY}\` in a child process with an ` +
          `empty cache: rendering the probe set and the held-out sets, ${total} investigations and their ` +
          `scoring. ${answered} of ${total} tasks answered, ${errors} errors; mean formula score ` +
          `${mean.toFixed(3)} (random description ${randomBaseline?.toFixed(3) ?? 'n/a'}). ` +
          `Mean wall time per task: ${((minutes * 60 * CONCURRENCY) / Math.max(1, total)).toFixed(1)} s of a worker.`,
        goals: [
          {
            goal: `${SUITE} (${total} tasks) with dissect finishes in ≤ ${GOAL_MINUTES} min at concurrency ${CONCURRENCY}`,
            measured: `${minutes.toFixed(1)} min`,
            pass: minutes <= GOAL_MINUTES && errors === 0,
          },
        ],
      };
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};
