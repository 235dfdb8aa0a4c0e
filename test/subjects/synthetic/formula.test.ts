import { describe, expect, it } from 'vitest';
import {
  formulaConcepts,
  parseFormula,
  printFormula,
  type Formula,
} from '../../../subjects/synthetic/formula.ts';
import { InputError } from '../../../util/errors.ts';

const concept = (name: string): Formula => ({ op: 'concept', name });

describe('parseFormula', () => {
  it('reads the documented examples into the expected trees', () => {
    expect(parseFormula('dog')).toEqual(concept('dog'));
    expect(parseFormula('car window')).toEqual(concept('car window'));
    expect(parseFormula('dog OR horse')).toEqual({ op: 'or', left: concept('dog'), right: concept('horse') });
    expect(parseFormula('snake AND NOT grass')).toEqual({
      op: 'and',
      left: concept('snake'),
      right: { op: 'not', arg: concept('grass') },
    });
    expect(parseFormula('left(dog)')).toEqual({ op: 'half', half: 'left', arg: concept('dog') });
    expect(parseFormula('large(dog)')).toEqual({
      op: 'size',
      band: { min: 0.12, max: 1 },
      arg: concept('dog'),
    });
    expect(parseFormula('above(bird, tree)')).toEqual({
      op: 'relation',
      relation: 'above',
      arg: concept('bird'),
      reference: concept('tree'),
    });
    expect(parseFormula('count(star) = 2')).toEqual({
      op: 'count',
      comparison: '=',
      count: 2,
      arg: concept('star'),
    });
    expect(parseFormula('word("stop")')).toEqual({ op: 'word', text: 'stop' });
    expect(parseFormula('hue(red)')).toEqual({ op: 'hue', colour: 'red', sigma: 30 });
    expect(parseFormula('hue(blue, 45)')).toEqual({ op: 'hue', colour: 'blue', sigma: 45 });
  });

  it('binds NOT tighter than &, & tighter than AND, AND tighter than OR, and groups to the left', () => {
    expect(printFormula(parseFormula('a OR b AND c & NOT d'))).toBe('a OR b AND c & NOT d');
    expect(parseFormula('a OR b AND c')).toEqual({
      op: 'or',
      left: concept('a'),
      right: { op: 'and', left: concept('b'), right: concept('c') },
    });
    expect(parseFormula('a AND b AND c')).toEqual({
      op: 'and',
      left: { op: 'and', left: concept('a'), right: concept('b') },
      right: concept('c'),
    });
    expect(parseFormula('red & circle AND sky')).toEqual({
      op: 'and',
      left: { op: 'intersect', left: concept('red'), right: concept('circle') },
      right: concept('sky'),
    });
  });

  it('accepts operators and names in any case and normalises them', () => {
    expect(printFormula(parseFormula('Dog or   HORSE and not Grass'))).toBe('dog OR horse AND NOT grass');
    expect(printFormula(parseFormula("word('Stop  Sign')"))).toBe('word("stop sign")');
    expect(printFormula(parseFormula('count( star )==3'))).toBe('count(star) = 3');
  });
});

describe('printFormula', () => {
  it('prints canonical text with only the parentheses the tree needs', () => {
    const cases: [string, string][] = [
      ['((dog))', 'dog'],
      ['(dog OR cat) OR bird', 'dog OR cat OR bird'],
      ['dog OR (cat OR bird)', 'dog OR (cat OR bird)'],
      ['(dog OR cat) AND grass', '(dog OR cat) AND grass'],
      ['NOT (dog OR cat)', 'NOT (dog OR cat)'],
      ['area(dog, 0.12, 1)', 'large(dog)'],
      ['area(dog,0.2,0.5)', 'area(dog, 0.2, 0.5)'],
      ['hue(red, 30)', 'hue(red)'],
      ['left_of(count(star) >= 2, top(tree))', 'left_of(count(star) >= 2, top(tree))'],
      ['word("say \\"hi\\"")', 'word("say \\"hi\\"")'],
    ];
    for (const [source, printed] of cases) expect(printFormula(parseFormula(source)), source).toBe(printed);
  });

  it('round-trips: parse(print(f)) equals f for a wide set of trees', () => {
    // A seeded generator of random trees covers operator nesting no hand-written list would.
    let state = 12345;
    const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
    const names = ['dog', 'car window', 'brick wall', 'red', 'animal'];
    const generate = (depth: number): Formula => {
      const choice = depth <= 0 ? 0 : Math.floor(random() * 11);
      const sub = () => generate(depth - 1);
      switch (choice) {
        case 1:
          return { op: 'or', left: sub(), right: sub() };
        case 2:
          return { op: 'and', left: sub(), right: sub() };
        case 3:
          return { op: 'intersect', left: sub(), right: sub() };
        case 4:
          return { op: 'not', arg: sub() };
        case 5:
          return { op: 'half', half: pick(['left', 'right', 'top', 'bottom'] as const), arg: sub() };
        case 6:
          return {
            op: 'size',
            band: pick([
              { min: 0, max: 0.03 },
              { min: 0.25, max: 0.5 },
            ]),
            arg: sub(),
          };
        case 7:
          return {
            op: 'relation',
            relation: pick(['above', 'below', 'left_of', 'right_of'] as const),
            arg: sub(),
            reference: sub(),
          };
        case 8:
          return {
            op: 'count',
            comparison: pick(['=', '>=', '<='] as const),
            count: 1 + Math.floor(random() * 5),
            arg: sub(),
          };
        case 9:
          return { op: 'word', text: pick(['stop', 'go slow', "it's"]) };
        case 10:
          return { op: 'hue', colour: pick(['red', 'blue']), sigma: pick([30, 12.5]) };
        default:
          return concept(pick(names));
      }
    };
    for (let i = 0; i < 300; i++) {
      const formula = generate(4);
      const printed = printFormula(formula);
      expect(parseFormula(printed), printed).toEqual(formula);
      expect(printFormula(parseFormula(printed))).toBe(printed);
    }
  });

  it('lists the concepts a formula mentions, once each', () => {
    expect(formulaConcepts(parseFormula('above(dog, tree) OR dog AND NOT hue(red) & word("x")'))).toEqual([
      'dog',
      'tree',
      'red',
    ]);
  });
});

describe('parse errors', () => {
  const errorOf = (source: string): string => {
    try {
      parseFormula(source);
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      return (error as Error).message;
    }
    throw new Error(`'${source}' parsed without error`);
  };

  it('name the bad token and its column', () => {
    expect(errorOf('dog AND')).toMatch(/unexpected end of formula at column 8; expected a concept/);
    expect(errorOf('dog )')).toMatch(/unexpected '\)' at column 5/);
    expect(errorOf('(dog OR cat')).toMatch(/unexpected end of formula at column 12; expected '\)'/);
    expect(errorOf('dog $ cat')).toMatch(/unexpected character '\$' at column 5/);
    expect(errorOf('OR dog')).toMatch(/unexpected 'OR' at column 1/);
    expect(errorOf('')).toMatch(/empty/);
    expect(errorOf('dog left(cat)')).toMatch(
      /unexpected '\(' at column 9; expected AND, OR or & after 'dog left'/,
    );
  });

  it('suggest near matches for unknown functions, operators and colours', () => {
    expect(errorOf('lft(dog)')).toMatch(/unknown function 'lft' at column 1 \(did you mean left\?\)/);
    expect(errorOf('dog ANDD cat')).toMatch(/unknown operator 'ANDD' at column 5 \(did you mean AND\?\)/);
    expect(errorOf('hue(redd)')).toMatch(
      /'redd' at column 5 is not a colour with a hue \(did you mean red\?\)/,
    );
    expect(errorOf('hue(gray)')).toMatch(/'gray' .* is not a colour with a hue/);
  });

  it('reject out-of-range arguments with the limit', () => {
    expect(errorOf('count(star) = 0')).toMatch(/count 0 at column 15 must be a whole number from 1 to 1000/);
    expect(errorOf('count(star) = 1.5')).toMatch(/whole number/);
    expect(errorOf('count(star) > 2')).toMatch(/unexpected '>' at column 13; comparisons are =, >= and <=/);
    expect(errorOf('count(star)')).toMatch(/expected a comparison after count/);
    expect(errorOf('area(dog, 0.5, 0.2)')).toMatch(/area maximum 0.2 at column 16 must be above 0.5/);
    expect(errorOf('hue(red, 500)')).toMatch(/hue width 500 at column 10 must be from 1 to 180/);
    expect(errorOf('word(stop)')).toMatch(/unexpected 'stop' at column 6; expected a quoted word/);
    expect(errorOf('word("stop)')).toMatch(/string starting at column 6 has no closing "/);
    expect(errorOf('above(dog)')).toMatch(/unexpected '\)' at column 10; expected ','/);
  });
});
