import type { BudgetLimits } from '../agent/budget.ts';
import type { Usage } from '../agent/backbone.ts';
import { ZERO_USAGE } from '../agent/backbone.ts';
import { errorMessage } from '../util/errors.ts';

/**
 * One benchmark task as the runner needs it, and what running it comes to. The runner sees tasks
 * structurally (the suite owns the full Task type), so a task travels to a child process as plain
 * JSON and back. Running = investigate (through the same entry point as the CLI), then scoring.
 */

/** The fields of a suite task the runner reads; the rest travels along untouched. */
export interface BenchTask {
  id: string;
  family: string;
  /** Subject reference, as `aia ask` takes it. */
  subject: string;
  unit?: string;
  question: string;
  /** Ground truth, as the suite states it (shown in reports; scorers read it). */
  truth: unknown;
  /** The scorers to apply, first = the task's primary score (names, or objects naming them). */
  scorers: readonly unknown[];
  heldOut: { seed: number; n: number };
}

/** One scorer's verdict on one task. */
export interface ScoreRecord {
  score: number;
  /** The score a chance guess gets (e.g. 1/3 for a three-way unit test; 0.5 for AUROC). */
  chance?: number;
  /** A few words on why (exact / partial / wrong, or the correlation and AUROC). */
  detail?: string;
  /** Secondary numbers (r, AUROC, counts). */
  metrics?: Record<string, number>;
}

/** Scores of one answer by scorer name. */
export type ScoreMap = Record<string, ScoreRecord>;

/** The answer as scored and reported. */
export interface BenchAnswer {
  description: string;
  formula?: string;
  confidence: number;
  evidence: string[];
  unit?: string;
}

export type TaskStatus = 'answered' | 'no_answer' | 'budget' | 'error' | 'interrupted';

/** What the runner asks for one task. Plain data: it crosses a process boundary. */
export interface TaskRequest {
  task: BenchTask;
  /** Backbone name: dissect, anthropic, openai, random, exemplars-only, … */
  backbone: string;
  model?: string;
  /** The task's own transcript directory. */
  runDir: string;
  seed: number;
  budget?: Partial<BudgetLimits>;
  /** Scenes in the agent's probe set (default: investigate's). */
  probeSetSize?: number;
  cacheDir?: string;
  cacheMode?: 'off' | 'read' | 'write' | 'strict';
  /** A judge model for the LLM-judge scorer, when one is configured. */
  judge?: string;
}

/** The agent's side of a task: what investigate returned, reduced to what results keep. */
export interface InvestigationSummary {
  status: TaskStatus;
  answer?: BenchAnswer;
  usage: Usage;
  costUsd?: number;
  steps: number;
  toolCalls: number;
  error?: string;
}

export interface ScoreOptions {
  cacheDir?: string;
  judge?: string;
}

/**
 * What running one task takes: the agent, the scorers, and the random-description baseline. The real
 * ones (task-exec.ts) wrap investigate and the suite's scorers; tests inject fakes.
 */
export interface TaskFunctions {
  runTask(request: TaskRequest, signal?: AbortSignal): Promise<InvestigationSummary>;
  /** Scores of an answer; `undefined` when the agent gave none (each scorer then gives its worst). */
  score(task: BenchTask, answer: BenchAnswer | undefined, options: ScoreOptions): Promise<ScoreMap>;
  /** Scores a random description gets on this task (the baseline printed beside each score). */
  randomBaseline?(task: BenchTask, options: ScoreOptions): Promise<ScoreMap>;
}

/** A finished task: the investigation plus its scores. */
export interface TaskOutcome extends InvestigationSummary {
  scores: ScoreMap;
  randomBaseline?: ScoreMap;
  wallMs: number;
}

/**
 * Run one task to its outcome. An agent that throws becomes an `error` outcome (scored as no answer)
 * rather than a rejected promise, so one broken task never stops a suite; a scorer that throws is
 * a bug in the benchmark and is reported the same way, with the message kept.
 */
export async function executeTask(
  functions: TaskFunctions,
  request: TaskRequest,
  signal?: AbortSignal,
): Promise<TaskOutcome> {
  const started = performance.now();
  let run: InvestigationSummary;
  try {
    run = await functions.runTask(request, signal);
  } catch (error) {
    run = {
      status: signal?.aborted ? 'interrupted' : 'error',
      usage: ZERO_USAGE,
      steps: 0,
      toolCalls: 0,
      error: errorMessage(error),
    };
  }
  if (run.status === 'interrupted') return { ...run, scores: {}, wallMs: performance.now() - started };
  const options: ScoreOptions = {
    ...(request.cacheDir !== undefined ? { cacheDir: request.cacheDir } : {}),
    ...(request.judge !== undefined ? { judge: request.judge } : {}),
  };
  try {
    const scores = await functions.score(request.task, run.answer, options);
    const randomBaseline = await functions.randomBaseline?.(request.task, options);
    return {
      ...run,
      scores,
      ...(randomBaseline !== undefined ? { randomBaseline } : {}),
      wallMs: performance.now() - started,
    };
  } catch (error) {
    return {
      ...run,
      status: 'error',
      error: `scoring failed: ${errorMessage(error)}`,
      scores: {},
      wallMs: performance.now() - started,
    };
  }
}

/** A scorer's name, whether the suite lists scorers by name or as objects. */
export function scorerName(scorer: unknown): string {
  if (typeof scorer === 'string') return scorer;
  if (typeof scorer === 'object' && scorer !== null) {
    const record = scorer as Record<string, unknown>;
    for (const key of ['name', 'kind', 'type', 'scorer'])
      if (typeof record[key] === 'string') return record[key] as string;
  }
  return String(scorer);
}
