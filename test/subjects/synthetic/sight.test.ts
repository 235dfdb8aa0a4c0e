import { describe, expect, it } from 'vitest';
import { evaluateFormula, formulaMap, parseFormula } from '../../../subjects/synthetic/formula.ts';
import { poolArea } from '../../../subjects/synthetic/pool.ts';
import { blindTo, formulaSight } from '../../../subjects/synthetic/sight.ts';
import { makeScene } from './fixtures.ts';

const grid = 4;
const scenes = {
  dogOnGrass: makeScene([{ name: 'dog', rect: [0, 0, 8, 8], colour: 'brown', ancestors: ['animal'] }], {
    background: 'grass',
  }),
  twoCats: makeScene([
    { name: 'cat', rect: [0, 0, 4, 4], ancestors: ['animal'] },
    { name: 'cat', rect: [10, 10, 14, 14], ancestors: ['animal'] },
  ]),
  redCircle: makeScene([{ kind: 'shape', name: 'circle', rect: [2, 2, 14, 14], colour: 'red' }]),
  stopSign: makeScene([{ kind: 'word', name: 'stop', rect: [0, 4, 16, 10] }]),
  empty: makeScene([]),
};

/** Evaluation without the shortcut: the full map, pooled. */
function full(formula: string, scene: (typeof scenes)[keyof typeof scenes]) {
  const map = formulaMap(parseFormula(formula), scene);
  const pooled = poolArea(map, scene.image.width, scene.image.height, grid);
  return { map: Array.from(map), pooled: Array.from(pooled) };
}

describe('formula sight', () => {
  const formulas = [
    'dog',
    'dog OR cat',
    'NOT dog',
    'dog AND NOT grass',
    'left(NOT cat)',
    'large(animal)',
    'count(cat) = 2',
    'count(NOT dog) >= 1',
    'above(dog, cat)',
    'hue(red)',
    'word("stop")',
    'word("go")',
  ];

  it('gives exactly what full evaluation gives, on scenes it skips and scenes it reads', () => {
    let skipped = 0;
    for (const formula of formulas) {
      for (const scene of Object.values(scenes)) {
        if (blindTo(formulaSight(parseFormula(formula)), scene)) skipped++;
        const result = evaluateFormula(formula, scene, { grid });
        expect({ map: Array.from(result.map), pooled: Array.from(result.pooled) }, formula).toEqual(
          full(formula, scene),
        );
      }
    }
    expect(skipped).toBeGreaterThan(10);
  });

  it('sees a concept through masks or item concepts, words through word items, hues through colours', () => {
    const sight = (formula: string) => formulaSight(parseFormula(formula));
    expect(blindTo(sight('dog'), scenes.twoCats)).toBe(true);
    expect(blindTo(sight('animal'), scenes.twoCats)).toBe(false);
    expect(blindTo(sight('hue(blue)'), scenes.redCircle)).toBe(false);
    expect(blindTo(sight('hue(blue)'), scenes.stopSign)).toBe(true);
    expect(blindTo(sight('word("anything")'), scenes.stopSign)).toBe(false);
    // NOT under an item-level operator picks items the formula does not name: never skipped.
    expect(formulaSight(parseFormula('count(NOT dog) >= 1')).constantWhenBlind).toBe(false);
    expect(blindTo(sight('count(NOT dog) >= 1'), scenes.twoCats)).toBe(false);
  });

  it('returns a fresh map each time, so a caller may change it', () => {
    const first = evaluateFormula('NOT dog', scenes.twoCats, { grid });
    first.map.fill(0);
    first.pooled.fill(0);
    expect(evaluateFormula('NOT dog', scenes.twoCats, { grid }).value).toBe(1);
  });
});
