import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { AnswerRecordSchema, RunStatusSchema, UsageRecord } from '../agent/transcript/events.ts';
import type { TaskOutcome, TaskRequest } from './task-run.ts';

/**
 * `results.jsonl`: one line per finished task, appended (and synced) the moment the task finishes, so
 * a runner killed mid-suite loses nothing it finished and a rerun knows exactly what is left. A task
 * whose line is missing did not finish, whatever its transcript directory holds.
 */
export const RESULT_FORMAT = 'aia-bench-result/1';

const Score = z.object({
  score: z.number(),
  chance: z.number().optional(),
  detail: z.string().optional(),
  metrics: z.record(z.string(), z.number()).optional(),
});
const Scores = z.record(z.string(), Score);

export const ResultLine = z.object({
  format: z.literal(RESULT_FORMAT),
  id: z.string(),
  family: z.string(),
  subject: z.string(),
  unit: z.string().optional(),
  question: z.string(),
  truth: z.unknown(),
  /** The task's scorers by name, primary first. */
  scorers: z.array(z.string()),
  status: RunStatusSchema,
  answer: AnswerRecordSchema.optional(),
  scores: Scores,
  /** What a random description scores on this task (absent when the scorers offer no baseline). */
  randomBaseline: Scores.optional(),
  usage: UsageRecord,
  costUsd: z.number().optional(),
  steps: z.number(),
  toolCalls: z.number(),
  /** Whole task, agent and scoring. */
  wallMs: z.number(),
  error: z.string().optional(),
  /** The task's transcript, relative to the bench directory. */
  runDir: z.string(),
  finishedAt: z.string(),
});
export type ResultLine = z.infer<typeof ResultLine>;

export function resultLine(
  request: TaskRequest,
  outcome: TaskOutcome,
  runDir: string,
  scorers: string[],
): ResultLine {
  const { task } = request;
  return {
    format: RESULT_FORMAT,
    id: task.id,
    family: task.family,
    subject: task.subject,
    ...(task.unit !== undefined ? { unit: task.unit } : {}),
    question: task.question,
    truth: task.truth,
    scorers,
    status: outcome.status,
    ...(outcome.answer !== undefined ? { answer: outcome.answer } : {}),
    scores: outcome.scores,
    ...(outcome.randomBaseline !== undefined ? { randomBaseline: outcome.randomBaseline } : {}),
    usage: outcome.usage,
    ...(outcome.costUsd !== undefined ? { costUsd: outcome.costUsd } : {}),
    steps: outcome.steps,
    toolCalls: outcome.toolCalls,
    wallMs: Math.round(outcome.wallMs),
    ...(outcome.error !== undefined ? { error: outcome.error } : {}),
    runDir,
    finishedAt: new Date().toISOString(),
  };
}

/** Append one line with a single write, then sync: a kill after this returns cannot lose it. */
export function appendResult(path: string, line: ResultLine): void {
  const fd = openSync(path, 'a');
  try {
    writeSync(fd, `${JSON.stringify(line)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Cut a final line left half-written by a kill, so the next append starts on a line of its own
 * (appending after it would glue two records into one corrupt line).
 */
export function repairResults(path: string): void {
  if (!existsSync(path)) return;
  const text = readFileSync(path);
  if (text.length === 0 || text[text.length - 1] === 0x0a) return;
  truncateSync(path, text.lastIndexOf(0x0a) + 1);
}

/**
 * Every whole line of a results file, the last line per task id winning. A final line cut short by a
 * kill is dropped (that task simply did not finish); a malformed line anywhere else is corruption and
 * throws with its line number.
 */
export function readResults(path: string): ResultLine[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const byId = new Map<string, ResultLine>();
  for (const [i, raw] of lines.entries()) {
    if (raw.trim() === '') continue;
    const last = i === lines.length - 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      if (last) continue;
      throw new Error(`${path}:${i + 1}: not JSON (${(error as Error).message})`);
    }
    const result = ResultLine.safeParse(parsed);
    if (!result.success) {
      if (last) continue;
      throw new Error(`${path}:${i + 1}: not a result line:\n${z.prettifyError(result.error)}`);
    }
    byId.delete(result.data.id);
    byId.set(result.data.id, result.data);
  }
  return [...byId.values()];
}
