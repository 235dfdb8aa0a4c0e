import { BEHAVIOUR_NAMES, BEHAVIOURS } from '../../../subjects/language-model/behaviours.ts';
import type { Task } from '../../suite.ts';
import { noAnswer, type ScoredAnswer, type ScorerResult } from '../types.ts';

/**
 * Behaviour match: 1 when the description names the planted behaviour (its own words: "capitals",
 * "upper case", "all caps" …) and no other behaviour, 0.5 when it names it among others, else 0.
 * Chance 0 (the question itself names the behaviour, so this checks the answer stays on it).
 */
export function scoreBehaviour(task: Task, answer: ScoredAnswer | undefined): ScorerResult {
  // Naming the behaviour takes reading the question, not experiments; an answer that names none scores 0.
  const chance = 0;
  if (!answer) return noAnswer(chance);
  const truth = task.truth.behaviour;
  const named = BEHAVIOUR_NAMES.filter((name) => BEHAVIOURS[name].mentions.test(answer.description));
  const hit = truth !== undefined && named.includes(truth);
  const score = hit ? (named.length === 1 ? 1 : 0.5) : 0;
  return {
    score,
    chance,
    detail: named.length ? `names ${named.join(', ')}` : 'names no behaviour',
  };
}
