import type { BenchHeader } from './bench-dir.ts';
import type { ResultLine } from './results.ts';

/**
 * `results.json`: a benchmark run summed up from its result lines alone (so it can be rebuilt at any
 * time): mean score overall and per family for every scorer, each beside its chance floor and the
 * random-description baseline, and what the run cost.
 *
 * A task that lists a scorer but has no score from it (it failed before scoring) counts as 0: a
 * failure must never raise a mean by dropping out of it.
 */
export const SUMMARY_FORMAT = 'aia-bench-summary/1';

export interface ScoreStats {
  /** Tasks this scorer applies to. */
  n: number;
  mean: number;
  /** Mean chance floor over those tasks, where the scorer states one. */
  chance?: number;
  /** Mean score of a random description over those tasks, where the scorers offer one. */
  randomBaseline?: number;
}

export interface GroupSummary {
  tasks: number;
  answered: number;
  /** Each task's primary score (its first scorer): the headline number. */
  primary: ScoreStats;
  scorers: Record<string, ScoreStats>;
}

export interface CostSummary {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  /** USD over the tasks whose model has a known price. */
  costUsd: number;
  pricedTasks: number;
  toolCalls: number;
  steps: number;
  /** Summed over tasks (not elapsed: tasks run in parallel). */
  wallMs: number;
  meanWallMs: number;
  /** Elapsed time of the runner sessions that produced these results (with their parallelism). */
  elapsedMs: number;
}

export interface BenchSummary {
  format: typeof SUMMARY_FORMAT;
  suite: string;
  backbone: string;
  model?: string;
  seed: number;
  createdAt: string;
  updatedAt: string;
  /** Every task of the run has a result line. */
  complete: boolean;
  tasks: {
    total: number;
    finished: number;
    answered: number;
    noAnswer: number;
    budget: number;
    errors: number;
  };
  overall: GroupSummary;
  /** Per family, in the order the families first appear in the suite. */
  families: Record<string, GroupSummary>;
  cost: CostSummary;
}

/** The summary of `results` (ordered as `header.taskIds`; lines for other tasks are ignored). */
export function summarize(header: BenchHeader, results: readonly ResultLine[]): BenchSummary {
  const byId = new Map(results.map((line) => [line.id, line]));
  const lines = header.taskIds.flatMap((id) => byId.get(id) ?? []);
  const families = new Map<string, ResultLine[]>();
  for (const line of lines) families.set(line.family, [...(families.get(line.family) ?? []), line]);
  return {
    format: SUMMARY_FORMAT,
    suite: header.suite,
    backbone: header.backbone,
    ...(header.model !== undefined ? { model: header.model } : {}),
    seed: header.seed,
    createdAt: header.createdAt,
    updatedAt: new Date().toISOString(),
    complete: lines.length === header.taskIds.length,
    tasks: {
      total: header.taskIds.length,
      finished: lines.length,
      answered: count(lines, 'answered'),
      noAnswer: count(lines, 'no_answer'),
      budget: count(lines, 'budget'),
      errors: count(lines, 'error'),
    },
    overall: group(lines),
    families: Object.fromEntries([...families].map(([family, members]) => [family, group(members)])),
    cost: { ...cost(lines), elapsedMs: (header.sessions ?? []).reduce((t, s) => t + s.elapsedMs, 0) },
  };
}

/** The primary scorer of a result line: the task's first, else the first it was scored by. */
export function primaryScorer(line: ResultLine): string | undefined {
  return line.scorers[0] ?? Object.keys(line.scores)[0];
}

/** A line's primary score (0 when unscored). */
export function primaryScore(line: ResultLine): number {
  const name = primaryScorer(line);
  return name === undefined ? 0 : (line.scores[name]?.score ?? 0);
}

function count(lines: readonly ResultLine[], status: ResultLine['status']): number {
  return lines.filter((line) => line.status === status).length;
}

function group(lines: readonly ResultLine[]): GroupSummary {
  const names: string[] = [];
  for (const line of lines)
    for (const name of [...line.scorers, ...Object.keys(line.scores)])
      if (!names.includes(name)) names.push(name);
  const scorers: Record<string, ScoreStats> = {};
  for (const name of names) {
    const applicable = lines.filter((line) => line.scorers.includes(name) || name in line.scores);
    scorers[name] = stats(applicable.map((line) => pick(line, name)));
  }
  return {
    tasks: lines.length,
    answered: count(lines, 'answered'),
    primary: stats(lines.map((line) => pick(line, primaryScorer(line)))),
    scorers,
  };
}

interface Picked {
  score: number;
  chance?: number;
  randomBaseline?: number;
}

function pick(line: ResultLine, scorer: string | undefined): Picked {
  if (scorer === undefined) return { score: 0 };
  const record = line.scores[scorer];
  const baseline = line.randomBaseline?.[scorer];
  return {
    score: record?.score ?? 0,
    ...(record?.chance !== undefined ? { chance: record.chance } : {}),
    ...(baseline !== undefined ? { randomBaseline: baseline.score } : {}),
  };
}

function stats(picked: readonly Picked[]): ScoreStats {
  const out: ScoreStats = { n: picked.length, mean: mean(picked.map((p) => p.score)) ?? 0 };
  const chance = mean(picked.flatMap((p) => p.chance ?? []));
  const baseline = mean(picked.flatMap((p) => p.randomBaseline ?? []));
  if (chance !== undefined) out.chance = chance;
  if (baseline !== undefined) out.randomBaseline = baseline;
  return out;
}

function mean(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function cost(lines: readonly ResultLine[]): Omit<CostSummary, 'elapsedMs'> {
  const sum = (f: (line: ResultLine) => number) => lines.reduce((total, line) => total + f(line), 0);
  const wallMs = sum((line) => line.wallMs);
  return {
    inputTokens: sum((line) => line.usage.inputTokens),
    outputTokens: sum((line) => line.usage.outputTokens),
    cacheReadTokens: sum((line) => line.usage.cacheReadTokens ?? 0),
    costUsd: sum((line) => line.costUsd ?? 0),
    pricedTasks: lines.filter((line) => line.costUsd !== undefined).length,
    toolCalls: sum((line) => line.toolCalls),
    steps: sum((line) => line.steps),
    wallMs,
    meanWallMs: lines.length > 0 ? wallMs / lines.length : 0,
  };
}
