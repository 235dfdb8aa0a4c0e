import { taskModality, type Task, type TaskModality } from '../suite.ts';
import { scoreTextConcepts } from './text/concept.ts';
import { scoreTextFormula } from './text/formula.ts';
import { randomTextAnswer } from './text/random-answer.ts';
import { scoreConcepts } from './concept.ts';
import { scoreFormula } from './formula.ts';
import { scoreJudge } from './judge.ts';
import { scorePredictive } from './predictive.ts';
import { scoreReliance } from './reliance.ts';
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

/** What scores an answer, per modality of the task's subject (one place that reads the modality). */
interface ModalityScoring {
  score(task: Task, answer: ScoredAnswer | undefined, options: ScoreOptions): Promise<TaskScores>;
  randomAnswer(taskId: string): ScoredAnswer;
}

const SCORING: Record<TaskModality, ModalityScoring> = {
  vision: { score: scoreVisionAnswer, randomAnswer: (id) => randomAnswer(id) },
  text: { score: scoreTextAnswer, randomAnswer: (id) => randomTextAnswer(id) },
};

export function scoreAnswer(
  task: Task,
  answer: ScoredAnswer | undefined,
  options: ScoreOptions,
): Promise<TaskScores> {
  return SCORING[taskModality(task.subject)].score(task, answer, options);
}

/**
 * Text tasks: the token-level formula scorer and the concept scorer; the judge and the predictive
 * scorer are not wired for text yet (no entry: reports show them as not run).
 */
async function scoreTextAnswer(
  task: Task,
  answer: ScoredAnswer | undefined,
  options: ScoreOptions,
): Promise<TaskScores> {
  const scores: TaskScores = {};
  for (const name of task.scorers) {
    if (name === 'formula') scores[name] = await scoreTextFormula(task, answer, options);
    else if (name === 'concept') scores[name] = scoreTextConcepts(task, answer);
  }
  return scores;
}

async function scoreVisionAnswer(
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
    else if (name === 'reliance') result = scoreReliance(task, answer);
    else if (name === 'simulation') {
      if (options.judge) result = await scoreSimulation(task, answer, { ...options, judge: options.judge });
    } else if (options.judge) result = await scoreJudge(task, answer, { ...options, judge: options.judge });
    if (result) scores[name] = result;
  }
  return scores;
}

/** What the random-description baseline (k seeded random concepts) scores on the task, per scorer. */
export function randomBaseline(task: Task, options: ScoreOptions): Promise<TaskScores> {
  return scoreAnswer(task, SCORING[taskModality(task.subject)].randomAnswer(task.id), options);
}
