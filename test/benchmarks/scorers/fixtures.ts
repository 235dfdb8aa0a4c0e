import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Task, type ScorerName } from '../../../benchmarks/suite.ts';

/**
 * Small held-out sets for scorer tests: one cache shared by every test file (and every run), so the
 * 96 scenes are rendered once per machine, not once per file (below 100 scenes, in-thread: worker
 * start-up would cost more than the rendering).
 */
export const TEST_CACHE = join(tmpdir(), 'aia-benchmark-scorer-tests');
export const TEST_HELD_OUT = { seed: 77, n: 96 };

export function unitTask(
  id: string,
  definition: { family: string; [field: string]: unknown },
  options: { concepts?: string[]; formula?: string; scorers?: ScorerName[] } = {},
): Task {
  return Task.parse({
    id,
    family: definition.family,
    subject: `synthetic:${JSON.stringify([{ ...definition, id }])}`,
    question: 'What does unit synthetic:0 detect?',
    truth: {
      ...(options.formula ? { formula: options.formula } : {}),
      ...(options.concepts ? { concepts: options.concepts } : {}),
      description: 'test unit',
    },
    scorers: options.scorers ?? ['formula'],
    heldOut: TEST_HELD_OUT,
  });
}
