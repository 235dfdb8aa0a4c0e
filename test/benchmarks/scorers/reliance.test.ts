import { describe, expect, it } from 'vitest';
import { relianceScore, scoreReliance } from '../../../benchmarks/scorers/reliance.ts';
import { backgroundBiasSuite } from '../../../benchmarks/suites/background-bias.ts';
import { parseSuite } from '../../../benchmarks/suite.ts';

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
