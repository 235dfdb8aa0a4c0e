import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { scoreFormula } from '../../../benchmarks/scorers/formula.ts';
import { canonicalFormula, formulaValues } from '../../../benchmarks/scorers/formula-values.ts';
import {
  heldOutData,
  releaseHeldOut,
  SCORING_SCENES,
  scoringScenes,
  type HeldOutData,
} from '../../../benchmarks/scorers/held-out.ts';
import { auroc } from '../../../benchmarks/scorers/auroc.ts';
import { evaluateFormula, parseFormula } from '../../../subjects/synthetic/index.ts';
import { makeProbeSet, type ProbeSet } from '../../../stimuli/probeset.ts';
import { deriveItemMap, deriveMasks } from '../../../stimuli/masks.ts';
import { TEST_CACHE, TEST_HELD_OUT, unitTask } from './fixtures.ts';

const options = { cacheDir: TEST_CACHE };
const animal = unitTask('animal-unit', { family: 'mono', concept: 'animal' });
const shapeWithBlue = unitTask('shape-blue-unit', { family: 'and', concepts: ['shape', 'blue'] });

afterAll(() => releaseHeldOut());

describe('formula scorer', () => {
  it('scores the true formula r ≈ 1 and AUROC ≈ 1', async () => {
    const result = await scoreFormula(animal, { description: 'animals', formula: 'animal' }, options);
    expect(result.score).toBeGreaterThan(0.999);
    expect(result.metrics?.auroc).toBeGreaterThan(0.999);
    expect(result.metrics?.positives).toBeGreaterThan(10);
    expect(result.chance).toBe(0);
  });

  it('scores a wrong concept low', async () => {
    const result = await scoreFormula(animal, { description: 'vehicles', formula: 'vehicle' }, options);
    expect(result.score).toBeLessThan(0.2);
    expect(result.metrics?.auroc).toBeLessThan(0.65);
  });

  it('gives a relative partial credit: the parent scores between wrong and right', async () => {
    const parent = await scoreFormula(
      unitTask('mammal-unit', { family: 'mono', concept: 'mammal' }),
      { description: 'animals', formula: 'animal' },
      options,
    );
    expect(parent.score).toBeGreaterThan(0.4);
    expect(parent.score).toBeLessThan(0.95);
  });

  it('scores the AND rule far above its first concept alone, resting noise and all', async () => {
    const truth = await scoreFormula(shapeWithBlue, { description: '', formula: 'shape AND blue' }, options);
    const half = await scoreFormula(shapeWithBlue, { description: '', formula: 'shape' }, options);
    expect(truth.score).toBeGreaterThan(0.95);
    expect(truth.metrics?.auroc).toBeGreaterThan(0.99);
    expect(half.score).toBeLessThan(truth.score - 0.2);
  });

  it('reads concept names through the vocabulary and notes unknown ones', async () => {
    const plural = await scoreFormula(animal, { description: '', formula: 'animals' }, options);
    expect(plural.score).toBeGreaterThan(0.999);
    const unknown = await scoreFormula(animal, { description: '', formula: 'animal OR zorblax' }, options);
    expect(unknown.detail).toContain('zorblax');
  });

  it('scores 0 with a note when there is no formula, a broken one, or no answer', async () => {
    const none = await scoreFormula(animal, { description: 'animals' }, options);
    expect(none.score).toBe(0);
    expect(none.detail).toMatch(/no formula/);
    const broken = await scoreFormula(animal, { description: '', formula: 'animal AND (' }, options);
    expect(broken.score).toBe(0);
    expect(broken.detail).toMatch(/does not parse/);
    expect((await scoreFormula(animal, undefined, options)).detail).toBe('no answer');
  });

  it("uses held-out scenes of the task's own seed, and the unit's true (noisy) activations", async () => {
    const noisy = unitTask('noisy-animal', {
      family: 'mono',
      concept: 'animal',
      noise: { kind: 'gaussian', level: 0.2 },
    });
    const data = await heldOutData(noisy, TEST_CACHE);
    expect(data.set.seed).toBe(TEST_HELD_OUT.seed);
    expect(data.set.n).toBe(TEST_HELD_OUT.n);
    const result = await scoreFormula(noisy, { description: '', formula: 'animal' }, options);
    expect(result.score).toBeGreaterThan(0.6);
    expect(result.score).toBeLessThan(0.999);
  });
});

describe('formulaValues', () => {
  let set: ProbeSet;
  beforeAll(async () => {
    set = await makeProbeSet({ ...TEST_HELD_OUT, size: 224, cacheDir: join(TEST_CACHE, 'probesets') });
  });
  afterAll(() => set.close());

  it('equals evaluating every scene with every mask, shortcuts included', () => {
    const formulas = [
      'animal',
      'NOT dog',
      'shape AND NOT blue',
      'count(NOT dog) >= 2',
      'hue(red)',
      'word("stop") OR text',
      'left(animal) OR blue & shape',
      'above(animal, shape)',
      'large(polygon)',
    ];
    for (const text of formulas) {
      const formula = canonicalFormula(parseFormula(text)).formula;
      const fast = formulaValues(formula, set, 14);
      // Half the set keeps the test quick; every formula still meets scenes with and without its concepts.
      for (let i = 0; i < 60; i++) {
        const labels = set.labels(i);
        const scene = {
          image: { width: set.width, height: set.height },
          masks: deriveMasks(labels.labels, labels.labelConcepts),
          itemMap: deriveItemMap(labels.labels, labels.labelItem),
          annotation: set.scenes[i]!.annotation,
        };
        expect(fast[i], `${text} on scene ${i}`).toBeCloseTo(
          evaluateFormula(formula, scene, { grid: 14 }).value,
          6,
        );
      }
    }
  });
});

describe('scoringScenes', () => {
  it('keeps every firing scene of a large set and a fixed sample of the rest', () => {
    const n = 4000;
    const truth = Float32Array.from({ length: n }, (_, i) => (i % 400 === 7 ? 1 : 0));
    // Only the set's size and seed, the truth and the threshold matter here.
    const data = { set: { n, seed: 9 }, truth, threshold: 0.5, range: 1 } as unknown as HeldOutData;
    const scenes = scoringScenes(data);
    expect(scenes).toHaveLength(SCORING_SCENES);
    expect(scenes.filter((i) => truth[i] === 1)).toHaveLength(10);
    expect([...scenes].sort((a, b) => a - b)).toEqual(scenes);
    expect(scoringScenes(data)).toEqual(scenes);
    const small = {
      ...data,
      set: { n: 500, seed: 9 },
      truth: truth.subarray(0, 500),
    } as unknown as HeldOutData;
    expect(scoringScenes(small)).toHaveLength(500);
  });
});

describe('auroc', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one, 0.5 for ties, NaN without both classes', () => {
    expect(auroc([0.9, 0.8, 0.1, 0.2], [true, true, false, false])).toBe(1);
    expect(auroc([0.1, 0.2, 0.9, 0.8], [true, true, false, false])).toBe(0);
    expect(auroc([1, 1, 1, 1], [true, false, true, false])).toBe(0.5);
    expect(auroc([1, 2], [true, true])).toBeNaN();
  });
});
