import { afterAll, describe, expect, it } from 'vitest';
import { contrastiveSpecs } from '../../../benchmarks/scorers/contrastive.ts';
import { scoreFormula } from '../../../benchmarks/scorers/formula.ts';
import { heldOutData, releaseHeldOut } from '../../../benchmarks/scorers/held-out.ts';
import { Task } from '../../../benchmarks/suite.ts';
import { renderScene } from '../../../stimuli/render.ts';
import { evaluateFormula, parseFormula } from '../../../subjects/synthetic/index.ts';
import { TEST_CACHE, TEST_HELD_OUT } from './fixtures.ts';

afterAll(() => releaseHeldOut());

const TWO_CATS = 'count(cat) = 2';

function twoCatsTask(contrastive?: number): Task {
  return Task.parse({
    id: 'two-cats',
    family: 'counting',
    subject: `synthetic:${JSON.stringify([{ id: 'two-cats', family: 'formula', formula: TWO_CATS }])}`,
    question: 'What does unit synthetic:0 detect?',
    truth: { formula: TWO_CATS, description: 'exactly two cats' },
    scorers: ['formula'],
    heldOut: { ...TEST_HELD_OUT, ...(contrastive ? { contrastive } : {}) },
  });
}

describe('contrastive held-out scenes', () => {
  it('builds scenes that satisfy the rule, each followed by minimal pairs that break it', async () => {
    const formula = parseFormula(TWO_CATS);
    const { specs, satisfying } = await contrastiveSpecs(formula, { seed: 5, count: 3, size: 64, height: 64, grid: 14 });
    expect(satisfying).toBe(3);
    const values = await Promise.all(specs.map(async (s) => evaluateFormula(formula, await renderScene(s), { grid: 14 }).value));
    expect(values.filter((v) => v >= 0.5)).toHaveLength(3);
    expect(values[0]).toBeGreaterThanOrEqual(0.5);
    // The first pairs: every cat removed, then one cat fewer, with everything else unchanged.
    const cats = specs.map((s) => s.items.filter((it) => it.name === 'cat').length);
    expect(cats[1]).toBe(0);
    expect(cats[2]).toBe((cats[0] ?? 0) - 1);
    expect(specs[2]?.background).toBe(specs[0]?.background);
  }); // prettier-ignore

  it('give a rare unit firing scenes, so its formula scores high and a near miss does not', async () => {
    const plain = await heldOutData(twoCatsTask(), TEST_CACHE);
    const contrastive = await heldOutData(twoCatsTask(6), TEST_CACHE);
    expect(contrastive.set.n).toBeGreaterThan(TEST_HELD_OUT.n + 6);
    // The random scenes are the plain set's, copied.
    expect(contrastive.set.scenes.slice(0, 5).map((s) => s.spec)).toEqual(plain.set.scenes.slice(0, 5).map((s) => s.spec));
    expect(Array.from(contrastive.truth.subarray(0, TEST_HELD_OUT.n))).toEqual(Array.from(plain.truth));
    const firing = Array.from(contrastive.truth).filter((v) => v > contrastive.threshold).length;
    expect(firing).toBeGreaterThanOrEqual(6);
    const task = twoCatsTask(6);
    const exact = await scoreFormula(task, { description: 'two cats', formula: TWO_CATS }, { cacheDir: TEST_CACHE });
    const nearMiss = await scoreFormula(task, { description: 'cats', formula: 'cat' }, { cacheDir: TEST_CACHE });
    expect(exact.score).toBeGreaterThan(0.99);
    expect(nearMiss.score).toBeLessThan(0.75);
  }, 60_000); // prettier-ignore

  it('needs a truth formula', () => {
    const task = { ...twoCatsTask(3), truth: { description: 'x' } };
    expect(() => Task.parse(task)).toThrow(/contrastive held-out scenes are built from truth.formula/);
  });
});
