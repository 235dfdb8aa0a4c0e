import type { Backbone } from '../../agent/backbone.ts';

/** One scorer's verdict on one answer. */
export interface ScorerResult {
  /** The headline number, 0..1 (see each scorer for what it is). */
  score: number;
  /** What a chance guess scores: 1/3 for the three-way judge test, 0 where no guess beats nothing. */
  chance: number;
  /** A few words on why, for reports. */
  detail: string;
  /** Secondary numbers (r, AUROC, counts), for reports that want them. */
  metrics?: Record<string, number>;
}

/**
 * Scores of one answer, by scorer name (a ScorerName), in the task's scorer order; a scorer that did
 * not run (the judge, without a judge model) is absent. A plain record, so it is also a runner ScoreMap.
 */
export type TaskScores = Record<string, ScorerResult>;

export interface ScoreOptions {
  /** Cache root: held-out probe sets in `probesets/`, unit activations in `activations/`. */
  cacheDir: string;
  /** A judge model for the unit-test scorer; without one, that scorer is skipped. */
  judge?: Backbone;
  /** Judge trials per task (default 5). */
  judgeTrials?: number;
  /** Scene pairs the predictive scorer renders (default 8). */
  predictiveTrials?: number;
}

/** The answer fields scorers read (tools/context.ts AnswerRecord has these and more). */
export interface ScoredAnswer {
  description: string;
  formula?: string;
}

export function noAnswer(chance: number): ScorerResult {
  return { score: 0, chance, detail: 'no answer' };
}
