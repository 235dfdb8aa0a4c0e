import { describe, expect, it } from 'vitest';
import { itemBox } from '../../stimuli/phrase-layout.ts';
import { describeSpec, parsePhrase, quoteText, textureAdjective } from '../../stimuli/phrase.ts';
import { pluralOf, tokenize } from '../../stimuli/phrase-lexicon.ts';
import { ItemSpec, SceneSpec, type SceneSpecInput } from '../../stimuli/spec.ts';
import { conceptsOfKind } from '../../stimuli/vocabulary.ts';
import { InputError } from '../../util/errors.ts';

/** What a round trip must keep: each item's kind, name, colour and texture (as a multiset), and the background. */
function signature(spec: SceneSpecInput): { items: string[]; background: string } {
  const parsed = SceneSpec.parse(spec);
  return {
    items: parsed.items.map((i) => [i.kind, i.name, i.colour ?? '-', i.texture ?? '-'].join('|')).sort(),
    background: parsed.background,
  };
}

function boxOf(spec: SceneSpec, item: ItemSpec) {
  return itemBox(item.kind, item.name, item.x, item.y, item.size, spec.width, spec.height);
}

function overlaps(spec: SceneSpec): boolean {
  const boxes = spec.items.map((item) => boxOf(spec, item));
  return boxes.some((a, i) =>
    boxes.some((b, j) => j > i && a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1),
  );
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('parsePhrase', () => {
  it('reads colour, object and background: "a red dog on grass"', () => {
    const spec = parsePhrase('a red dog on grass');
    expect(spec.background).toBe('grass');
    expect(spec.items).toHaveLength(1);
    expect(spec.items[0]).toMatchObject({ kind: 'object', name: 'dog', colour: 'red' });
    expect(spec.items[0]!.texture).toBeUndefined();
    expect(spec.width).toBe(224);
    expect(spec.effects).toEqual([]);
  });

  it('reads counts, textures and a relation: "two striped circles beside a boat"', () => {
    const spec = parsePhrase('two striped circles beside a boat');
    expect(signature(spec).items).toEqual([
      'object|boat|-|-',
      'shape|circle|-|stripes',
      'shape|circle|-|stripes',
    ]);
    expect(spec.background).toBe('white');
    const boat = spec.items.find((i) => i.name === 'boat')!;
    for (const circle of spec.items.filter((i) => i.name === 'circle')) {
      // Beside: roughly the same height, clearly to one side.
      expect(Math.abs(circle.y - boat.y)).toBeLessThan((circle.size + boat.size) / 4 + 0.03);
      expect(Math.abs(circle.x - boat.x)).toBeGreaterThan((circle.size + boat.size) / 2 - 0.01);
    }
    expect(overlaps(spec)).toBe(false);
  });

  it('puts "above" items above: "a blue bird above a tent on sand"', () => {
    const spec = parsePhrase('a blue bird above a tent on sand');
    expect(spec.background).toBe('sand');
    const bird = spec.items.find((i) => i.name === 'bird')!;
    const tent = spec.items.find((i) => i.name === 'tent')!;
    expect(bird.colour).toBe('blue');
    expect(tent.colour).toBeUndefined();
    expect(bird.y + bird.size / 2).toBeLessThanOrEqual(tent.y - tent.size / 2 + 1e-9);
    const below = parsePhrase('a cat under a light bulb');
    const [cat, lamp] = below.items;
    expect(cat!.y).toBeGreaterThan(lamp!.y);
  });

  it('reads words and multi-word backgrounds: "the word \'hello\' on a brick wall"', () => {
    const spec = parsePhrase("the word 'hello' on a brick wall");
    expect(spec.background).toBe('brick wall');
    expect(spec.items).toEqual([expect.objectContaining({ kind: 'word', name: 'hello' })]);
    const quoted = parsePhrase('the text "Hi there" in blue and a dog');
    expect(quoted.items[0]).toMatchObject({ kind: 'word', name: 'Hi there', colour: 'blue' });
    expect(quoted.items[1]).toMatchObject({ kind: 'object', name: 'dog' });
  });

  it('reads size words: "three small green stars" are smaller than "three green stars"', () => {
    const small = parsePhrase('three small green stars');
    const plain = parsePhrase('three green stars');
    expect(small.items).toHaveLength(3);
    for (const item of small.items)
      expect(item).toMatchObject({ kind: 'shape', name: 'star', colour: 'green' });
    expect(small.items[0]!.size).toBeCloseTo(plain.items[0]!.size * 0.7, 5);
    expect(overlaps(small)).toBe(false);
    const tiny = parsePhrase('a tiny dog');
    const huge = parsePhrase('a huge dog');
    expect(tiny.items[0]!.size).toBeLessThan(huge.items[0]!.size / 3);
  });

  it('honours positions: "a large cat on the left", "a dog at the top right"', () => {
    const cat = parsePhrase('a large cat on the left').items[0]!;
    expect(cat.x).toBeLessThanOrEqual(0.4);
    expect(cat.size).toBeGreaterThan(parsePhrase('a cat').items[0]!.size);
    const dog = parsePhrase('a dog at the top-right corner and a ball in the centre');
    expect(dog.items[0]!.x).toBeGreaterThanOrEqual(0.6);
    expect(dog.items[0]!.y).toBeLessThanOrEqual(0.4);
    expect(Math.abs(dog.items[1]!.x - 0.5)).toBeLessThanOrEqual(0.15);
    const right = parsePhrase('a boat to the right of a car');
    expect(right.items[0]!.x).toBeGreaterThan(right.items[1]!.x);
  });

  it('reads determiners, number words, digits, plurals, synonyms and joiners', () => {
    expect(signature(parsePhrase('an apple, 2 puppies and several boxes')).items).toEqual([
      'object|apple|-|-',
      'object|dog|-|-',
      'object|dog|-|-',
      'shape|square|-|-',
      'shape|square|-|-',
      'shape|square|-|-',
    ]);
    expect(parsePhrase('dogs').items).toHaveLength(3);
    expect(parsePhrase('a couple of buses').items.map((i) => i.name)).toEqual(['bus', 'bus']);
    expect(parsePhrase('six hot dogs').items.map((i) => i.name)).toEqual(Array(6).fill('hot dog'));
    expect(parsePhrase('a picture of three old men').items.map((i) => i.name)).toEqual(
      Array(3).fill('old man'),
    );
    // "dots" alone are circles (plural of the synonym "dot"); before a noun, a texture.
    expect(parsePhrase('three dots').items.map((i) => i.name)).toEqual(['circle', 'circle', 'circle']);
    expect(parsePhrase('a dotted square').items[0]).toMatchObject({ name: 'square', texture: 'dots' });
    expect(parsePhrase('a circle with stripes').items[0]).toMatchObject({ texture: 'stripes' });
  });

  it('reads backgrounds in their several forms', () => {
    expect(parsePhrase('a dog on a plain white background').background).toBe('white');
    expect(parsePhrase('a dog on white').background).toBe('white');
    expect(parsePhrase('a dog in the sky').background).toBe('sky');
    expect(parsePhrase('a dog against a black background').background).toBe('black');
    expect(parsePhrase('a dog with a snow background').background).toBe('snow');
    expect(parsePhrase('a car on a road').background).toBe('road');
    // A colour followed by a thing is that thing's colour, not the background.
    const onBox = parsePhrase('a cat on a white box');
    expect(onBox.background).toBe('white');
    expect(onBox.items.map((i) => [i.name, i.colour])).toEqual([
      ['cat', undefined],
      ['square', 'white'],
    ]);
    expect(parsePhrase('on grass').items).toEqual([]);
  });

  it('draws distinct members for a category, chosen by the seed', () => {
    const animals = parsePhrase('three animals', { seed: 1 }).items.map((i) => i.name);
    expect(new Set(animals).size).toBe(3);
    const objects = conceptsOfKind('object');
    for (const name of animals) expect(objects).toContain(name);
    expect(parsePhrase('three animals', { seed: 1 }).items.map((i) => i.name)).toEqual(animals);
  });

  it('is deterministic and lays out without overlap; the seed only jitters', () => {
    const phrase = 'two red circles, a dog, a cat and three blue stars on grass';
    const a = parsePhrase(phrase, { seed: 7 });
    expect(parsePhrase(phrase, { seed: 7 })).toEqual(a);
    expect(overlaps(a)).toBe(false);
    const b = parsePhrase(phrase, { seed: 8 });
    expect(signature(b)).toEqual(signature(a));
    expect(b.seed).toBe(8);
    for (const item of a.items) {
      const box = boxOf(a, item);
      expect(box.x0).toBeGreaterThanOrEqual(-1e-9);
      expect(box.x1).toBeLessThanOrEqual(1 + 1e-9);
      expect(box.y0).toBeGreaterThanOrEqual(-1e-9);
      expect(box.y1).toBeLessThanOrEqual(1 + 1e-9);
    }
    const many = parsePhrase('twelve tiny stars and ten small circles');
    expect(many.items).toHaveLength(22);
    expect(overlaps(many)).toBe(false);
    const wide = parsePhrase('a dog', { width: 400, height: 100 });
    expect(wide.width).toBe(400);
    expect(wide.height).toBe(100);
  });

  it('refuses unknown words, quoting the word and listing near concepts', () => {
    const error = errorOf(() => parsePhrase('a dgo on grass'));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain("'dgo'");
    expect(error.message).toMatch(/did you mean .*'dog'/);
    expect(errorOf(() => parsePhrase('a red circel')).message).toMatch(/'circel'.*'circle'/);
    expect(errorOf(() => parsePhrase('a dog benaeth a cat')).message).toMatch(/'benaeth'.*'beneath'/);
  });

  it('refuses phrases that describe nothing, bad counts, bad options and misplaced concepts', () => {
    expect(() => parsePhrase('')).toThrow(/empty/);
    expect(errorOf(() => parsePhrase('a red')).message).toMatch(/'red'.*describes nothing/);
    expect(() => parsePhrase('40 dogs')).toThrow(/limit of 32/);
    expect(() =>
      parsePhrase('twenty dogs and twenty cats'.replace('twenty', '20').replace('twenty', '20')),
    ).toThrow(/at most 32/);
    expect(() => parsePhrase('a dog', { width: 4 })).toThrow(/width must be an integer from 8/);
    expect(errorOf(() => parsePhrase('a sky')).message).toMatch(/'sky'.*background.*'on sky'/);
    expect(() => parsePhrase('the word')).toThrow(/needs its text in quotes/);
    expect(() => parsePhrase("the word 'unclosed")).toThrow(/unclosed quote/);
    expect(() => parsePhrase('a dog on grass on sand')).toThrow(/two backgrounds/);
    expect(() => parsePhrase('on the left')).toThrow(/must follow the thing it places/);
  });

  it('ignores only the explicit stop-words', () => {
    expect(signature(parsePhrase('please draw a picture of a dog sitting on grass'))).toEqual({
      items: ['object|dog|-|-'],
      background: 'grass',
    });
    expect(() => parsePhrase('a dog quickly')).toThrow(/'quickly'/);
  });
});

describe('tokenize', () => {
  it('keeps quoted text exact and apostrophes inside words, and splits separators', () => {
    expect(tokenize("The word 'Hi, you' & a dog's ball, 'it\\'s'")).toEqual([
      { type: 'word', text: 'the' },
      { type: 'word', text: 'word' },
      { type: 'quoted', text: 'Hi, you' },
      { type: 'word', text: 'and' },
      { type: 'word', text: 'a' },
      { type: 'word', text: "dog's" },
      { type: 'word', text: 'ball' },
      { type: 'punct', text: ',' },
      { type: 'quoted', text: "it's" },
    ]);
  });
});

describe('describeSpec', () => {
  it('writes the phrase form of a spec', () => {
    expect(describeSpec(parsePhrase('a red dog on grass'))).toBe('a red dog on grass');
    expect(describeSpec(parsePhrase('three small green stars'))).toBe(
      'three small green stars on a plain white background',
    );
    expect(describeSpec({ background: 'sky', items: [] })).toBe('an empty scene in the sky');
    expect(
      describeSpec({
        background: 'brick wall',
        items: [
          { kind: 'word', name: 'stop', x: 0.2, y: 0.2, size: 0.38 },
          { kind: 'shape', name: 'circle', texture: 'checks', x: 0.8, size: 0.38 },
        ],
      }),
    ).toBe('the word "stop" at the top left and a checked circle on the right on a brick wall');
    expect(pluralOf('bus')).toBe('buses');
    expect(pluralOf('butterfly')).toBe('butterflies');
    expect(pluralOf('jeans')).toBe('jeans');
    expect(pluralOf('old man')).toBe('old men');
    expect(textureAdjective('stripes')).toBe('striped');
    expect(quoteText('say "x"')).toBe(`'say "x"'`);
  });

  const phrases = [
    'a red dog on grass',
    'two striped circles beside a boat',
    'a blue bird above a tent on sand',
    "the word 'hello' on a brick wall",
    'three small green stars',
    'a large cat on the left',
    'a tiny yellow dotted heart, four purple squares and a huge truck in the sky',
    'an orange cat next to two wooden boxes on snow',
    'five checkered triangles and the text "GO" at the bottom',
    'a pink furry rabbit on top of a brown log in front of a brick wall',
    'two hot dogs, a cup and three grey rings on a plain black background',
    'a zigzag arrow to the left of a scaly fish on water',
    'six tiny stars, six tiny circles and six tiny squares',
    "the red words 'a b' and a teal spiral on a beach",
  ];

  it.each(phrases)('round-trips "%s" (phrase → spec → phrase → spec)', (phrase) => {
    const spec = parsePhrase(phrase);
    const text = describeSpec(spec);
    const again = parsePhrase(text);
    expect(signature(again)).toEqual(signature(spec));
  });

  it('round-trips every object and shape in the vocabulary, singular and plural, coloured and textured', () => {
    const colours = conceptsOfKind('colour');
    const textures = conceptsOfKind('texture');
    const backgrounds = conceptsOfKind('background');
    let k = 0;
    for (const kind of ['object', 'shape'] as const) {
      for (const name of conceptsOfKind(kind)) {
        const colour = colours[k % colours.length]!;
        const texture = textures[k % textures.length]!;
        const background = backgrounds[k % backgrounds.length]!;
        k++;
        const specs: SceneSpecInput[] = [
          { background, items: [{ kind, name }] },
          {
            background,
            items: [
              { kind, name, colour },
              { kind, name, colour, x: 0.9 },
            ],
          },
          {
            background,
            items: [
              { kind, name, texture },
              { kind, name, texture, colour },
              { kind, name, texture, colour },
            ],
          },
        ];
        for (const spec of specs)
          expect(signature(parsePhrase(describeSpec(spec))), describeSpec(spec)).toEqual(signature(spec));
      }
    }
    expect(k).toBeGreaterThan(150);
  });

  it('round-trips random specs (items, counts, colours, textures, words, backgrounds)', () => {
    let state = 12345;
    const random = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
    const objects = conceptsOfKind('object');
    const shapes = conceptsOfKind('shape');
    const colours = conceptsOfKind('colour');
    const textures = conceptsOfKind('texture');
    const backgrounds = conceptsOfKind('background');
    const words = ['hi', 'STOP', "don't", 'say "x"', 'two words', 'a,b', 'x\\y', 'café', '42'];
    for (let trial = 0; trial < 200; trial++) {
      const items: ItemSpec[] = [];
      const n = Math.floor(random() * 8);
      for (let i = 0; i < n; i++) {
        const kind = pick(['object', 'shape', 'word'] as const);
        const name = kind === 'object' ? pick(objects) : kind === 'shape' ? pick(shapes) : pick(words);
        const item = ItemSpec.parse({
          kind,
          name,
          x: random(),
          y: random(),
          size: 0.05 + random() * 0.6,
          rotation: Math.round(random() * 90),
          ...(random() < 0.5 ? { colour: pick(colours) } : {}),
          ...(random() < 0.3 ? { texture: pick(textures) } : {}),
        });
        items.push(item);
        // Duplicates exercise counts.
        if (random() < 0.3) items.push({ ...item, x: random() });
      }
      const spec: SceneSpecInput = { background: pick(backgrounds), items, seed: trial };
      const text = describeSpec(spec);
      expect(signature(parsePhrase(text)), text).toEqual(signature(spec));
    }
  });
});
