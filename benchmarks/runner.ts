import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BudgetLimits } from '../agent/budget.ts';
import { InputError } from '../util/errors.ts';
import {
  checkResumable,
  readBenchHeader,
  RESULTS_FILE,
  resetTaskDir,
  SUMMARY_FILE,
  taskDirName,
  taskRunDir,
  writeBenchHeader,
  writeJsonAtomic,
  BENCH_FORMAT,
  baselineDir,
  type BenchHeader,
} from './bench-dir.ts';
import { childExecutor, DEFAULT_TASK_MODULE } from './child-executor.ts';
import { inlineExecutor, type TaskExecutor } from './executor.ts';
import { runPool } from './pool.ts';
import { writeReports } from './report/index.ts';
import { appendResult, readResults, repairResults, resultLine, type ResultLine } from './results.ts';
import { primaryScore, summarize, type BenchSummary } from './summary.ts';
import {
  scorerName,
  type BenchTask,
  type ScoreMap,
  type TaskFunctions,
  type TaskRequest,
} from './task-run.ts';

/**
 * `aia bench`: run a suite's tasks through the agent's entry point, one transcript per task, scoring
 * each as it finishes and appending its result line at once, so the run survives a kill and a rerun
 * on the same directory does only what is left. Then `results.json` and the reports.
 */

export interface BenchSuite {
  /** The suite's name (for a path: its file name). */
  name: string;
  /** How it was named: a suite name or a path. */
  ref: string;
  tasks: readonly BenchTask[];
}

export interface BenchOptions {
  suite: BenchSuite;
  /** The bench directory (created; an existing one for the same benchmark is resumed). */
  out: string;
  backbone: string;
  model?: string;
  /** Seeds every task's investigation (default 1). */
  seed?: number;
  budget?: Partial<BudgetLimits>;
  /** Scenes in the agent's probe set (default: investigate's). */
  probeSetSize?: number;
  /** Only the first N tasks of the suite. */
  limit?: number;
  /** Tasks in flight at once (default 1). */
  concurrency?: number;
  cacheDir?: string;
  cacheMode?: TaskRequest['cacheMode'];
  judge?: string;
  /** Rerun tasks whose recorded result is an error (a resume otherwise keeps them). */
  retryErrors?: boolean;
  /**
   * Injected task functions (tests): given any, tasks run in this process, the missing ones taken
   * from task-exec.ts.
   */
  runTask?: TaskFunctions['runTask'];
  score?: TaskFunctions['score'];
  randomBaseline?: TaskFunctions['randomBaseline'];
  /** Module the task processes load instead of task-exec.ts (absolute path; tests). */
  taskModule?: string;
  /** Run every task in this process whatever the concurrency. */
  inProcess?: boolean;
  onProgress?: (progress: BenchProgress) => void;
  signal?: AbortSignal;
  /** Write report.md and report.html at the end (default true). */
  report?: boolean;
}

export interface BenchProgress {
  line: ResultLine;
  /** Tasks with a result, this session's and earlier ones. */
  done: number;
  total: number;
  /** Mean primary score over the finished tasks. */
  runningMean: number;
}

export interface BenchRunResult {
  dir: string;
  header: BenchHeader;
  /** Result lines in task order. */
  results: ResultLine[];
  summary: BenchSummary;
  /** Tasks run in this session, and tasks skipped as already finished. */
  ran: number;
  skipped: number;
  /** The signal stopped the run before every task finished. */
  interrupted: boolean;
  elapsedMs: number;
}

export { baselineDir };

export async function runBench(options: BenchOptions): Promise<BenchRunResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const dir = resolve(options.out);
  const tasks = selectTasks(options.suite.tasks, options.limit);
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new InputError(`concurrency must be a positive integer, got ${concurrency}`);

  mkdirSync(dir, { recursive: true });
  const wanted: BenchHeader = {
    format: BENCH_FORMAT,
    suite: options.suite.name,
    suiteRef: options.suite.ref,
    backbone: options.backbone,
    ...(options.model !== undefined ? { model: options.model } : {}),
    seed: options.seed ?? 1,
    ...(options.probeSetSize !== undefined ? { probeSetSize: options.probeSetSize } : {}),
    ...(options.budget !== undefined ? { budget: definedNumbers(options.budget) } : {}),
    taskIds: tasks.map((task) => task.id),
    createdAt: startedAt,
  };
  const existing = readBenchHeader(dir);
  if (existing) checkResumable(existing, wanted, dir);
  let header: BenchHeader = existing
    ? {
        ...existing,
        taskIds: tasks.map((task) => task.id),
        ...(options.budget !== undefined ? { budget: wanted.budget } : {}),
      }
    : wanted;
  writeBenchHeader(dir, header);

  const resultsPath = join(dir, RESULTS_FILE);
  repairResults(resultsPath);
  const results = new Map(readResults(resultsPath).map((line) => [line.id, line]));
  const finished = (task: BenchTask) => {
    const line = results.get(task.id);
    return line !== undefined && !(options.retryErrors && line.status === 'error');
  };
  const pending = tasks.filter((task) => !finished(task));
  const skipped = tasks.length - pending.length;

  const executor = await createExecutor(options, concurrency);
  let ran = 0;
  const ids = new Set(tasks.map((task) => task.id));
  const writeSummary = () =>
    writeJsonAtomic(join(dir, SUMMARY_FILE), summarize(header, [...results.values()]));
  try {
    await runPool(
      pending,
      concurrency,
      async (task) => {
        const runDir = taskRunDir(task.id);
        resetTaskDir(join(dir, runDir));
        const request: TaskRequest = {
          task,
          backbone: options.backbone,
          ...(options.model !== undefined ? { model: options.model } : {}),
          runDir: join(dir, runDir),
          seed: header.seed,
          ...(header.probeSetSize !== undefined ? { probeSetSize: header.probeSetSize } : {}),
          ...(header.budget !== undefined ? { budget: header.budget as Partial<BudgetLimits> } : {}),
          ...(options.cacheDir !== undefined ? { cacheDir: resolve(options.cacheDir) } : {}),
          ...(options.cacheMode !== undefined ? { cacheMode: options.cacheMode } : {}),
          ...(options.judge !== undefined ? { judge: options.judge } : {}),
        };
        const outcome = await executor.run(request, options.signal);
        // An interrupted task has no result: the resume reruns it from a clean directory. A task that
        // finished as the signal came is kept: nothing finished is ever thrown away.
        if (outcome.status === 'interrupted') return;
        const line = resultLine(request, outcome, runDir, scorersOf(task, outcome.scores));
        appendResult(resultsPath, line);
        results.set(task.id, line);
        ran++;
        writeSummary();
        const done = [...results.keys()].filter((id) => ids.has(id));
        options.onProgress?.({
          line,
          done: done.length,
          total: tasks.length,
          runningMean: meanOf(done.map((id) => primaryScore(results.get(id) as ResultLine))),
        });
      },
      options.signal,
    );
  } finally {
    await executor.close();
  }

  const interrupted = tasks.some((task) => !results.has(task.id));
  const elapsedMs = performance.now() - started;
  header = {
    ...header,
    sessions: [
      ...(header.sessions ?? []),
      { startedAt, elapsedMs: Math.round(elapsedMs), concurrency, finished: ran, interrupted },
    ],
  };
  writeBenchHeader(dir, header);
  const ordered = tasks.flatMap((task) => results.get(task.id) ?? []);
  const summary = summarize(header, ordered);
  writeJsonAtomic(join(dir, SUMMARY_FILE), summary);
  if (options.report !== false) writeReports(dir);
  return { dir, header, results: ordered, summary, ran, skipped, interrupted, elapsedMs };
}

/** Record where a run's baseline runs are, so its report can put them side by side. */
export function linkBaselines(out: string, baselines: Record<string, string>): void {
  const dir = resolve(out);
  const header = readBenchHeader(dir);
  if (!header) throw new InputError(`${dir} is not a benchmark run (no bench.json)`);
  const relativePaths = Object.fromEntries(
    Object.entries(baselines).map(([name, path]) => [name, isAbsolute(path) ? relative(dir, path) : path]),
  );
  writeBenchHeader(dir, { ...header, baselines: { ...header.baselines, ...relativePaths } });
}

function selectTasks(all: readonly BenchTask[], limit: number | undefined): BenchTask[] {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
    throw new InputError(`limit must be a positive integer, got ${limit}`);
  const tasks = all.slice(0, limit);
  if (tasks.length === 0) throw new InputError('the suite has no tasks');
  const dirs = new Map<string, string>();
  for (const task of tasks) {
    const name = taskDirName(task.id);
    const clash = dirs.get(name);
    if (clash !== undefined)
      throw new InputError(
        clash === task.id
          ? `task id '${task.id}' appears twice in the suite`
          : `task ids '${clash}' and '${task.id}' map to the same directory name '${name}'`,
      );
    dirs.set(name, task.id);
  }
  return tasks;
}

async function createExecutor(options: BenchOptions, concurrency: number): Promise<TaskExecutor> {
  const injected = options.runTask ?? options.score ?? options.randomBaseline;
  if (injected === undefined && !options.inProcess && concurrency > 1)
    return childExecutor({
      ...(options.taskModule !== undefined ? { module: options.taskModule } : {}),
      env: taskProcessEnv(concurrency),
    });
  const needsReal = options.runTask === undefined || options.score === undefined;
  const real = needsReal ? await loadTaskFunctions(options.taskModule ?? DEFAULT_TASK_MODULE) : undefined;
  const pick = <K extends keyof TaskFunctions>(key: K): TaskFunctions[K] => {
    const fn = options[key] ?? real?.[key];
    if (fn === undefined) throw new Error(`no ${key} function`);
    return fn as TaskFunctions[K];
  };
  const randomBaseline =
    options.randomBaseline ?? (options.score === undefined ? real?.randomBaseline : undefined);
  return inlineExecutor({
    runTask: pick('runTask'),
    score: pick('score'),
    ...(randomBaseline !== undefined ? { randomBaseline } : {}),
  });
}

/**
 * The environment of task processes. ONNX Runtime and libvips each start a thread per core in every
 * process; N processes doing that oversubscribe the cores N times over, so each gets its share
 * (unless the user chose otherwise).
 */
function taskProcessEnv(concurrency: number): NodeJS.ProcessEnv {
  const share = String(Math.max(1, Math.floor(availableParallelism() / concurrency)));
  return {
    ...process.env,
    AIA_NO_PROGRESS: '1',
    AIA_ORT_THREADS: process.env.AIA_ORT_THREADS ?? share,
    VIPS_CONCURRENCY: process.env.VIPS_CONCURRENCY ?? share,
  };
}

async function loadTaskFunctions(path: string): Promise<TaskFunctions> {
  if (!existsSync(path)) throw new InputError(`task module ${path} does not exist`);
  const loaded = (await import(pathToFileURL(path).href)) as { taskFunctions?: TaskFunctions };
  if (!loaded.taskFunctions) throw new InputError(`${path} exports no taskFunctions`);
  return loaded.taskFunctions;
}

/**
 * The scorers a result line counts the task under: those that scored it (a scorer may skip a task,
 * as the judge does without a judge model), or every listed one when scoring failed outright, so the
 * failure counts as 0 under each.
 */
function scorersOf(task: BenchTask, scores: ScoreMap): string[] {
  const listed = task.scorers.map(scorerName);
  if (Object.keys(scores).length === 0) return listed;
  return listed.filter((name) => name in scores);
}

function definedNumbers(record: Partial<BudgetLimits>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => typeof v === 'number')) as Record<
    string,
    number
  >;
}

function meanOf(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
}
