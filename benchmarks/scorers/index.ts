import { taskModality, type ScorerName, type Task, type TaskModality } from '../suite.ts';
import { scoreTextConcepts } from './text/concept.ts';
import { scoreTextFormula } from './text/formula.ts';
import { scoreBehaviour } from './behaviour/behaviour.ts';
import { scoreTrigger } from './behaviour/trigger.ts';
import { scoreTriggerRate } from './behaviour/trigger-rate.ts';
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

/**
 * One scorer of one modality: its verdict, or undefined when it cannot run here (a judge-based scorer
 * without a judge backbone), which leaves its entry absent so reports show it as not run.
 */
type Scorer = (
  task: Task,
  answer: ScoredAnswer | undefined,
  options: ScoreOptions,
) => Promise<ScorerResult | undefined> | ScorerResult | undefined;

/** The scorers each modality has; a name a modality lacks is not run for its tasks. */
type ScorerTable = Partial<Record<ScorerName, Scorer>>;

const VISION_SCORERS: ScorerTable = {
  formula: scoreFormula,
  concept: (task, answer) => scoreConcepts(task, answer),
  predictive: scorePredictive,
  reliance: (task, answer) => scoreReliance(task, answer),
  simulation: (task, answer, options) =>
    options.judge ? scoreSimulation(task, answer, { ...options, judge: options.judge }) : undefined,
  judge: (task, answer, options) =>
    options.judge ? scoreJudge(task, answer, { ...options, judge: options.judge }) : undefined,
};

/**
 * Text tasks: the token-level formula scorer and the concept scorer for units; trigger, behaviour and
 * trigger rate for behaviour questions (no unit). The judges are not wired for text yet.
 */
const TEXT_SCORERS: ScorerTable = {
  formula: scoreTextFormula,
  concept: (task, answer) => scoreTextConcepts(task, answer),
  trigger: (task, answer) => scoreTrigger(task, answer),
  behaviour: (task, answer) => scoreBehaviour(task, answer),
  trigger_rate: scoreTriggerRate,
};

/** What scores an answer, per modality of the task's subject (one place that reads the modality). */
interface ModalityScoring {
  scorers: ScorerTable;
  randomAnswer(taskId: string): ScoredAnswer;
}

const SCORING: Record<TaskModality, ModalityScoring> = {
  vision: { scorers: VISION_SCORERS, randomAnswer: (id) => randomAnswer(id) },
  text: { scorers: TEXT_SCORERS, randomAnswer: (id) => randomTextAnswer(id) },
};

export async function scoreAnswer(
  task: Task,
  answer: ScoredAnswer | undefined,
  options: ScoreOptions,
): Promise<TaskScores> {
  const { scorers } = SCORING[taskModality(task.subject)];
  const scores: TaskScores = {};
  for (const name of task.scorers) {
    const result = await scorers[name]?.(task, answer, options);
    if (result) scores[name] = result;
  }
  return scores;
}

/** What the random-description baseline (k seeded random concepts) scores on the task, per scorer. */
export function randomBaseline(task: Task, options: ScoreOptions): Promise<TaskScores> {
  return scoreAnswer(task, SCORING[taskModality(task.subject)].randomAnswer(task.id), options);
}
