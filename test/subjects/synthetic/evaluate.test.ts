import { describe, expect, it } from 'vitest';
import { evaluateFormula } from '../../../subjects/synthetic/formula.ts';
import { makeScene, onPixels, rectPixels } from './fixtures.ts';

/** 16×16 scenes pooled to 4×4: each coarse cell is 4×4 pixels, so values are easy to check by hand. */
const grid = 4;
const run = (formula: string, scene: ReturnType<typeof makeScene>) =>
  evaluateFormula(formula, scene, { grid });

describe('concepts and MAIA modes', () => {
  const dogAndGrass = makeScene(
    [
      { name: 'dog', rect: [0, 0, 8, 8], colour: 'brown', ancestors: ['animal'] },
      { name: 'horse', rect: [4, 4, 12, 12], ancestors: ['animal'] },
    ],
    { background: 'grass' },
  );

  it('mono fires exactly on the concept mask (occluded pixels excluded)', () => {
    const dog = run('dog', dogAndGrass);
    const expected = rectPixels(16, [0, 0, 8, 8]).filter((p) => !rectPixels(16, [4, 4, 12, 12]).includes(p));
    expect(onPixels(dog.map)).toEqual(expected);
    expect([...new Set(dog.map)].sort()).toEqual([0, 1]);
    // The pooled map is the area average: the dog covers cells (0,0), (0,1), (1,0) fully, not (1,1).
    expect(Array.from(dog.pooled.slice(0, 2))).toEqual([1, 1]);
    expect(dog.pooled[1 * grid + 1]).toBe(0);
    expect(dog.value).toBe(1);
    expect(run('cat', dogAndGrass).value).toBe(0);
  });

  it('a concept smaller than a coarse cell gives the covered fraction', () => {
    const small = makeScene([{ name: 'star', rect: [1, 1, 3, 3] }]);
    expect(run('star', small).value).toBeCloseTo(4 / 16, 6);
  });

  it('OR is the pixel-wise maximum (overlaps do not add up)', () => {
    const or = run('dog OR horse', dogAndGrass);
    const dog = run('dog', dogAndGrass);
    const horse = run('horse', dogAndGrass);
    for (let p = 0; p < or.map.length; p++) expect(or.map[p]).toBe(Math.max(dog.map[p]!, horse.map[p]!));
    expect(Math.max(...or.map)).toBe(1);
    // Overlapping masks (a dog is also an animal) still give 1, not 2.
    expect(Math.max(...run('dog OR animal', dogAndGrass).map)).toBe(1);
    // OR with a graded map keeps the larger value per pixel.
    const graded = run('hue(orange) OR horse', dogAndGrass);
    expect(graded.map[0]).toBeGreaterThan(0.5); // brown dog ≈ orange hue
    expect(graded.map[0]).toBeLessThan(1);
    expect(graded.map[10 * 16 + 10]).toBe(1);
  });

  it('AND fires on the first concept only when the second is present anywhere', () => {
    const withGrass = run('dog AND grass', dogAndGrass);
    expect(onPixels(withGrass.map)).toEqual(onPixels(run('dog', dogAndGrass).map));
    const withoutGrass = makeScene([{ name: 'dog', rect: [0, 0, 8, 8] }], { background: 'white' });
    expect(run('dog AND grass', withoutGrass).value).toBe(0);
    // AND is asymmetric in where it fires: grass AND dog fires on the grass.
    expect(onPixels(run('grass AND dog', dogAndGrass).map)).toEqual(onPixels(run('grass', dogAndGrass).map));
  });

  it('reaches ancestors through their masks', () => {
    expect(onPixels(run('animal', dogAndGrass).map)).toEqual(onPixels(run('dog OR horse', dogAndGrass).map));
    expect(run('animal', dogAndGrass).value).toBe(1);
  });
});

describe('harder families', () => {
  it('negation: X unless Y is present', () => {
    const snakeOnSand = makeScene([{ name: 'snake', rect: [2, 2, 6, 6] }], { background: 'sand' });
    const snakeOnGrass = makeScene([{ name: 'snake', rect: [2, 2, 6, 6] }], { background: 'grass' });
    expect(onPixels(run('snake AND NOT grass', snakeOnSand).map)).toEqual(rectPixels(16, [2, 2, 6, 6]));
    expect(run('snake AND NOT grass', snakeOnGrass).value).toBe(0);
    // NOT alone is scene-level: everywhere when absent, nowhere when present.
    expect(onPixels(run('NOT grass', snakeOnSand).map)).toHaveLength(256);
    expect(run('NOT grass', snakeOnGrass).value).toBe(0);
  });

  it('spatial: only the pixels in the named half', () => {
    const scene = makeScene([
      { name: 'dog', rect: [0, 0, 4, 4] },
      { name: 'dog', rect: [10, 10, 14, 14] },
    ]);
    expect(onPixels(run('left(dog)', scene).map)).toEqual(rectPixels(16, [0, 0, 4, 4]));
    expect(onPixels(run('right(dog)', scene).map)).toEqual(rectPixels(16, [10, 10, 14, 14]));
    expect(onPixels(run('top(dog)', scene).map)).toEqual(rectPixels(16, [0, 0, 4, 4]));
    expect(onPixels(run('bottom(dog)', scene).map)).toEqual(rectPixels(16, [10, 10, 14, 14]));
    // A dog straddling the middle is cut at the middle line.
    const straddling = makeScene([{ name: 'dog', rect: [6, 0, 10, 2] }]);
    expect(onPixels(run('left(dog)', straddling).map)).toEqual(rectPixels(16, [6, 0, 8, 2]));
    expect(run('left(dog)', makeScene([{ name: 'dog', rect: [8, 0, 12, 4] }])).value).toBe(0);
  });

  it('size: only items whose visible area is in the band', () => {
    // 16×16 = 256 px: large ≥ 0.12 (≥ 31 px), medium 0.03..0.12 (8..30 px), small < 0.03 (< 8 px).
    const scene = makeScene([
      { name: 'dog', rect: [0, 0, 8, 8] }, // 64 px: large
      { name: 'dog', rect: [10, 0, 14, 4] }, // 16 px: medium
      { name: 'dog', rect: [10, 10, 12, 12] }, // 4 px: small
    ]);
    expect(onPixels(run('large(dog)', scene).map)).toEqual(rectPixels(16, [0, 0, 8, 8]));
    expect(onPixels(run('medium(dog)', scene).map)).toEqual(rectPixels(16, [10, 0, 14, 4]));
    expect(onPixels(run('small(dog)', scene).map)).toEqual(rectPixels(16, [10, 10, 12, 12]));
    expect(onPixels(run('area(dog, 0.05, 0.2)', scene).map)).toEqual(rectPixels(16, [10, 0, 14, 4]));
    // Occlusion counts: a large dog mostly hidden behind a tree is no longer large.
    const hidden = makeScene([
      { name: 'dog', rect: [0, 0, 6, 6] }, // 36 px: large when whole
      { name: 'tree', rect: [0, 0, 6, 5] }, // leaves 6 px of dog: small
    ]);
    expect(run('large(dog)', hidden).value).toBe(0);
    expect(run('large(dog)', makeScene([{ name: 'dog', rect: [0, 0, 6, 6] }])).value).toBe(1);
    expect(onPixels(run('small(dog)', hidden).map)).toEqual(rectPixels(16, [0, 5, 6, 6]));
  });

  it('relational: X fires when a Y item lies in that direction', () => {
    const birdAboveTree = makeScene([
      { name: 'bird', rect: [6, 0, 10, 3] },
      { name: 'tree', rect: [5, 8, 11, 16] },
    ]);
    const birdBesideTree = makeScene([
      { name: 'bird', rect: [0, 8, 4, 11] },
      { name: 'tree', rect: [8, 6, 14, 16] }, // lower, but much further to the right
    ]);
    expect(onPixels(run('above(bird, tree)', birdAboveTree).map)).toEqual(rectPixels(16, [6, 0, 10, 3]));
    expect(run('below(bird, tree)', birdAboveTree).value).toBe(0);
    expect(onPixels(run('below(tree, bird)', birdAboveTree).map)).toEqual(rectPixels(16, [5, 8, 11, 16]));
    expect(run('above(bird, tree)', birdBesideTree).value).toBe(0);
    expect(run('left_of(bird, tree)', birdBesideTree).value).toBeGreaterThan(0);
    expect(run('right_of(tree, bird)', birdBesideTree).value).toBeGreaterThan(0);
    // Only the birds that have a tree below them fire; and an item is never related to itself.
    const twoBirds = makeScene([
      { name: 'bird', rect: [0, 0, 3, 3] },
      { name: 'bird', rect: [12, 12, 15, 15] },
      { name: 'tree', rect: [0, 8, 3, 12] },
    ]);
    expect(onPixels(run('above(bird, tree)', twoBirds).map)).toEqual(rectPixels(16, [0, 0, 3, 3]));
    expect(run('above(bird, bird)', makeScene([{ name: 'bird', rect: [0, 0, 3, 3] }])).value).toBe(0);
  });

  it('counting: fires on the X items only when their number matches', () => {
    const stars = (n: number) =>
      makeScene(
        Array.from({ length: n }, (_, i) => ({
          name: 'star',
          rect: [i * 4, 0, i * 4 + 3, 3] as [number, number, number, number],
        })),
      );
    expect(run('count(star) = 2', stars(1)).value).toBe(0);
    expect(onPixels(run('count(star) = 2', stars(2)).map)).toHaveLength(18);
    expect(run('count(star) = 2', stars(3)).value).toBe(0);
    expect(run('count(star) >= 2', stars(3)).value).toBeGreaterThan(0);
    expect(run('count(star) <= 2', stars(3)).value).toBe(0);
    expect(run('count(star) <= 2', stars(1)).value).toBeGreaterThan(0);
    // A fully hidden star is not counted.
    const hidden = makeScene([
      { name: 'star', rect: [0, 0, 3, 3] },
      { name: 'star', rect: [8, 0, 11, 3] },
      { name: 'cloud', rect: [7, 0, 12, 4] },
    ]);
    expect(run('count(star) = 1', hidden).value).toBeGreaterThan(0);
    expect(run('count(star) = 2', hidden).value).toBe(0);
  });

  it('counts items through ancestors and compound formulas (at least half of an item on the map)', () => {
    const scene = makeScene([
      { name: 'dog', rect: [0, 0, 4, 4], colour: 'red', ancestors: ['animal'] },
      { name: 'cat', rect: [6, 0, 10, 4], colour: 'blue', ancestors: ['animal'] },
      { name: 'circle', kind: 'shape', rect: [12, 0, 16, 4], colour: 'red' },
    ]);
    expect(run('count(animal) = 2', scene).value).toBeGreaterThan(0);
    expect(run('count(red) = 2', scene).value).toBeGreaterThan(0);
    expect(onPixels(run('count(red & animal) = 1', scene).map)).toEqual(rectPixels(16, [0, 0, 4, 4]));
    // A mask over a quarter of the dog does not make it an item of that concept; over three quarters does.
    const quarter = new Uint8Array(256);
    const threeQuarters = new Uint8Array(256);
    for (const p of rectPixels(16, [0, 0, 4, 1])) quarter[p] = 1;
    for (const p of rectPixels(16, [0, 0, 4, 3])) threeQuarters[p] = 1;
    scene.masks.set('shadow', quarter);
    scene.masks.set('fur', threeQuarters);
    expect(run('count(shadow) = 1', scene).value).toBe(0);
    expect(onPixels(run('count(fur) = 1', scene).map)).toEqual(rectPixels(16, [0, 0, 4, 3]));
  });

  it('word: fires on word items with that text, or on any text', () => {
    const scene = makeScene([
      { kind: 'word', name: 'STOP', rect: [0, 0, 8, 3] },
      { kind: 'word', name: 'go', rect: [0, 8, 8, 11] },
      { name: 'dog', rect: [10, 10, 16, 16] },
    ]);
    expect(onPixels(run('word("stop")', scene).map)).toEqual(rectPixels(16, [0, 0, 8, 3]));
    expect(onPixels(run('word("go")', scene).map)).toEqual(rectPixels(16, [0, 8, 8, 11]));
    expect(run('word("slow")', scene).value).toBe(0);
    expect(onPixels(run('text', scene).map)).toEqual([
      ...rectPixels(16, [0, 0, 8, 3]),
      ...rectPixels(16, [0, 8, 8, 11]),
    ]);
  });

  it('hue: a smooth function of the hue distance from the target colour', () => {
    const scene = makeScene([
      { kind: 'shape', name: 'square', rect: [0, 0, 4, 4], colour: 'red' },
      { kind: 'shape', name: 'square', rect: [4, 0, 8, 4], colour: 'orange' },
      { kind: 'shape', name: 'square', rect: [8, 0, 12, 4], colour: 'blue' },
      { kind: 'shape', name: 'square', rect: [12, 0, 16, 4], colour: 'gray' },
      { kind: 'shape', name: 'square', rect: [0, 8, 4, 12] }, // no colour
    ]);
    const red = run('hue(red)', scene);
    const at = (x: number, y: number) => red.map[y * 16 + x]!;
    expect(at(1, 1)).toBe(1);
    // orange (250,135,20) has hue 30°, red (220,30,35) has hue 360° - 60°·5/190: d = 31.58°, σ = 30.
    const d = 30 + (60 * 5) / 190;
    expect(at(5, 1)).toBeCloseTo(Math.exp(-(d * d) / (2 * 30 * 30)), 4);
    expect(at(9, 1)).toBeLessThan(1e-4); // blue is ~137° away
    expect(at(13, 1)).toBe(0); // gray has no hue
    expect(at(1, 9)).toBe(0); // no colour at all
    expect(at(1, 14)).toBe(0); // background
    // A wider tuning curve raises the off-target responses.
    expect(run('hue(red, 60)', scene).map[1 * 16 + 5]!).toBeGreaterThan(at(5, 1));
  });
});
