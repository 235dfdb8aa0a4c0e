import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { randomConcept } from '../../../benchmarks/baselines/concepts.ts';
import { baselineDir } from '../../../benchmarks/bench-dir.ts';
import { buildReport, loadBaselines, loadRun, renderMarkdown } from '../../../benchmarks/report/index.ts';
import { readResults } from '../../../benchmarks/results.ts';
import { runBench } from '../../../benchmarks/runner.ts';
import { releaseHeldOut } from '../../../benchmarks/scorers/index.ts';
import type { BenchSummary } from '../../../benchmarks/summary.ts';
import { registerBenchCommand } from '../../../cli/commands/bench.ts';
import { TINY_SUITE, writeTinySuite } from './fixtures/tiny-suite.ts';

/**
 * The real thing on a tiny suite: investigate (the entry point `aia ask` uses) driving the random and
 * exemplars-only baselines, the suite's scorers on held-out scenes, transcripts, results, reports;
 * then the `aia bench` command, with task processes. One cache serves all, so scenes are rendered
 * once.
 */

const root = mkdtempSync(join(tmpdir(), 'aia-bench-integration-'));
const cacheDir = join(root, 'cache');
afterAll(async () => {
  await releaseHeldOut();
  rmSync(root, { recursive: true, force: true });
});

/**
 * `aia …` parsed by the CLI's own commands in this process (a spawned `aia` costs seconds of start-up
 * on every call); returns what it printed on stdout, rejects with the error a user would see.
 */
async function aia(...args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerBenchCommand(program);
  let stdout = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  try {
    await program.parseAsync(['node', 'aia', ...args]);
  } finally {
    write.mockRestore();
  }
  return stdout;
}

// Under 100 scenes a probe set renders in-thread: no worker start-up, the fastest for tests.
const PROBE_SET = '90';
const suite = { name: TINY_SUITE.name, ref: 'tiny', tasks: TINY_SUITE.tasks };
const out = join(root, 'random');

describe('the runner with the real agent loop and scorers', () => {
  it('random: one submit_answer per task, transcripts on disk, scored with baseline and chance', async () => {
    const run = await runBench({ suite, out, backbone: 'random', cacheDir, probeSetSize: Number(PROBE_SET) });
    expect(run.ran).toBe(3);
    for (const line of run.results) {
      expect(line.status).toBe('answered');
      expect(line.answer?.formula).toBe(randomConcept(line.id));
      expect(line.toolCalls).toBe(1);
      // The judge is listed but skipped without a judge model: it neither scores nor counts.
      expect(line.scorers).toEqual(['formula', 'concept']);
      expect(line.scores.formula?.chance).toBe(0);
      expect(line.scores.concept?.detail).toBeTruthy();
      expect(line.randomBaseline?.formula).toBeDefined();
      const events = readFileSync(join(out, line.runDir, 'events.jsonl'), 'utf8');
      expect(events).toMatch(/"type":"tool_call".*"tool":"submit_answer"/);
      expect(existsSync(join(out, line.runDir, 'run.json'))).toBe(true);
    }
  });

  it('exemplars-only: one look at the exemplars, a concept from them, and a margin over random', async () => {
    const baseline = baselineDir(out, 'exemplars-only');
    const run = await runBench({
      suite,
      out: baseline,
      backbone: 'exemplars-only',
      cacheDir,
      probeSetSize: Number(PROBE_SET),
    });
    const grass = run.results.find((line) => line.id === 'tiny-mono-grass');
    expect(grass?.toolCalls).toBe(2);
    expect(grass?.answer).toMatchObject({ formula: 'grass', evidence: ['c1'] });
    expect(grass?.scores.concept?.score).toBe(1);
    expect(grass?.scores.formula?.score).toBeGreaterThan(0.5);
    const events = readFileSync(join(baseline, grass?.runDir ?? '', 'events.jsonl'), 'utf8');
    expect(events).toMatch(/"tool":"dataset_exemplars"/);

    const main = loadRun(out);
    const markdown = renderMarkdown(buildReport(main, loadBaselines(main)));
    expect(markdown).toMatch(/Whole suite: random falls short of exemplars-only by 0\.\d\d/);
  });

  it('aia bench: task processes at --concurrency 2, the summary as JSON, a resume that has nothing left', async () => {
    const suitePath = writeTinySuite(join(root, 'tiny.json'));
    const cliOut = join(root, 'cli');
    const args = ['--backbone', 'random', '--concurrency', '2', '--probe-set-size', PROBE_SET];
    const summary = JSON.parse(
      await aia('bench', suitePath, ...args, '--out', cliOut, '--cache-dir', cacheDir, '--json'),
    ) as BenchSummary & { dir: string };
    expect(summary).toMatchObject({ suite: 'tiny', backbone: 'random', complete: true, dir: cliOut });
    expect(summary.tasks).toMatchObject({ total: 3, finished: 3, answered: 3 });
    expect(Object.keys(summary.families)).toEqual(['mono', 'or']);
    // The same answers and scores as the in-process run (lines are in the order tasks finished).
    const strip = (path: string) =>
      readResults(path)
        .map((line) => ({ id: line.id, answer: line.answer, scores: line.scores }))
        .sort((a, b) => a.id.localeCompare(b.id));
    expect(strip(join(cliOut, 'results.jsonl'))).toEqual(strip(join(out, 'results.jsonl')));

    const again = JSON.parse(
      await aia('bench', '--resume', cliOut, '--cache-dir', cacheDir, '--json'),
    ) as BenchSummary;
    expect(again.overall).toEqual(summary.overall);
    const header = JSON.parse(readFileSync(join(cliOut, 'bench.json'), 'utf8')) as {
      sessions: { finished: number }[];
    };
    expect(header.sessions.map((s) => s.finished)).toEqual([3, 0]);

    unlinkSync(join(cliOut, 'report.md'));
    expect(await aia('bench', 'report', cliOut)).toContain(join(cliOut, 'report.md'));
    expect(readFileSync(join(cliOut, 'report.md'), 'utf8')).toMatch(/^# Benchmark tiny: random/);
  });

  it('names the problem: an unknown suite, a directory that is not a run, a bad option', async () => {
    await expect(aia('bench', 'maia-synthetc')).rejects.toThrow(
      /no suite 'maia-synthetc'.*did you mean maia-synthetic/,
    );
    await expect(aia('bench', '--resume', root)).rejects.toThrow(/--resume .*not a benchmark run/);
    await expect(aia('bench', 'tiny.json', '--concurrency', '0')).rejects.toThrow(
      /--concurrency must be a positive integer/,
    );
  });
});
