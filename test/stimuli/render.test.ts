import { describe, expect, it } from 'vitest';
import { ALPHA_THRESHOLD, itemCoverage } from '../../stimuli/compose.ts';
import { renderScene, type RenderedScene } from '../../stimuli/render.ts';
import type { ItemSpec } from '../../stimuli/spec.ts';
import { objectSprite, shapeSprite, wordSprite } from '../../stimuli/sprites.ts';
import { InputError } from '../../util/errors.ts';
import { encodePng } from '../../util/image.ts';
import { count, expectSameMask } from './render-helpers.ts';

function mask(scene: RenderedScene, concept: string): Uint8Array {
  const m = scene.masks.get(concept);
  if (!m) throw new Error(`no mask '${concept}'; have ${[...scene.masks.keys()].join(', ')}`);
  return m;
}

/** The item's own coverage at the threshold: its footprint if nothing covered it. */
async function footprint(scene: RenderedScene, index: number): Promise<Uint8Array> {
  const item = scene.spec.items[index] as ItemSpec;
  const sprite =
    item.kind === 'object'
      ? await objectSprite(item.name)
      : item.kind === 'shape'
        ? await shapeSprite(item.name)
        : await wordSprite(item.name);
  const coverage = itemCoverage(scene.spec.width, scene.spec.height, item, sprite);
  return coverage.map((a) => (a >= ALPHA_THRESHOLD ? 1 : 0));
}

describe('renderScene determinism', () => {
  const spec = {
    background: 'grass',
    seed: 7,
    items: [
      { kind: 'object' as const, name: 'dog', x: 0.35, y: 0.6, size: 0.45, rotation: 12 },
      { kind: 'shape' as const, name: 'star', x: 0.7, y: 0.3, size: 0.3, colour: 'red', texture: 'stripes' },
      { kind: 'word' as const, name: 'hello', x: 0.5, y: 0.12, size: 0.12 },
    ],
    effects: [{ kind: 'noise' as const, amount: 0.1 }],
  };

  it('gives byte-identical PNGs and masks for the same spec', async () => {
    const a = await renderScene(spec);
    const b = await renderScene(structuredClone(spec));
    expect(Buffer.compare(await encodePng(a.image), await encodePng(b.image))).toBe(0);
    expect([...a.masks.keys()]).toEqual([...b.masks.keys()]);
    for (const [name, m] of a.masks)
      expect(Buffer.compare(m, b.masks.get(name) ?? new Uint8Array()), name).toBe(0);
    expectSameMask(a.itemMap, b.itemMap, '');
    expect(a.annotation).toEqual(b.annotation);
  });

  it('draws different noise (and background patch) for a different seed, with the same masks', async () => {
    const plain = { ...spec, background: 'white', seed: 1 };
    const a = await renderScene(plain);
    const b = await renderScene({ ...plain, seed: 2 });
    let differing = 0;
    for (let i = 0; i < a.image.data.length; i++) if (a.image.data[i] !== b.image.data[i]) differing++;
    expect(differing).toBeGreaterThan(a.image.data.length / 2);
    for (const [name, m] of a.masks) expectSameMask(b.masks.get(name), m, name);
  });
});

describe('exact masks', () => {
  it("an item's mask on a plain background is its coverage footprint at the threshold", async () => {
    const scene = await renderScene({
      background: 'white',
      width: 160,
      height: 120,
      items: [
        { kind: 'object', name: 'horse', x: 0.3, y: 0.5, size: 0.7, rotation: -20, flip: true },
        { kind: 'shape', name: 'hexagon', x: 0.75, y: 0.3, size: 0.35, colour: 'teal' },
        { kind: 'word', name: 'Stop', x: 0.75, y: 0.85, size: 0.2, colour: 'red' },
      ],
    });
    expectSameMask(mask(scene, 'horse'), await footprint(scene, 0), 'horse');
    expectSameMask(mask(scene, 'hexagon'), await footprint(scene, 1), 'hexagon');
    expectSameMask(mask(scene, 'word:stop'), await footprint(scene, 2), 'word:stop');
    expectSameMask(mask(scene, 'text'), mask(scene, 'word:stop'), 'text');
    expect(count(mask(scene, 'horse'))).toBeGreaterThan(1000);
  });

  it('an occluded part leaves the occluded item and joins the occluder', async () => {
    const scene = await renderScene({
      background: 'sky',
      items: [
        { kind: 'object', name: 'dog', x: 0.4, y: 0.5, size: 0.6 },
        { kind: 'shape', name: 'circle', x: 0.6, y: 0.5, size: 0.4, colour: 'yellow' },
      ],
    });
    const dog = await footprint(scene, 0);
    const circle = await footprint(scene, 1);
    const overlap = dog.reduce((n, v, p) => n + (v && circle[p] ? 1 : 0), 0);
    expect(overlap).toBeGreaterThan(500);
    expectSameMask(
      mask(scene, 'dog'),
      dog.map((v, p) => (v && !circle[p] ? 1 : 0)),
      'dog',
    );
    expectSameMask(mask(scene, 'circle'), circle, 'circle');
    expect(scene.annotation.items[0]?.area).toBe(count(dog) - overlap);
    // The footprint box is of the whole dog, occluded part included.
    const box = scene.annotation.items[0]?.box;
    dog.forEach((v, p) => {
      if (!v || !box) return;
      const x = p % 224;
      const y = Math.floor(p / 224);
      expect(x >= box.x0 && x < box.x1 && y >= box.y0 && y < box.y1).toBe(true);
    });
  });

  it('masks agree with the itemMap and the background fills the rest', async () => {
    const scene = await renderScene({
      background: 'road',
      items: [
        { kind: 'object', name: 'car', x: 0.3, y: 0.5, size: 0.4 },
        { kind: 'object', name: 'bus', x: 0.55, y: 0.55, size: 0.45 },
        { kind: 'shape', name: 'triangle', x: 0.8, y: 0.3, size: 0.3, colour: 'blue' },
      ],
    });
    const names = ['car', 'bus', 'triangle'];
    names.forEach((name, i) => {
      expectSameMask(
        mask(scene, name),
        scene.itemMap.map((v) => (v === i + 1 ? 1 : 0)),
        name,
      );
      expect(scene.annotation.items[i]?.area).toBe(count(mask(scene, name)));
    });
    expectSameMask(
      mask(scene, 'road'),
      scene.itemMap.map((v) => (v === 0 ? 1 : 0)),
      'road',
    );
    // Road markings are white, the asphalt gray: together they are the road.
    const grayOrWhite = mask(scene, 'gray').map((v, p) => v | (mask(scene, 'white')[p] ?? 0));
    expectSameMask(grayOrWhite, mask(scene, 'road'), 'road');
    expect(count(mask(scene, 'white'))).toBeGreaterThan(0);
    for (const c of scene.annotation.concepts) expect(c.area, c.name).toBe(count(mask(scene, c.name)));
  });
});

describe('concepts of a scene', () => {
  it("a dog scene has 'animal' and 'mammal' masks equal to the dog's", async () => {
    const scene = await renderScene({ background: 'white', items: [{ kind: 'object', name: 'dog' }] });
    expect(count(mask(scene, 'dog'))).toBeGreaterThan(1000);
    expectSameMask(mask(scene, 'animal'), mask(scene, 'dog'), 'animal');
    expectSameMask(mask(scene, 'mammal'), mask(scene, 'dog'), 'mammal');
    expect(scene.masks.has('red')).toBe(false);
  });

  it('ancestors are unions over items; colours and textures cover their items', async () => {
    const scene = await renderScene({
      background: 'beige',
      items: [
        { kind: 'object', name: 'duck', x: 0.25, y: 0.3, size: 0.4 },
        { kind: 'object', name: 'cat', x: 0.7, y: 0.3, size: 0.4, colour: 'blue' },
        { kind: 'shape', name: 'square', x: 0.3, y: 0.75, size: 0.35, texture: 'grass' },
        { kind: 'shape', name: 'star', x: 0.75, y: 0.75, size: 0.35, colour: 'red', texture: 'dots' },
      ],
    });
    const union = mask(scene, 'duck').map((v, p) => v | (mask(scene, 'cat')[p] ?? 0));
    expectSameMask(mask(scene, 'animal'), union, 'animal');
    expectSameMask(mask(scene, 'bird'), mask(scene, 'duck'), 'bird');
    expectSameMask(mask(scene, 'blue'), mask(scene, 'cat'), 'blue');
    // An untinted material texture brings its natural colour; a coloured pattern brings the colour.
    expectSameMask(mask(scene, 'green'), mask(scene, 'square'), 'green');
    expectSameMask(mask(scene, 'grass'), mask(scene, 'square'), 'grass');
    expectSameMask(mask(scene, 'red'), mask(scene, 'star'), 'red');
    expectSameMask(mask(scene, 'dots'), mask(scene, 'star'), 'dots');
    expectSameMask(mask(scene, 'pattern'), mask(scene, 'star'), 'pattern');
    expectSameMask(
      mask(scene, 'beige'),
      scene.itemMap.map((v) => (v === 0 ? 1 : 0)),
      'beige',
    );
    expect(scene.annotation.items.map((i) => i.concepts)).toEqual([
      ['duck'],
      ['cat', 'blue'],
      ['square', 'green', 'grass'],
      ['star', 'red', 'dots'],
    ]);
  });

  it('a tinted object takes the colour but keeps its shading', async () => {
    const scene = await renderScene({
      background: 'white',
      items: [{ kind: 'object', name: 'dog', size: 0.8, colour: 'red' }],
    });
    const dog = mask(scene, 'dog');
    let reddish = 0;
    const levels = new Set<number>();
    dog.forEach((v, p) => {
      if (!v) return;
      const [r = 0, g = 0, b = 0] = scene.image.data.subarray(p * 3, p * 3 + 3);
      if (r > g + 40 && r > b + 40) reddish++;
      levels.add(r >> 4);
    });
    expect(reddish / count(dog)).toBeGreaterThan(0.8);
    expect(levels.size).toBeGreaterThan(4);
  });

  it('the beach background is sky, water and sand bands that partition it', async () => {
    const scene = await renderScene({ background: 'beach', width: 64, height: 100 });
    const sky = mask(scene, 'sky');
    const water = mask(scene, 'water');
    const sand = mask(scene, 'sand');
    expect(count(sky)).toBe(64 * 30);
    expect(count(water)).toBe(64 * 20);
    expect(count(sand)).toBe(64 * 50);
    expect(mask(scene, 'beach').every((v) => v === 1)).toBe(true);
    expectSameMask(
      mask(scene, 'blue'),
      sky.map((v, p) => v | (water[p] ?? 0)),
      'blue',
    );
    expect(scene.annotation.background).toBe('beach');
  });

  it('canonicalises synonyms and plurals in the returned spec', async () => {
    const scene = await renderScene({
      background: 'ocean',
      items: [{ kind: 'object', name: 'Puppies', colour: 'grey', texture: 'striped' }],
    });
    expect(scene.spec.background).toBe('water');
    expect(scene.spec.items[0]).toMatchObject({ name: 'dog', colour: 'gray', texture: 'stripes' });
    expect(scene.masks.has('dog')).toBe(true);
  });
});

describe('bad input', () => {
  const render = (spec: unknown) => renderScene(spec as Parameters<typeof renderScene>[0]);

  it('unknown concepts are refused with near matches', async () => {
    await expect(render({ items: [{ kind: 'object', name: 'dgo' }] })).rejects.toThrow(
      /items\.0\.name: unknown object 'dgo'; did you mean 'dog'/,
    );
    await expect(render({ items: [{ kind: 'shape', name: 'circel' }] })).rejects.toThrow(/'circle'/);
    await expect(render({ items: [{ kind: 'shape', name: 'star', colour: 'rde' }] })).rejects.toThrow(
      /items\.0\.colour: unknown colour 'rde'; did you mean 'red'/,
    );
    await expect(render({ background: 'grasss' })).rejects.toThrow(
      /background: unknown background 'grasss'.*'grass'/,
    );
    await expect(render({ items: [{ kind: 'object', name: 'dgo' }] })).rejects.toBeInstanceOf(InputError);
  });

  it('names in the wrong role say what to do', async () => {
    await expect(render({ items: [{ kind: 'object', name: 'animal' }] })).rejects.toThrow(
      /'animal' is a category, not a object; draw one of its members instead, e\.g\. /,
    );
    await expect(render({ items: [{ kind: 'shape', name: 'dog' }] })).rejects.toThrow(
      /use it with kind 'object'/,
    );
    await expect(render({ items: [{ kind: 'object', name: 'dog', texture: 'red' }] })).rejects.toThrow(
      /items\.0\.texture: 'red' is a colour, not a texture/,
    );
  });

  it('invalid fields are named by their path, limits stated', async () => {
    await expect(render({ width: 5000 })).rejects.toThrow(/width: .*1024/);
    await expect(render({ items: [{ kind: 'object', name: 'dog', size: 9 }] })).rejects.toThrow(
      /items\.0\.size/,
    );
    await expect(render({ items: [{ kind: 'blob', name: 'dog' }] })).rejects.toThrow(/items\.0\.kind/);
    await expect(render({ items: [{ kind: 'word', name: '   ' }] })).rejects.toThrow(
      /items\.0\.name: a word item/,
    );
  });
});
