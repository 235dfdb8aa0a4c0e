import type { Backbone } from '../../agent/backbone.ts';
import { ExemplarsOnlyBackbone } from './exemplars-only.ts';
import { RandomBackbone } from './random.ts';
import { BehaviourBaseline } from './behaviour.ts';
import { questionKind } from '../../agent/question.ts';

export { ExemplarsOnlyBackbone, commonestConcept } from './exemplars-only.ts';
export { RandomBackbone } from './random.ts';

/** The baselines a benchmark can run besides the agents, scripted and free. */
export const BASELINE_NAMES = ['random', 'exemplars-only'] as const;
export type BaselineName = (typeof BASELINE_NAMES)[number];

export function isBaseline(name: string): name is BaselineName {
  return (BASELINE_NAMES as readonly string[]).includes(name);
}

/**
 * The backbone for one benchmark task: a baseline built for the task (it needs the task's id for its
 * seed and its unit), or any other name (dissect, anthropic, openai, …) handed to investigate as is,
 * which builds it exactly as `aia ask` would.
 */
export function createBenchBackbone(
  name: string,
  task: { id: string; unit?: string; question?: string },
): Backbone | string {
  // Questions about a whole model have no unit to look at: their baselines look at the datasets instead.
  const whole = task.question !== undefined && questionKind(task.question, { unit: task.unit }) !== 'unit';
  if (whole && isBaseline(name)) return new BehaviourBaseline(name, task.id);
  switch (name) {
    case 'random':
      return new RandomBackbone(task);
    case 'exemplars-only':
      return new ExemplarsOnlyBackbone(task);
    default:
      return name;
  }
}
