import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { InputError } from '../util/errors.ts';

/**
 * A benchmark run directory:
 *
 * ```
 * <out>/bench.json        what was run (suite, backbone, model, seed, budget, the task ids in order)
 * <out>/results.jsonl     one line per finished task (results.ts)
 * <out>/results.json      the summary (summary.ts), rewritten after every task
 * <out>/report.md|html    the report (report/), regenerated from the files above
 * <out>/tasks/<id>/       each task's transcript (run.json, events.jsonl, blobs/)
 * ```
 *
 * `bench.json` is what lets a rerun resume: it must describe the same benchmark, or the results in
 * the directory would mix two different runs.
 */
export const BENCH_FORMAT = 'aia-bench/1';

export const BenchHeader = z.object({
  format: z.literal(BENCH_FORMAT),
  /** The suite's name and how it was named on the command line (a name or a path). */
  suite: z.string(),
  suiteRef: z.string(),
  backbone: z.string(),
  model: z.string().optional(),
  seed: z.number(),
  /** Scenes in the agent's probe set, when not investigate's default. */
  probeSetSize: z.number().optional(),
  budget: z.record(z.string(), z.number()).optional(),
  /** The tasks this run covers, in suite order (after --limit). */
  taskIds: z.array(z.string()),
  createdAt: z.string(),
  /** Baseline runs of the same suite, by backbone name, as paths relative to this directory. */
  baselines: z.record(z.string(), z.string()).optional(),
  /** Each time the runner worked on this directory: how long, how wide, how many tasks it finished. */
  sessions: z
    .array(
      z.object({
        startedAt: z.string(),
        elapsedMs: z.number(),
        concurrency: z.number(),
        finished: z.number(),
        interrupted: z.boolean(),
      }),
    )
    .optional(),
});
export type BenchHeader = z.infer<typeof BenchHeader>;

export const BENCH_FILE = 'bench.json';
export const RESULTS_FILE = 'results.jsonl';
export const SUMMARY_FILE = 'results.json';

/**
 * A benchmark's output directory: new, empty, or a benchmark run to continue. A file, an investigation
 * run or any other non-empty directory is refused, so no run's files are mixed into another's.
 */
export function assertBenchDir(dir: string, option = '--out'): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory())
    throw new InputError(`${option} ${dir} is a file, not a directory; name a new directory`);
  const entries = readdirSync(dir);
  if (entries.includes(BENCH_FILE) || entries.length === 0) return;
  if (entries.includes('run.json') || entries.includes('events.jsonl'))
    throw new InputError(
      `${option} ${dir} holds an investigation run, not a benchmark; name a new directory`,
    );
  throw new InputError(
    `${option} ${dir} is not empty and holds no ${BENCH_FILE} (${entries.slice(0, 3).join(', ')}` +
      `${entries.length > 3 ? ', …' : ''}); name a new or empty directory, or a benchmark run to continue`,
  );
}

export function readBenchHeader(dir: string): BenchHeader | undefined {
  const path = join(dir, BENCH_FILE);
  if (!existsSync(path)) return undefined;
  const parsed = BenchHeader.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success)
    throw new InputError(`${path} is not a benchmark header:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function writeBenchHeader(dir: string, header: BenchHeader): void {
  writeJsonAtomic(join(dir, BENCH_FILE), header);
}

/**
 * Whether an existing run may be continued with this configuration: the same suite, backbone, model,
 * seed and probe-set size. The task list may change (a larger --limit): results of tasks outside it
 * stay in the file but are not counted.
 */
export function checkResumable(existing: BenchHeader, wanted: BenchHeader, dir: string): void {
  const differences: string[] = [];
  for (const key of ['suite', 'backbone', 'model', 'seed', 'probeSetSize'] as const)
    if (existing[key] !== wanted[key])
      differences.push(`${key} ${JSON.stringify(existing[key])} there, ${JSON.stringify(wanted[key])} now`);
  if (differences.length > 0)
    throw new InputError(
      `${dir} holds a different benchmark run (${differences.join('; ')}); resume it with the same ` +
        'settings, or choose another --out',
    );
}

/** The directory a baseline's run of the same suite goes to: beside the main run, named after it. */
export function baselineDir(out: string, backbone: string): string {
  return `${resolve(out)}.baseline-${backbone}`;
}

/** A task id as a directory name: safe on every file system, still readable. */
export function taskDirName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** The relative path of a task's transcript inside the bench directory. */
export function taskRunDir(id: string): string {
  return join('tasks', taskDirName(id));
}

/** Clear what an unfinished attempt left behind, so the rerun's transcript is the only one there. */
export function resetTaskDir(path: string): void {
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path, { recursive: true });
}

export function writeJsonAtomic(path: string, value: unknown): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temp, path);
}
