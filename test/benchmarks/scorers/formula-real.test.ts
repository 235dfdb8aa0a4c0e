import { afterAll, describe, expect, it } from 'vitest';
import { releaseHeldOut } from '../../../benchmarks/scorers/held-out.ts';
import { scoreFormula } from '../../../benchmarks/scorers/formula.ts';
import { Task } from '../../../benchmarks/suite.ts';
import { TEST_CACHE } from './fixtures.ts';

/** The formula scorer on a real model: text properties in the concept language, scored offline. */

const task = Task.parse({
  id: 'formula-real-cls-180',
  family: 'orientation',
  subject: 'paddle-ocr-cls',
  unit: 'softmax_0.tmp_0:1',
  question: 'What does softmax_0.tmp_0:1 detect?',
  truth: { description: "class '180'" },
  scorers: ['formula'],
  heldOut: { seed: 77, n: 96 },
});
const options = { cacheDir: TEST_CACHE };
afterAll(() => releaseHeldOut());

describe('formula scorer on a real subject', () => {
  it("ranks orientation formulas for the classifier's upside-down class: right > wrong", async () => {
    const right = await scoreFormula(
      task,
      { description: 'upside-down text', formula: 'orientation(upside-down)' },
      options,
    );
    const wrong = await scoreFormula(
      task,
      { description: 'upright text', formula: 'orientation(upright)' },
      options,
    );
    const unrelated = await scoreFormula(
      task,
      { description: 'the letter e', formula: 'char("e")' },
      options,
    );
    expect(right.score).toBeGreaterThan(0.6); // measured 0.75: the class probability is graded, not 0/1
    expect(wrong.score).toBe(0);
    expect(wrong.metrics?.r).toBeLessThan(-0.6);
    expect(unrelated.score).toBeLessThan(0.3);
    expect(right.detail).toMatch(/formula orientation\(upside-down\)/);
  }, 60_000);
});
