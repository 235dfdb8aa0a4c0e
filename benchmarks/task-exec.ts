import { investigate } from '../agent/investigate.ts';
import { createBenchBackbone } from './baselines/index.ts';
import { randomBaselineScores, scoreTask } from './task-score.ts';
import type { InvestigationSummary, TaskFunctions, TaskRequest } from './task-run.ts';

/**
 * The real task functions, which task processes (task-child.ts) load: the agent through investigate,
 * the entry point `aia ask` uses, so a benchmark measures exactly what a user runs; then the suite's
 * scorers.
 */
export async function runTask(request: TaskRequest, signal?: AbortSignal): Promise<InvestigationSummary> {
  const { task } = request;
  const result = await investigate({
    subject: task.subject,
    question: task.question,
    ...(task.unit !== undefined ? { unit: task.unit } : {}),
    backbone: createBenchBackbone(request.backbone, task),
    ...(request.model !== undefined ? { model: request.model } : {}),
    ...(request.budget !== undefined ? { budget: request.budget } : {}),
    runDir: request.runDir,
    seed: request.seed,
    ...(request.probeSetSize !== undefined ? { probeSetSize: request.probeSetSize } : {}),
    ...(request.cacheDir !== undefined ? { cacheDir: request.cacheDir } : {}),
    ...(request.cacheMode !== undefined ? { cacheMode: request.cacheMode } : {}),
    progress: false,
    ...(signal !== undefined ? { signal } : {}),
  });
  return {
    status: result.status,
    ...(result.answer !== undefined ? { answer: result.answer } : {}),
    usage: result.usage,
    ...(result.costUsd !== undefined ? { costUsd: result.costUsd } : {}),
    steps: result.steps,
    toolCalls: result.toolCalls,
    ...(result.error !== undefined ? { error: result.error } : {}),
  };
}

export const taskFunctions: TaskFunctions = {
  runTask,
  score: scoreTask,
  randomBaseline: randomBaselineScores,
};
