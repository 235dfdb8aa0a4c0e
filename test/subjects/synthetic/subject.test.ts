import { describe, expect, it } from 'vitest';
import {
  maiaUnitDefinitions,
  parseUnitDefinitions,
  SyntheticSubject,
  unitTruth,
  type UnitDefinitionInput,
} from '../../../subjects/synthetic/index.ts';
import { InputError } from '../../../util/errors.ts';
import { makeScene, onPixels } from './fixtures.ts';

const dogOnGrass = () =>
  makeScene([{ name: 'dog', rect: [0, 0, 8, 8], colour: 'brown', ancestors: ['animal'] }], {
    background: 'grass',
  });
const dogIndoors = () => makeScene([{ name: 'dog', rect: [0, 0, 8, 8] }], { background: 'white' });
const catOnGrass = () => makeScene([{ name: 'cat', rect: [8, 8, 16, 16] }], { background: 'grass' });

describe('SyntheticSubject', () => {
  const subject = new SyntheticSubject(
    [
      { id: 'dog', family: 'mono', concept: 'Dog' },
      { id: 'dog-and-grass', family: 'and', concepts: ['dog', 'grass'] },
      { id: 'noisy-dog', family: 'mono', concept: 'dog', noise: { kind: 'gaussian', level: 0.2 } },
      { id: 'uniform-dog', family: 'mono', concept: 'dog', noise: { kind: 'uniform', level: 0.05 } },
    ],
    { grid: 4 },
  );

  it('names units synthetic:<id> and finds them by name or id, suggesting near names', () => {
    expect(subject.units.map((unit) => unit.name)).toEqual([
      'synthetic:dog',
      'synthetic:dog-and-grass',
      'synthetic:noisy-dog',
      'synthetic:uniform-dog',
    ]);
    expect(subject.unit('dog').name).toBe('synthetic:dog');
    expect(subject.unit('synthetic:noisy-dog').definition.family).toBe('mono');
    expect(() => subject.unit('dgo')).toThrow(/no synthetic unit 'dgo' \(did you mean synthetic:dog\?\)/);
    expect(() => subject.unit('dgo')).toThrow(InputError);
  });

  it('returns per unit per scene maps at image and grid resolution, scalar = max of the coarse map', () => {
    const scenes = [dogOnGrass(), catOnGrass()];
    const [dog] = subject.activations(scenes, ['dog']);
    expect(dog!.unit).toBe('synthetic:dog');
    expect(dog!.scenes).toHaveLength(2);
    const [onDog, onCat] = dog!.scenes;
    expect(onDog!.map).toHaveLength(256);
    expect(onDog!.pooled).toHaveLength(16);
    expect(onDog!.value).toBe(Math.max(...onDog!.pooled));
    expect(onDog!.value).toBe(1);
    expect(onPixels(onDog!.map)).toEqual(onPixels(scenes[0]!.masks.get('dog')!));
    expect(onCat!.value).toBe(0);
  });

  it('AND fires with both concepts and rests at a small noise value in [0, 0.1) otherwise', () => {
    const [and] = subject.activations([dogOnGrass(), dogIndoors(), catOnGrass()], ['dog-and-grass']);
    const [both, dogOnly, grassOnly] = and!.scenes;
    expect(both!.value).toBe(1);
    for (const silent of [dogOnly!, grassOnly!]) {
      expect(silent.value).toBeGreaterThan(0);
      expect(silent.value).toBeLessThan(0.1);
      expect(Math.max(...silent.map)).toBeLessThan(0.1);
    }
    expect(dogOnly!.value).not.toBe(grassOnly!.value);
  });

  it('noise is deterministic for the same scene content, different for another scene', () => {
    const first = subject.activations([dogOnGrass()], ['noisy-dog', 'dog-and-grass'])[0]!.scenes[0]!;
    const again = subject.activations([dogOnGrass()], ['noisy-dog'])[0]!.scenes[0]!; // a fresh, equal scene
    expect(Array.from(again.pooled)).toEqual(Array.from(first.pooled));
    expect(Array.from(again.map)).toEqual(Array.from(first.map));
    const other = subject.activations([dogIndoors()], ['noisy-dog'])[0]!.scenes[0]!;
    expect(Array.from(other.pooled)).not.toEqual(Array.from(first.pooled));
    // Noise really changes the map, keeps it ≥ 0, and the full map carries each cell's noise.
    const clean = subject.activations([dogOnGrass()], ['dog'])[0]!.scenes[0]!;
    expect(Array.from(first.pooled)).not.toEqual(Array.from(clean.pooled));
    expect(Math.min(...first.pooled, ...first.map)).toBeGreaterThanOrEqual(0);
    const cell = clean.pooled.findIndex((value, c) => value === 0 && first.pooled[c]! > 0);
    expect(cell).toBeGreaterThanOrEqual(0);
    const pixel = Math.floor(cell / 4) * 4 * 16 + (cell % 4) * 4; // top-left pixel of that 4×4 cell
    expect(first.map[pixel]).toBeCloseTo(first.pooled[cell]!, 6);
  });

  it('uniform noise stays within its level', () => {
    const scenes = [dogOnGrass(), dogIndoors(), catOnGrass()];
    const [uniform] = subject.activations(scenes, ['uniform-dog']);
    const [clean] = subject.activations(scenes, ['dog']);
    uniform!.scenes.forEach((noisy, s) => {
      noisy.pooled.forEach((value, c) => {
        const added = value - clean!.scenes[s]!.pooled[c]!;
        expect(added).toBeGreaterThanOrEqual(0);
        expect(added).toBeLessThan(0.05 + 1e-6);
      });
    });
  });

  it('evaluates any formula on scenes the same way as a noiseless unit', () => {
    const scenes = [dogOnGrass(), dogIndoors()];
    const fromFormula = subject.formulaActivations('dog AND grass', scenes);
    expect(fromFormula.map((a) => a.value)).toEqual([1, 0]);
    const fromUnit = subject.activations(scenes, ['dog'])[0]!.scenes;
    expect(Array.from(subject.formulaActivations('dog', scenes)[0]!.map)).toEqual(
      Array.from(fromUnit[0]!.map),
    );
  });

  it('rejects a scene whose mask, read by a unit, does not match the image size', () => {
    const scene = dogOnGrass();
    scene.masks.set('dog', new Uint8Array(10));
    expect(() => subject.activations([scene], ['dog'])).toThrow(
      /mask 'dog' has 10 pixels but the image has 256/,
    );
  });
});

describe('unit definitions', () => {
  it('give each family a canonical formula and a description', () => {
    const definitions: UnitDefinitionInput[] = [
      { id: 'a', family: 'mono', concept: 'car  Window' },
      { id: 'b', family: 'or', concepts: ['dog', 'horse', 'cat'] },
      { id: 'c', family: 'and', concepts: ['cup', 'handle'] },
      { id: 'd', family: 'spatial', concept: 'dog', half: 'left' },
      { id: 'e', family: 'size', concept: 'dog', band: 'large' },
      { id: 'f', family: 'size', concept: 'dog', band: { min: 0.2, max: 0.5 } },
      { id: 'g', family: 'graded', hue: 'Red' },
      { id: 'h', family: 'negation', concept: 'snake', unless: 'grass' },
      { id: 'i', family: 'relational', concept: 'bird', relation: 'above', reference: 'tree' },
      { id: 'j', family: 'counting', concept: 'star', count: 2 },
      { id: 'k', family: 'word', text: 'Stop' },
      { id: 'l', family: 'word' },
      { id: 'm', family: 'formula', formula: 'red & circle or left(dog)' },
    ];
    const truths = parseUnitDefinitions(definitions).map(unitTruth);
    expect(truths.map((t) => t.formula)).toEqual([
      'car window',
      'dog OR horse OR cat',
      'cup AND handle',
      'left(dog)',
      'large(dog)',
      'area(dog, 0.2, 0.5)',
      'hue(red)',
      'snake AND NOT grass',
      'above(bird, tree)',
      'count(star) = 2',
      'word("stop")',
      'text',
      'red & circle OR left(dog)',
    ]);
    expect(truths[2]).toMatchObject({
      unit: 'synthetic:c',
      family: 'and',
      concepts: ['cup', 'handle'],
      description:
        'Fires on cup, only when handle is also present. Otherwise returns a small random value below 0.1.',
      restingNoise: 0.1,
    });
    expect(truths[7]!.description).toBe('Fires on snake, only when there is no grass in the image.');
    expect(truths[8]!.description).toBe('Fires on bird with tree below it.');
    expect(truths[9]!.description).toBe('Fires on star, when there are exactly 2 of them.');
    expect(truths[4]!.description).toBe('Fires on large dog (visible area at least 12% of the image).');
  });

  it('reject bad definitions with a message naming the entry and the problem', () => {
    const fail = (input: unknown) => {
      try {
        parseUnitDefinitions(input);
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return (error as Error).message;
      }
      throw new Error('no error');
    };
    expect(fail({})).toMatch(/must be a JSON array/);
    expect(fail([{ id: 'x', family: 'mono', concept: 'dog AND cat' }])).toMatch(
      /unit 0 \('x'\).*concept name/s,
    );
    expect(fail([{ id: 'x', family: 'graded', hue: 'rde' }])).toMatch(
      /'rde' has no hue \(did you mean red\?\)/,
    );
    expect(fail([{ id: 'x', family: 'formula', formula: 'lft(dog)' }])).toMatch(/did you mean left/);
    expect(fail([{ id: 'x', family: 'telepathy', concept: 'dog' }])).toMatch(/unit 0 \('x'\) is invalid/);
    expect(fail([{ id: 'x', family: 'mono', concept: 'dog', colour: 'red' }])).toMatch(/colour/);
    expect(
      fail([
        { id: 'x', family: 'mono', concept: 'dog' },
        { id: 'x', family: 'mono', concept: 'cat' },
      ]),
    ).toMatch(/unit 1 \('x'\): the id is used twice/);
  });

  it('include MAIA’s 85 synthetic neurons: 47 mono, 18 OR, 20 AND', () => {
    const maia = parseUnitDefinitions(maiaUnitDefinitions());
    const families = maia.map((d) => d.family);
    expect(families.filter((f) => f === 'mono')).toHaveLength(47);
    expect(families.filter((f) => f === 'or')).toHaveLength(18);
    expect(families.filter((f) => f === 'and')).toHaveLength(20);
    const truths = maia.map(unitTruth);
    expect(truths.find((t) => t.id === 'maia-mono-car_window')?.formula).toBe('car window');
    expect(truths.find((t) => t.id === 'maia-or-dog-horse')?.formula).toBe('dog OR horse');
    expect(truths.find((t) => t.id === 'maia-and-cup-handle')?.formula).toBe('cup AND handle');
    expect(truths.find((t) => t.id === 'maia-and-wheel-racecar')?.formula).toBe('wheel AND racecar');
  });
});
