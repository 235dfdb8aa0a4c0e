import type { Task } from '../suite.ts';
import { scoreConcepts } from './concept.ts';
import { scoreFormula } from './formula.ts';
import { scoreJudge } from './judge.ts';
import { scorePredictive } from './predictive.ts';
import { randomAnswer } from './random-answer.ts';
import { scoreSimulation } from './simulation.ts';
import type { ScoredAnswer, ScoreOptions, ScorerResult, TaskScores } from './types.ts';

/**
 * Scoring a benchmark answer: every scorer the task lists, in its order (the first is the task's
 * headline). The judge runs only when a judge backbone is given; without one its entry is absent.
 * Definitions and headline metrics: docs/benchmarks.md.
 */
export type { ScoreOptions, ScorerResult, TaskScores, ScoredAnswer } from './types.ts';
export { releaseHeldOut } from './held-out.ts';
export { randomAnswer, RANDOM_ANSWER_CONCEPTS } from './random-answer.ts';
export { extractMentions } from './mentions.ts';

export async function scoreAnswer(
  task: Task,
  answer: ScoredAnswer | undefined,
  options: ScoreOptions,
): Promise<TaskScores> {
  const scores: TaskScores = {};
  for (const name of task.scorers) {
    let result: ScorerResult | undefined;
    if (name === 'formula') result = await scoreFormula(task, answer, options);
    else if (name === 'concept') result = scoreConcepts(task, answer);
    else if (name === 'predictive') result = await scorePredictive(task, answer, options);
    else if (name === 'simulation') {
      if (options.judge) result = await scoreSimulation(task, answer, { ...options, judge: options.judge });
    } else if (options.judge) result = await scoreJudge(task, answer, { ...options, judge: options.judge });
    if (result) scores[name] = result;
  }
  return scores;
}

/** What the random-description baseline (k seeded random concepts) scores on the task, per scorer. */
export function randomBaseline(task: Task, options: ScoreOptions): Promise<TaskScores> {
  return scoreAnswer(task, randomAnswer(task.id), options);
}
