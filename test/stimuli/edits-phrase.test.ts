import { describe, expect, it } from 'vitest';
import { applyEdits, parseEdit, type EditSpec } from '../../stimuli/edits.ts';
import { parsePhrase } from '../../stimuli/phrase.ts';
import { SceneSpec } from '../../stimuli/spec.ts';
import { InputError } from '../../util/errors.ts';

const scene = SceneSpec.parse({
  background: 'grass',
  items: [
    { kind: 'object', name: 'dog', x: 0.2, y: 0.5, size: 0.3 },
    { kind: 'shape', name: 'circle', colour: 'red', x: 0.5, y: 0.5, size: 0.25 },
    { kind: 'word', name: 'hi', x: 0.8, y: 0.5, size: 0.2 },
    { kind: 'object', name: 'boat', x: 0.5, y: 0.15, size: 0.2 },
    { kind: 'shape', name: 'star', x: 0.8, y: 0.85, size: 0.2 },
    { kind: 'object', name: 'cat', x: 0.2, y: 0.85, size: 0.2 },
  ],
});

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('parseEdit', () => {
  const cases: [string, EditSpec[]][] = [
    ['replace the dog with a cat', [{ op: 'replace', target: 'dog', name: 'cat', kind: 'object' }]],
    [
      'swap the puppy for a red square',
      [{ op: 'replace', target: 'dog', name: 'square', kind: 'shape', colour: 'red' }],
    ],
    ['turn the dog into a horse', [{ op: 'replace', target: 'dog', name: 'horse', kind: 'object' }]],
    ['make the circle a star', [{ op: 'replace', target: 'circle', name: 'star', kind: 'shape' }]],
    ['remove the boat', [{ op: 'remove', target: 'boat' }]],
    ['delete the red circle', [{ op: 'remove', target: ['red', 'circle'] }]],
    ['make the circle blue', [{ op: 'recolour', target: 'circle', colour: 'blue' }]],
    ['paint the dog pink', [{ op: 'recolour', target: 'dog', colour: 'pink' }]],
    ['change the colour of the star to green', [{ op: 'recolour', target: 'star', colour: 'green' }]],
    ['make the star striped', [{ op: 'retexture', target: 'star', texture: 'stripes' }]],
    [
      'make the circle yellow and dotted',
      [
        { op: 'recolour', target: 'circle', colour: 'yellow' },
        { op: 'retexture', target: 'circle', texture: 'dots' },
      ],
    ],
    ['move the dog to the right', [{ op: 'move', target: 'dog', x: 0.75 }]],
    ['move the dog to the top left', [{ op: 'move', target: 'dog', x: 0.25, y: 0.25 }]],
    ['move the cat up a bit', [{ op: 'move', target: 'cat', dx: 0, dy: -0.1 }]],
    ['move the boat left by 30%', [{ op: 'move', target: 'boat', dx: -0.3, dy: 0 }]],
    ['make the cat bigger', [{ op: 'resize', target: 'cat', factor: 1.5 }]],
    ['make the cat much smaller', [{ op: 'resize', target: 'cat', factor: 0.5 }]],
    ['make the cat twice as big', [{ op: 'resize', target: 'cat', factor: 2 }]],
    ['scale the boat by 3', [{ op: 'resize', target: 'boat', factor: 3 }]],
    ['resize the boat to 50%', [{ op: 'resize', target: 'boat', size: 0.5 }]],
    ['change the background to snow', [{ op: 'background', background: 'snow' }]],
    ['make the background a plain black one', [{ op: 'background', background: 'black' }]],
    ["change the text to 'go'", [{ op: 'text', target: 'text', text: 'go' }]],
    ['change the word \'hi\' to "Bye now"', [{ op: 'text', target: 'word:hi', text: 'Bye now' }]],
    ["replace 'hi' with 'yo'", [{ op: 'text', target: 'word:hi', text: 'yo' }]],
    ['occlude the left half', [{ op: 'occlude', region: { x0: 0, y0: 0, x1: 0.5, y1: 1 }, colour: 'gray' }]],
    [
      'cover the top right quarter with black',
      [{ op: 'occlude', region: { x0: 0.5, y0: 0, x1: 1, y1: 0.5 }, colour: 'black' }],
    ],
    [
      'occlude the centre',
      [{ op: 'occlude', region: { x0: 0.25, y0: 0.25, x1: 0.75, y1: 0.75 }, colour: 'gray' }],
    ],
    ['flip horizontally', [{ op: 'flip', axis: 'horizontal' }]],
    ['flip the image vertically', [{ op: 'flip', axis: 'vertical' }]],
    ['mirror the dog', [{ op: 'flip', axis: 'horizontal', target: 'dog' }]],
    ['rotate 180', [{ op: 'rotate', degrees: 180 }]],
    ['rotate the image by 90 degrees counterclockwise', [{ op: 'rotate', degrees: -90 }]],
    ['rotate the star 45°', [{ op: 'rotate', degrees: 45, target: 'star' }]],
    ['blur', [{ op: 'blur', sigma: 2 }]],
    ['blur the image strongly', [{ op: 'blur', sigma: 5 }]],
    [
      'blur the bottom half with sigma 3',
      [{ op: 'blur', sigma: 3, region: { x0: 0, y0: 0.5, x1: 1, y1: 1 } }],
    ],
    ['add noise', [{ op: 'noise', amount: 0.2 }]],
    ['add a lot of noise', [{ op: 'noise', amount: 0.4 }]],
    [
      'add 30% noise to the top half',
      [{ op: 'noise', amount: 0.3, region: { x0: 0, y0: 0, x1: 1, y1: 0.5 } }],
    ],
    ['remove item 2', [{ op: 'remove', target: 2 }]],
    ['remove the second shape', [{ op: 'remove', target: 4 }]],
    [
      'remove all animals',
      [
        { op: 'remove', target: 5 },
        { op: 'remove', target: 0 },
      ],
    ],
  ];

  it.each(cases)('"%s"', (text, expected) => {
    const edits = parseEdit(text, scene);
    expect(edits).toEqual(expected);
    // Every parsed edit applies to the scene.
    expect(() => applyEdits(scene, edits)).not.toThrow();
  });

  it('adds items from a scene phrase, placed clear of the items already there', () => {
    const edits = parseEdit('add a red ball on the left', scene);
    expect(edits).toHaveLength(1);
    const edit = edits[0]!;
    expect(edit.op).toBe('add');
    if (edit.op !== 'add') return;
    expect(edit.item).toMatchObject({ kind: 'object', name: 'ball', colour: 'red' });
    expect(edit.item.x).toBeLessThanOrEqual(0.4);
    const two = parseEdit('add two stars and the word "go"', parsePhrase('a dog'));
    expect(two.map((e) => (e.op === 'add' ? e.item.name : e.op))).toEqual(['star', 'star', 'go']);
  });

  it('places an added item relative to an existing one', () => {
    const spec = parsePhrase('a dog at the bottom');
    const [edit] = parseEdit('add a hat above the dog', spec);
    expect(edit?.op).toBe('add');
    if (edit?.op !== 'add') return;
    expect(edit.item.name).toBe('hat');
    expect(edit.item.y).toBeLessThan(spec.items[0]!.y - 0.1);
    expect(Math.abs(edit.item.x - spec.items[0]!.x)).toBeLessThan(0.3);
  });

  it('splits clauses and resolves "it" against the scene as already edited', () => {
    const edits = parseEdit(
      'replace the circle with a square and make it blue, then remove the dog. rotate 90',
      scene,
    );
    expect(edits).toEqual([
      { op: 'replace', target: 'circle', name: 'square', kind: 'shape' },
      { op: 'recolour', target: 1, colour: 'blue' },
      { op: 'remove', target: 'dog' },
      { op: 'rotate', degrees: 90 },
    ]);
    const edited = applyEdits(scene, edits);
    expect(edited.items.map((i) => [i.name, i.colour])).toEqual([
      ['square', 'blue'],
      ['hi', undefined],
      ['boat', undefined],
      ['star', undefined],
      ['cat', undefined],
    ]);
    const added = parseEdit('add a cat and make it green', parsePhrase('a dog'));
    expect(added[1]).toEqual({ op: 'recolour', target: 1, colour: 'green' });
  });

  it('refuses unknown verbs and words with suggestions', () => {
    const verb = errorOf(() => parseEdit('remvoe the dog', scene));
    expect(verb).toBeInstanceOf(InputError);
    expect(verb.message).toMatch(/'remvoe'.*did you mean 'remove'/);
    expect(errorOf(() => parseEdit('remove the dgo', scene)).message).toMatch(/'dgo'.*'dog'/);
    expect(errorOf(() => parseEdit('make the circle bleu', scene)).message).toMatch(/'bleu'.*'blue'/);
    expect(errorOf(() => parseEdit('change the background to grsas', scene)).message).toMatch(
      /'grsas'.*'grass'/,
    );
  });

  it('refuses edits of items the scene does not have, listing what it has', () => {
    expect(errorOf(() => parseEdit('remove the tractor', scene)).message).toMatch(
      /no item is a 'tractor'; the scene has: #0 dog, #1 red circle/,
    );
    expect(() => parseEdit('make it blue', scene)).toThrow(/'it' needs an item named in an earlier edit/);
    expect(() => parseEdit('', scene)).toThrow(/empty/);
    expect(() => parseEdit('move the dog', scene)).toThrow(/say where to move it/);
    expect(() => parseEdit('replace the dog', scene)).toThrow(/say what replaces it/);
  });
});

describe('"remove X": one or every X', () => {
  const twoCats = parsePhrase('two cats and a dog on grass', { width: 224, height: 224, seed: 1 });
  const after = (edit: string) => applyEdits(twoCats, parseEdit(edit, twoCats)).items.map((it) => it.name);

  it('a singular target removes one (the first), a plural or "every" removes all', () => {
    for (const one of ['remove the cat', 'remove a cat', 'remove one cat'])
      expect(after(one).sort(), one).toEqual(['cat', 'dog']);
    for (const all of ['remove the cats', 'remove all cats', 'remove every cat', 'remove all the cats'])
      expect(after(all), all).toEqual(['dog']);
  });
});
