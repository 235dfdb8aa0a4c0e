import { describe, expect, it } from 'vitest';
import { conceptChance, conceptCredit, scoreConcepts } from '../../../benchmarks/scorers/concept.ts';
import { extractMentions } from '../../../benchmarks/scorers/mentions.ts';
import {
  RANDOM_ANSWER_CONCEPTS,
  RANDOM_CONCEPT_POOL,
  randomAnswer,
  randomConcepts,
} from '../../../benchmarks/scorers/random-answer.ts';
import { Task } from '../../../benchmarks/suite.ts';
import { parseFormula } from '../../../subjects/synthetic/index.ts';

function task(concepts: string[]): Task {
  return Task.parse({
    id: 'concept-test',
    family: 'mono',
    subject: 'synthetic:maia/mono-dog',
    question: 'What does unit synthetic:0 detect?',
    truth: { concepts, description: 'test' },
    scorers: ['concept'],
    heldOut: { seed: 5, n: 100 },
  });
}

const score = (concepts: string[], description: string, formula?: string) =>
  scoreConcepts(task(concepts), { description, ...(formula ? { formula } : {}) }).score;

describe('extractMentions', () => {
  it('finds vocabulary concepts through synonyms, plurals and multi-word names', () => {
    expect(extractMentions('Puppies and hot dogs on a lawn; light bulbs')).toEqual([
      'dog',
      'hot dog',
      'grass',
      'light bulb',
    ]);
    expect(extractMentions('It detects tires and the hands of people')).toEqual(['wheel', 'hand', 'people']);
  });

  it('skips words that mean something else in a description', () => {
    expect(extractMentions('The unit fires when a cat is present, firing most on light blue ones')).toEqual([
      'cat',
      'blue',
    ]);
    expect(extractMentions('upright text lines')).toEqual(['orientation:upright', 'text']);
  });

  it('reads words, characters and orientations', () => {
    expect(extractMentions('the word "stop" and the letter \'e\'')).toEqual(['word:stop', 'char:e', 'text']);
    expect(extractMentions('digit 7 in numbers')).toContain('char:7');
    expect(extractMentions('Lines rotated 180 degrees')).toContain('orientation:upside-down');
    expect(extractMentions('text at 180°')).toContain('orientation:upside-down');
    expect(extractMentions('class 180 output')).toEqual([]);
    expect(extractMentions("a dog's tail")).toEqual(['dog', 'tail']);
  });

  it('adds the formula’s concepts and words', () => {
    expect(extractMentions('see formula', 'left(dogs) OR word("exit") OR hue(red)')).toEqual([
      'dog',
      'red',
      'word:exit',
    ]);
  });
});

describe('concept scorer', () => {
  it('gives 1 for the exact concept, by any synonym or plural', () => {
    expect(score(['dog'], 'Fires on dogs.')).toBe(1);
    expect(score(['dog'], 'Responds to puppies.')).toBe(1);
    expect(score(['wheel'], 'car tyres')).toBe(1);
    expect(score(['dog'], 'no words at all', 'dog')).toBe(1);
  });

  it('gives 0.5 for a parent or member concept', () => {
    expect(score(['dog'], 'Fires on animals.')).toBe(0.5);
    expect(score(['dog'], 'mammals of any kind')).toBe(0.5);
    expect(score(['animal'], 'cats and horses')).toBe(0.5);
    expect(conceptCredit('word:stop', ['text'])).toEqual({ credit: 0.5, via: 'text' });
    expect(conceptCredit('char:E', ['char:e'])).toEqual({ credit: 0.5, via: 'char:e' });
  });

  it('gives 0.25 for a sibling: the right family, the wrong member', () => {
    expect(score(['dog'], 'Fires on cats.')).toBe(0.25);
    expect(score(['teal'], 'cyan things')).toBe(0.25);
    // A parent beats a sibling: 'animal' is right about a dog, a cat is not.
    expect(score(['dog'], 'cats and other animals')).toBe(0.5);
  });

  it("counts the truth formula's conditions beside its concepts", () => {
    const left = (description: string, formula?: string) =>
      scoreConcepts(
        Task.parse({
          ...task(['dog']),
          truth: { concepts: ['dog'], formula: 'left(dog)', description: 'test' },
        }),
        { description, ...(formula ? { formula } : {}) },
      );
    expect(left('dogs in the left half').score).toBe(1);
    expect(left('see formula', 'left(dog)').score).toBe(1);
    expect(left('dogs').score).toBe(0.5);
    expect(left('dogs in the right half').score).toBe(0.5);
    expect(left('cats on the left').score).toBe(0.625);
    const result = left('dogs');
    expect(result.detail).toContain('missing condition:half:left');
    // A condition no single concept names lowers the chance floor.
    expect(result.chance).toBeLessThan(conceptChance(['dog']));
  });

  it('gives 0 for a wrong concept', () => {
    expect(score(['dog'], 'Fires on cars and trucks.')).toBe(0);
    expect(score(['char:e'], "the letter 'a'")).toBe(0);
    expect(score(['orientation:upside-down'], 'upright text')).toBe(0);
  });

  it('averages over two concepts: one of two named is 0.5', () => {
    expect(score(['cup', 'handle'], 'cups with handles')).toBe(1);
    expect(score(['cup', 'handle'], 'cups')).toBe(0.5);
    expect(score(['cup', 'handle'], 'tableware with handles')).toBe(0.75);
    expect(score(['orientation:upside-down', 'text'], 'Fires on upside-down text')).toBe(1);
  });

  it('reports what was named, a small chance floor, and 0 without an answer', () => {
    const result = scoreConcepts(task(['dog', 'leash']), { description: 'dogs on a lead' });
    expect(result.detail).toContain('missing leash');
    expect(result.chance).toBeGreaterThan(0);
    expect(result.chance).toBeLessThan(0.05);
    expect(conceptChance(['animal'])).toBeGreaterThan(conceptChance(['dog']));
    expect(scoreConcepts(task(['dog']), undefined).score).toBe(0);
  });
});

describe('random-description baseline', () => {
  it('names k seeded concepts, the same for a task every time, as a description and a formula that parses', () => {
    const answer = randomAnswer('some-task');
    expect(randomAnswer('some-task')).toEqual(answer);
    expect(randomAnswer('other-task')).not.toEqual(answer);
    const concepts = randomConcepts('some-task');
    expect(new Set(concepts).size).toBe(RANDOM_ANSWER_CONCEPTS);
    expect(extractMentions(answer.description)).toEqual(expect.arrayContaining(concepts));
    for (const name of RANDOM_CONCEPT_POOL) parseFormula(name);
    // Specific things only: a category ('colour', 'animal') would describe much of every scene.
    expect(RANDOM_CONCEPT_POOL).not.toContain('colour');
    expect(RANDOM_CONCEPT_POOL).not.toContain('animal');
    expect(RANDOM_CONCEPT_POOL).toContain('dog');
  });
});
