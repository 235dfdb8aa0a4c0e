import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { BASELINE_NAMES } from '../../benchmarks/baselines/index.ts';
import { assertBenchDir, readBenchHeader } from '../../benchmarks/bench-dir.ts';
import { writeReports } from '../../benchmarks/report/index.ts';
import { loadRun } from '../../benchmarks/report/load.ts';
import {
  baselineDir,
  linkBaselines,
  runBench,
  type BenchProgress,
  type BenchSuite,
} from '../../benchmarks/runner.ts';
import type { BenchSummary } from '../../benchmarks/summary.ts';
import { loadSuite } from '../../benchmarks/suite.ts';
import { InputError } from '../../util/errors.ts';
import { formatTable, printResult } from '../output.ts';

/**
 * The work of `aia bench <suite|path>` (run a benchmark suite through the agent or a baseline, one
 * transcript per task, resumable) and `aia bench report <dir>` (rebuild a run's report from its files).
 * The commands' definitions are in cli/commands/bench.ts.
 */

export interface BenchRunOptions {
  backbone?: string;
  model?: string;
  limit?: string;
  concurrency?: string;
  out?: string;
  resume?: string;
  json?: boolean;
  baselines?: boolean;
  seed?: string;
  maxSteps?: string;
  maxCost?: string;
  cacheDir?: string;
  cacheMode?: string;
  judge?: string;
  retryErrors?: boolean;
  probeSetSize?: string;
}

const CACHE_MODES = ['off', 'read', 'write', 'strict'] as const;
type CacheMode = (typeof CACHE_MODES)[number];

function positiveInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InputError(`${name} must be a positive integer, got '${value}'`);
  return n;
}

function positiveNumber(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InputError(`${name} must be a positive number, got '${value}'`);
  return n;
}

/** A suite by built-in name or path, as the runner takes it. */
function loadBenchSuite(ref: string): BenchSuite {
  const suite = loadSuite(ref);
  return { name: suite.name, ref, tasks: suite.tasks };
}

function stamp(): string {
  return new Date()
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d+Z$/, '');
}

/** Progress on stderr, one line per finished task, when a person is watching. */
function progressPrinter(label: string): ((progress: BenchProgress) => void) | undefined {
  if (!process.stderr.isTTY || process.env.AIA_NO_PROGRESS !== undefined) return undefined;
  return ({ line, done, total, runningMean }) => {
    const scores = Object.entries(line.scores)
      .map(([scorer, record]) => `${scorer} ${record.score.toFixed(2)}`)
      .join(', ');
    process.stderr.write(
      `[${label} ${done}/${total}] ${line.id}: ${line.status}${scores ? `, ${scores}` : ''} ` +
        `(mean so far ${runningMean.toFixed(3)})\n`,
    );
  };
}

/**
 * Ctrl-C once: stop starting tasks, let those running end as interrupted (they are rerun on resume),
 * write the summary and report. Twice: leave at once (results already appended are kept).
 */
function interruptible(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(
      '\ninterrupting: unfinished tasks will rerun on resume (Ctrl-C again to quit now)\n',
    );
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}

function humanSummary(summary: BenchSummary, dir: string, baselines: Record<string, BenchSummary>): string {
  const names = Object.keys(baselines);
  const rows = [
    ...Object.entries(summary.families).map(([family, group]) => ({ family, group })),
    { family: 'all', group: summary.overall },
  ].map(({ family, group }) => [
    family,
    String(group.tasks),
    group.primary.mean.toFixed(3),
    ...names.map((name) => {
      const other = family === 'all' ? baselines[name]?.overall : baselines[name]?.families[family];
      return other ? other.primary.mean.toFixed(3) : '–';
    }),
    group.primary.chance?.toFixed(3) ?? '–',
    group.primary.randomBaseline?.toFixed(3) ?? '–',
  ]);
  const t = summary.tasks;
  const c = summary.cost;
  return [
    `${summary.suite} with ${summary.backbone}${summary.model ? ` (${summary.model})` : ''}: ` +
      `${t.finished}/${t.total} tasks, ${t.answered} answered, ${t.errors} errors`,
    formatTable(['family', 'tasks', summary.backbone, ...names, 'chance', 'random description'], rows),
    `cost: ${c.inputTokens} input + ${c.outputTokens} output tokens` +
      (c.pricedTasks > 0 ? `, $${c.costUsd.toFixed(4)}` : '') +
      `, ${c.toolCalls} tool calls, ${(c.elapsedMs / 1000).toFixed(1)} s elapsed`,
    `results: ${join(dir, 'results.json')}`,
    `report: ${join(dir, 'report.md')} and report.html`,
    ...(summary.complete ? [] : [`incomplete: resume with  aia bench --resume ${dir}`]),
  ].join('\n');
}

/** `aia bench [suite]`: run a suite (and with --baselines its baselines), print the summary. */
export async function runBenchCommand(suiteRef: string | undefined, opts: BenchRunOptions): Promise<void> {
  // Options first: a typo should not wait for a suite to load.
  const cacheMode = opts.cacheMode as CacheMode | undefined;
  if (cacheMode !== undefined && !CACHE_MODES.includes(cacheMode))
    throw new InputError(`--cache-mode must be one of ${CACHE_MODES.join(', ')}, got '${opts.cacheMode}'`);
  const seedOption = opts.seed === undefined ? undefined : Number(opts.seed);
  if (seedOption !== undefined && (!Number.isInteger(seedOption) || seedOption < 0))
    throw new InputError(`--seed must be a non-negative integer, got '${opts.seed}'`);
  const concurrency =
    positiveInteger(opts.concurrency, '--concurrency') ?? Math.min(4, availableParallelism());
  const limitOption = positiveInteger(opts.limit, '--limit');
  const probeSetOption = positiveInteger(opts.probeSetSize, '--probe-set-size');
  const maxSteps = positiveInteger(opts.maxSteps, '--max-steps');
  const maxCost = positiveNumber(opts.maxCost, '--max-cost');
  const budget = {
    ...(maxSteps !== undefined ? { maxSteps } : {}),
    ...(maxCost !== undefined ? { maxCostUsd: maxCost } : {}),
  };

  // A run directory that already holds a run (--resume, or --out again) supplies what is not given.
  if (opts.out !== undefined && opts.resume !== undefined && resolve(opts.out) !== resolve(opts.resume))
    throw new InputError('give either --out or --resume, not two different directories');
  const existingDir = opts.resume ?? opts.out;
  // --resume names its own problem (not a benchmark run); --out must not mix a benchmark into other files.
  if (opts.out !== undefined) assertBenchDir(resolve(opts.out), '--out');
  const previous = existingDir !== undefined ? readBenchHeader(resolve(existingDir)) : undefined;
  if (opts.resume !== undefined && !previous)
    throw new InputError(`--resume ${opts.resume}: not a benchmark run (no bench.json there)`);
  const ref = suiteRef ?? previous?.suiteRef;
  if (ref === undefined) throw new InputError('name a suite (or a suite file), or --resume a run');
  const suite = loadBenchSuite(ref);
  const backbone = opts.backbone ?? previous?.backbone ?? 'dissect';
  const model = opts.model ?? previous?.model;
  const seed = seedOption ?? previous?.seed ?? 1;
  const probeSetSize = probeSetOption ?? previous?.probeSetSize;
  const limit = limitOption ?? previous?.taskIds.length;
  const out = resolve(existingDir ?? join('runs', `bench-${suite.name}-${backbone}-${stamp()}`));

  const { signal, dispose } = interruptible();
  try {
    const common = {
      suite,
      seed,
      ...(probeSetSize !== undefined ? { probeSetSize } : {}),
      ...(Object.keys(budget).length > 0 ? { budget } : {}),
      ...(limit !== undefined ? { limit } : {}),
      concurrency,
      ...(opts.cacheDir !== undefined ? { cacheDir: opts.cacheDir } : {}),
      ...(cacheMode !== undefined ? { cacheMode } : {}),
      ...(opts.judge !== undefined ? { judge: opts.judge } : {}),
      ...(opts.retryErrors ? { retryErrors: true } : {}),
      signal,
    };
    const onProgress = progressPrinter(backbone);
    const main = await runBench({
      ...common,
      out,
      backbone,
      ...(model !== undefined ? { model } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
    const baselineSummaries: Record<string, BenchSummary> = {};
    if (opts.baselines && !main.interrupted) {
      for (const name of BASELINE_NAMES) {
        if (name === backbone) continue;
        const dir = baselineDir(out, name);
        const printer = progressPrinter(name);
        const run = await runBench({
          ...common,
          out: dir,
          backbone: name,
          ...(printer ? { onProgress: printer } : {}),
        });
        linkBaselines(out, { [name]: dir });
        baselineSummaries[name] = run.summary;
        if (run.interrupted) break;
      }
      writeReports(out);
    }
    if (main.interrupted || signal.aborted) process.exitCode = 130;
    printResult(opts.json === true, { ...main.summary, dir: out, baselines: baselineSummaries }, () =>
      humanSummary(main.summary, out, baselineSummaries),
    );
  } finally {
    dispose();
  }
}

/** `aia bench report <dir>`: rebuild report.md and report.html from a run's result files. */
export function runBenchReport(dir: string, opts: { json?: boolean }): void {
  const paths = writeReports(dir);
  const run = loadRun(dir);
  printResult(opts.json === true, { ...run.summary, report: paths }, () =>
    [`wrote ${paths.markdown}`, `wrote ${paths.html}`].join('\n'),
  );
}
