import { describe, expect, it } from 'vitest';
import {
  answerFeature,
  answerVerdict,
  relianceScore,
  scoreReliance,
} from '../../../benchmarks/scorers/reliance.ts';
import { backgroundBiasSuite } from '../../../benchmarks/suites/background-bias.ts';
import { parseSuite, Task } from '../../../benchmarks/suite.ts';

const biased = { target: 'boat', feature: 'water', relies: true };
const balanced = { target: 'boat', feature: 'water', relies: false };

describe('reliance scorer', () => {
  it('credits naming the feature on a biased model and the target alone on its control', () => {
    expect(relianceScore(biased, ['boat', 'water']).score).toBe(1);
    expect(relianceScore(balanced, ['boat', 'water']).score).toBe(0.5);
    expect(relianceScore(biased, ['boat']).score).toBe(0);
    expect(relianceScore(balanced, ['boat']).score).toBe(1);
    expect(relianceScore(biased, ['water']).score).toBe(1);
    expect(relianceScore(balanced, ['water']).score).toBe(0);
    // A relative earns half, as in the concept scorer: 'ship' is a boat.
    expect(relianceScore(balanced, ['ship']).score).toBe(0.5);
  });

  it('reads the answer’s words and formula, and a feature under NOT is not a claim', async () => {
    const [biasedTask, balancedTask] = backgroundBiasSuite().tasks;
    const answer = { description: 'Fires on boats floating on water.', formula: 'boat OR water' };
    expect(scoreReliance(biasedTask!, answer).score).toBe(1);
    expect(scoreReliance(balancedTask!, answer).score).toBe(0.5);
    const denial = { description: 'Fires on boats, whatever the background.', formula: 'boat AND NOT water' };
    expect(scoreReliance(biasedTask!, denial).score).toBe(0);
    expect(scoreReliance(balancedTask!, denial).score).toBe(1);
    expect(scoreReliance(biasedTask!, undefined).score).toBe(0);
    // A random concept rarely names water or a boat.
    expect(scoreReliance(biasedTask!, answer).chance).toBeLessThan(0.05);
  });

  it('suites must give truth.reliance to the reliance scorer, with vocabulary concepts', () => {
    const suite = JSON.parse(JSON.stringify(backgroundBiasSuite())) as {
      tasks: { truth: { reliance?: { feature: string } } }[];
    };
    suite.tasks[0]!.truth.reliance!.feature = 'watter';
    expect(() => parseSuite(suite, 'test')).toThrow(/reliance\.feature.*'watter' is not a concept/s);
    delete suite.tasks[0]!.truth.reliance;
    expect(() => parseSuite(suite, 'test')).toThrow(/the reliance scorer needs truth\.reliance/);
  });
});

describe('reliance scorer, what the feature looks like', () => {
  it('gives half for the cue (blue for water), nothing when it is denied', () => {
    const truth = { ...biased, looksLike: ['blue'] };
    expect(relianceScore(truth, ['blue', 'cyan']).score).toBe(0.5);
    expect(relianceScore(truth, ['water', 'blue']).score).toBe(1);
    expect(relianceScore(truth, ['blue'], ['blue']).score).toBe(0);
    expect(relianceScore({ ...balanced, looksLike: ['blue'] }, ['boat', 'blue']).score).toBe(0.5);
  });
});

const fashionTask = (relies: boolean, question = 'Does this model rely on a spurious feature?') =>
  Task.parse({
    id: 't',
    family: 'spurious',
    subject: 'fashion-spurious',
    question,
    truth: { description: 'x', reliance: { target: 'garment', feature: 'square', relies } },
    scorers: ['reliance'],
    heldOut: { seed: 2, n: 100 },
  });

describe('reliance scorer, claims in words (dataset annotations)', () => {
  it('reads the verdict, negations included', () => {
    expect(answerVerdict('Yes: the model relies on the square, a spurious feature.')).toBe(true);
    expect(
      answerVerdict('No: the model does not rely on a spurious feature; it relies on the garment.'),
    ).toBe(false);
    expect(answerVerdict("It doesn't rely on anything spurious.")).toBe(false);
    expect(answerVerdict('The classifier is biased toward the coloured patch.')).toBe(true);
    expect(answerVerdict('Fires on dogs.')).toBeUndefined();
    expect(
      answerVerdict('I could not measure what the model relies on (model_reliance failed).'),
    ).toBeUndefined();
  });

  it('reads the feature relied on, skipping negated phrases', () => {
    expect(answerFeature('No: the model does not rely on the square; it relies on the garment.')).toBe(
      'garment',
    );
    expect(answerFeature('Class Bag relies mostly on the coloured square in the corner.')).toBe('square');
    expect(answerFeature('It depends on the clothing itself.')).toBe('garment');
    expect(answerFeature('It looks at things.')).toBeUndefined();
  });

  it('scores the claim against the truth: the feature on a biased model, the target on its control', () => {
    const spurious = fashionTask(true);
    const normal = fashionTask(false);
    const yes = { description: 'Yes: the model relies on the square, a spurious feature.' };
    const no = {
      description: 'No: it does not rely on the square; it relies on the garment. Square EA_PG 0.00.',
    };
    expect(scoreReliance(spurious, yes).score).toBe(1);
    expect(scoreReliance(spurious, no).score).toBe(0);
    expect(scoreReliance(normal, no).score).toBe(1);
    expect(scoreReliance(normal, yes).score).toBe(0);
    // A verdict right but the wrong feature named.
    expect(
      scoreReliance(spurious, { description: 'Yes, a spurious feature: it relies on the garment.' }).score,
    ).toBe(0);
    const cls = fashionTask(true, 'What does class Bag rely on?');
    expect(scoreReliance(cls, { description: 'Class Bag relies on the square.' }).score).toBe(1);
    expect(scoreReliance(cls, { description: 'Class Bag relies on the garment.' }).score).toBe(0);
  });

  it('accepts annotated concepts in truth.reliance, and a unit question still needs a unit', () => {
    expect(() => fashionTask(true)).not.toThrow();
    const base = {
      id: 't',
      family: 'f',
      subject: 'fashion-spurious',
      truth: { description: 'x' },
      heldOut: { seed: 2, n: 100 },
    };
    expect(() =>
      Task.parse({ ...base, question: 'Does it rely on a spurious feature?', scorers: ['reliance'] }),
    ).toThrow(/truth.reliance/);
    expect(() =>
      Task.parse({ ...base, question: 'What does this unit detect?', scorers: ['predictive'] }),
    ).toThrow(/must name its unit/);
  });
});
