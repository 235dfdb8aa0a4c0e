import { describe, expect, it } from 'vitest';
import { answerFeature, answerVerdict, scoreReliance } from '../../../benchmarks/scorers/reliance.ts';
import { Task } from '../../../benchmarks/suite.ts';

const task = (reliance: { feature: string; spurious?: boolean }) =>
  Task.parse({
    id: 't',
    family: 'spurious',
    subject: 'fashion-spurious',
    question: 'Does this model rely on a spurious feature?',
    truth: { description: 'x', reliance },
    scorers: ['reliance'],
    heldOut: { seed: 2, n: 100 },
  });

describe('reliance scorer', () => {
  it('reads the verdict, negations included', () => {
    expect(answerVerdict('Yes: the model relies on the square, a spurious feature.')).toBe(true);
    expect(
      answerVerdict('No: the model does not rely on a spurious feature; it relies on the garment.'),
    ).toBe(false);
    expect(answerVerdict("It doesn't rely on anything spurious.")).toBe(false);
    expect(answerVerdict('The classifier is biased toward the coloured patch.')).toBe(true);
    expect(answerVerdict('Fires on dogs.')).toBeUndefined();
    // Not being able to measure is no verdict.
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

  it('scores verdict and feature, each half', () => {
    const spurious = task({ feature: 'square', spurious: true });
    expect(
      scoreReliance(spurious, { description: 'Yes: the model relies on the square, a spurious feature.' })
        .score,
    ).toBe(1);
    expect(scoreReliance(spurious, { description: 'No: it relies on the garment.' }).score).toBe(0);
    expect(
      scoreReliance(spurious, { description: 'Yes, a spurious feature: it relies on the garment.' }).score,
    ).toBe(0.5);
    expect(scoreReliance(spurious, undefined).score).toBe(0);
    const cls = task({ feature: 'garment' });
    expect(scoreReliance(cls, { description: 'Class Bag relies on the garment.' }).score).toBe(1);
    expect(scoreReliance(cls, { description: 'Class Bag relies on the square.' }).score).toBe(0);
  });

  it('is refused by the suite schema without truth.reliance, and a unit question still needs a unit', () => {
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
