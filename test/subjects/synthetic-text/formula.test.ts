import { describe, expect, it } from 'vitest';
import {
  evaluateTextFormula,
  parseTextFormula,
  printTextFormula,
  SyntheticTextSubject,
  textFormulaTerms,
  textUnitTruth,
  TextUnitDefinition,
  type TokenAnnotatedText,
} from '../../../subjects/synthetic-text/index.ts';

/** A text from hand-written tokens: `word/concept,concept` (depth from a trailing `^n`). */
function text(id: string, spec: string): TokenAnnotatedText {
  return {
    id,
    tokens: spec.split(' ').map((item) => {
      const [word, rest = ''] = item.split('/');
      const [concepts, depth] = rest.split('^');
      return { text: word!, concepts: concepts ? concepts.split(',') : [], bracketDepth: Number(depth ?? 0) };
    }),
  };
}

const sample = text(
  's',
  'The/determiner,sentence_start red/adjective,colour fox/noun,animal ran/verb (/punctuation big/adjective^1 fox/noun,animal,repeated^1',
);

describe('the text concept language', () => {
  it('prints canonically and parses back to the same tree', () => {
    for (const source of [
      'noun',
      'colour or animal',
      'capitalised and not sentence_start',
      'after(noun, adjective OR colour)',
      'word("The") & in_quotes',
      '(noun OR verb) AND NOT repeated',
      'depth(2)',
    ]) {
      const tree = parseTextFormula(source);
      expect(parseTextFormula(printTextFormula(tree))).toEqual(tree);
    }
    expect(printTextFormula(parseTextFormula('colour or animal and noun'))).toBe('colour OR animal AND noun');
    expect(printTextFormula(parseTextFormula('(colour or animal) and noun'))).toBe(
      '(colour OR animal) AND noun',
    );
    expect(printTextFormula(parseTextFormula('word("The")'))).toBe('word("the")');
  });

  it('names the bad token in errors', () => {
    expect(() => parseTextFormula('noun AND')).toThrow(/unexpected end of formula at column 9/);
    expect(() => parseTextFormula('aftr(noun, verb)')).toThrow(/unknown function 'aftr'.*did you mean after/);
    expect(() => parseTextFormula('depth(0)')).toThrow(/whole number from 1 to 10/);
    expect(() => parseTextFormula('proper noun')).toThrow(/concepts are one word/);
    expect(() => parseTextFormula('word("two words")')).toThrow(/one word without spaces/);
  });

  it('evaluates token by token: AND, OR, NOT, after, word and depth', () => {
    const values = (formula: string) => Array.from(evaluateTextFormula(formula, sample));
    expect(values('noun')).toEqual([0, 0, 1, 0, 0, 0, 1]);
    expect(values('colour OR verb')).toEqual([0, 1, 0, 1, 0, 0, 0]);
    expect(values('noun AND NOT repeated')).toEqual([0, 0, 1, 0, 0, 0, 0]);
    expect(values('after(noun, adjective)')).toEqual([0, 0, 1, 0, 0, 0, 1]);
    expect(values('after(noun, colour)')).toEqual([0, 0, 1, 0, 0, 0, 0]);
    expect(values('after(determiner, verb)')).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(values('word("fox")')).toEqual([0, 0, 1, 0, 0, 0, 1]);
    expect(values('depth(1)')).toEqual([0, 0, 0, 0, 0, 1, 1]);
    expect(textFormulaTerms(parseTextFormula('after(noun, word("the")) OR depth(2)'))).toEqual([
      'noun',
      'word:the',
      'in_brackets',
    ]);
  });
});

describe('synthetic text units', () => {
  it('fire on their formula; noise is seeded by unit, text and token, and floored at 0', () => {
    const subject = new SyntheticTextSubject([
      { id: 'clean', family: 'sequence', formula: 'after(noun, adjective)' },
      { id: 'noisy', family: 'noisy', formula: 'noun', noise: { kind: 'gaussian', level: 0.2 } },
    ]);
    const [clean, noisy] = subject.activations([sample, { ...sample, id: 'other' }], [0, 1]);
    expect(Array.from(clean![0]!)).toEqual([0, 0, 1, 0, 0, 0, 1]);
    const first = Array.from(noisy![0]!);
    expect(first.every((v) => v >= 0)).toBe(true);
    expect(first.some((v) => v !== 0 && v !== 1)).toBe(true);
    expect(first[2]! > 0.4 && first[6]! > 0.4).toBe(true);
    // Same unit, text and token: the same noise; another text id: other noise.
    expect(Array.from(subject.activations([sample], [1])[0]![0]!)).toEqual(first);
    expect(Array.from(noisy![1]!)).not.toEqual(first);
    expect(() => subject.unit(2)).toThrow(/unit 2 is out of range: this subject has units 0–1/);
  });

  it('validates definitions and derives their truth', () => {
    expect(() => new SyntheticTextSubject([{ id: 'x', family: 'pos', formula: 'noun AND' }])).toThrow(
      /synthetic text unit 0 \('x'\) is invalid[\s\S]*unexpected end of formula/,
    );
    expect(() => new SyntheticTextSubject([{ id: 'x', family: 'colour', formula: 'noun' }])).toThrow(
      /family/,
    );
    const truth = textUnitTruth(
      TextUnitDefinition.parse({ id: 'x', family: 'sequence', formula: 'after(noun,colour)' }),
    );
    expect(truth).toMatchObject({
      formula: 'after(noun, colour)',
      concepts: ['noun', 'colour'],
      description: 'Fires on noun tokens right after colour tokens.',
    });
  });
});
