import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nearMiss, nearMissCandidates } from '../../../benchmarks/scorers/near-miss.ts';
import {
  answerConditionKeys,
  describedConditionKeys,
  formulaConditionKeys,
} from '../../../benchmarks/scorers/condition-keys.ts';
import { describeFormula, parseFormula, printFormula } from '../../../subjects/synthetic/index.ts';
import { colourHue, hueDistance } from '../../../subjects/synthetic/hues.ts';
import { isA } from '../../../stimuli/vocabulary.ts';

const formulaOf = (text: string, key = 'k') => nearMiss(text, key)?.answer.formula;

describe('near misses', () => {
  it('drop a condition, keeping what the unit fires on', () => {
    expect(nearMiss('left(dog)', 'k')).toMatchObject({ kind: 'condition', answer: { formula: 'dog' } });
    expect(formulaOf('large(shape)')).toBe('shape');
    expect(formulaOf('count(shape) = 2')).toBe('shape');
    expect(formulaOf('above(people, shape)')).toBe('people AND shape');
    expect(formulaOf('char("e") AND orientation(upright)')).toBe('char("e")');
  });

  it('make one concept too broad, too narrow or one branch wrong, where no condition is stated', () => {
    expect(nearMiss('dog', 'k')).toMatchObject({ kind: 'concept', answer: { formula: 'mammal' } });
    // vehicle has no parent below the roots: a member stands in (narrower).
    const vehicle = formulaOf('vehicle')!;
    expect(isA(vehicle, 'vehicle') && vehicle !== 'vehicle').toBe(true);
    expect(formulaOf('word("sky")')).toBe('text');
    expect(formulaOf('text')).toMatch(/^word\("[a-z]+"\)$/);
    const or = parseFormula(formulaOf('window OR wheel')!);
    expect(or.op).toBe('or');
    if (or.op === 'or') {
      expect(printFormula(or.left)).toBe('window');
      expect(printFormula(or.right)).not.toBe('wheel');
    }
    // AND NOT: the excluded thing is the one changed; what fires is kept.
    expect(formulaOf('tent AND NOT mountain')).toMatch(/^tent AND NOT (?!mountain\b)/);
  });

  it('move a hue at least one tuning width away', () => {
    for (const [colour, sigma] of [
      ['teal', 20],
      ['yellow', 45],
      ['red', 30],
    ] as const) {
      const moved = parseFormula(formulaOf(`hue(${colour}, ${sigma})`)!);
      expect(moved.op).toBe('hue');
      if (moved.op === 'hue')
        expect(hueDistance(colourHue(moved.colour)!, colourHue(colour)!)).toBeGreaterThanOrEqual(sigma);
    }
  });

  it('never repeat the truth, parse, and are seeded', () => {
    const suite = JSON.parse(readFileSync('benchmarks/suites/synthetic-hard.json', 'utf8')) as {
      tasks: { id: string; truth: { formula: string } }[];
    };
    for (const task of suite.tasks) {
      const candidates = nearMissCandidates(task.truth.formula, task.id);
      expect(candidates.length, task.id).toBeGreaterThan(0);
      const truth = printFormula(parseFormula(task.truth.formula));
      for (const c of candidates) {
        expect(c.answer.formula).not.toBe(truth);
        expect(printFormula(parseFormula(c.answer.formula!))).toBe(c.answer.formula);
      }
      expect(nearMissCandidates(task.truth.formula, task.id)).toEqual(candidates);
    }
  });
});

describe('condition keys', () => {
  it('read halves, sizes, relations and counts from a formula, not from under a NOT', () => {
    expect(formulaConditionKeys('left(dog)')).toEqual(['condition:half:left']);
    expect(formulaConditionKeys('large(shape) OR below(cat, tree)')).toEqual([
      'condition:size:large',
      'condition:relation:below',
    ]);
    expect(formulaConditionKeys('count(shape) >= 2')).toEqual(['condition:count:>=2']);
    expect(formulaConditionKeys('xspan(text, 0, 0.5)')).toEqual(['condition:half:left']);
    expect(formulaConditionKeys('cat AND NOT left(dog)')).toEqual([]);
    expect(formulaConditionKeys('dog OR cat')).toEqual([]);
    expect(formulaConditionKeys('((((')).toEqual([]);
  });

  it('read the same conditions from the words that describe every synthetic-hard formula', () => {
    const suite = JSON.parse(readFileSync('benchmarks/suites/synthetic-hard.json', 'utf8')) as {
      tasks: { truth: { formula: string } }[];
    };
    for (const { truth } of suite.tasks) {
      const words = describeFormula(parseFormula(truth.formula));
      expect(describedConditionKeys(words).sort(), words).toEqual(formulaConditionKeys(truth.formula).sort());
    }
  });

  it('read conditions written by hand, and skip denied ones', () => {
    expect(describedConditionKeys('big red circles in the upper half')).toEqual([
      'condition:half:top',
      'condition:size:large',
    ]);
    expect(describedConditionKeys('a cat above a tree')).toEqual(['condition:relation:above']);
    expect(describedConditionKeys('two or more dogs')).toEqual(['condition:count:>=2']);
    expect(describedConditionKeys('dogs, not large ones')).toEqual([]);
    expect(answerConditionKeys('dogs on the left', 'large(dog)').sort()).toEqual([
      'condition:half:left',
      'condition:size:large',
    ]);
  });
});
