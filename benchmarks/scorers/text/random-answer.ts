import { TEXT_CONCEPTS } from '../../../stimuli/text/concepts.ts';
import { createRandom, hashString } from '../../../util/random.ts';
import type { ScoredAnswer } from '../types.ts';

/** The random-description baseline on text: k token concepts drawn for the task id, OR-ed. */
export function randomTextAnswer(taskId: string, k = 3): ScoredAnswer {
  const random = createRandom(hashString(`random-answer\n${taskId}`));
  const pool = [...TEXT_CONCEPTS];
  const chosen: string[] = [];
  while (chosen.length < k) chosen.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
  return {
    description: `Fires on ${chosen.map((c) => c.replace(/_/g, ' ')).join(', ')} tokens.`,
    formula: chosen.join(' OR '),
  };
}
