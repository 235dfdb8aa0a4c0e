import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../../util/errors.ts';
import { baselineDir, readBenchHeader, RESULTS_FILE, type BenchHeader } from '../bench-dir.ts';
import { readResults, type ResultLine } from '../results.ts';
import { summarize, type BenchSummary } from '../summary.ts';

/**
 * A benchmark run as a report reads it: from its files only (bench.json and results.jsonl; the
 * summary is recomputed), so a report can be regenerated at any time and never depends on the
 * process that ran the tasks.
 */
export interface RunData {
  dir: string;
  header: BenchHeader;
  /** In task order. */
  results: ResultLine[];
  summary: BenchSummary;
}

export function loadRun(dir: string): RunData {
  const path = resolve(dir);
  const header = readBenchHeader(path);
  if (!header) throw new InputError(`${path} is not a benchmark run (no bench.json)`);
  const byId = new Map(readResults(join(path, RESULTS_FILE)).map((line) => [line.id, line]));
  const results = header.taskIds.flatMap((id) => byId.get(id) ?? []);
  return { dir: path, header, results, summary: summarize(header, results) };
}

/**
 * The baseline runs linked from a run's bench.json, else found beside it by name
 * (`<dir>.baseline-<backbone>`), skipping any that do not exist yet.
 */
export function loadBaselines(main: RunData): RunData[] {
  const linked = main.header.baselines ?? {};
  const candidates = new Map<string, string>(
    Object.entries(linked).map(([name, path]) => [name, resolve(main.dir, path)]),
  );
  for (const name of ['random', 'exemplars-only'])
    if (!candidates.has(name)) candidates.set(name, baselineDir(main.dir, name));
  const out: RunData[] = [];
  for (const [name, path] of candidates) {
    if (name === main.header.backbone || !existsSync(join(path, 'bench.json'))) continue;
    out.push(loadRun(path));
  }
  return out;
}
