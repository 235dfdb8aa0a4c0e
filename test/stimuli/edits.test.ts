import { describe, expect, it } from 'vitest';
import {
  applyEdit,
  applyEdits,
  editScene,
  EditSpec,
  itemConcepts,
  resolveTarget,
  type EditSpecInput,
} from '../../stimuli/edits.ts';
import { SceneSpec, type SceneSpecInput } from '../../stimuli/spec.ts';
import { InputError } from '../../util/errors.ts';

const base: SceneSpecInput = {
  background: 'grass',
  seed: 3,
  items: [
    { kind: 'object', name: 'dog', x: 0.25, y: 0.5, size: 0.3 },
    { kind: 'shape', name: 'circle', colour: 'red', x: 0.7, y: 0.3, size: 0.25 },
    { kind: 'word', name: 'hi', colour: 'blue', x: 0.7, y: 0.8, size: 0.2 },
    { kind: 'shape', name: 'star', texture: 'stripes', x: 0.2, y: 0.85, size: 0.2, rotation: 30 },
  ],
};

/** Every leaf of a JSON value as path → value, so two specs can be compared field by field. */
function leaves(value: unknown, path = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) for (const [p, x] of leaves(v, `${path}.${k}`)) out.set(p, x);
  } else out.set(path, value);
  return out;
}

function changedPaths(before: unknown, after: unknown): string[] {
  const a = leaves(before);
  const b = leaves(after);
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
}

describe('applyEdit changes only what the edit names', () => {
  const original = SceneSpec.parse(base);
  const cases: [string, EditSpecInput, string[]][] = [
    ['recolour by name', { op: 'recolour', target: 'dog', colour: 'pink' }, ['.items.0.colour']],
    ['recolour by index, synonym', { op: 'recolour', target: 1, colour: 'grey' }, ['.items.1.colour']],
    ['clear a colour', { op: 'recolour', target: 'circle', colour: null }, ['.items.1.colour']],
    ['retexture', { op: 'retexture', target: 'circle', texture: 'checkered' }, ['.items.1.texture']],
    ['clear a texture', { op: 'retexture', target: 'star', texture: null }, ['.items.3.texture']],
    ['move absolute', { op: 'move', target: 'dog', x: 0.6 }, ['.items.0.x']],
    ['move relative', { op: 'move', target: 'dog', dx: 0.1, dy: -0.1 }, ['.items.0.x', '.items.0.y']],
    ['resize by factor', { op: 'resize', target: 'dog', factor: 2 }, ['.items.0.size']],
    ['resize to size', { op: 'resize', target: 'star', size: 0.5 }, ['.items.3.size']],
    ['background', { op: 'background', background: 'snowy' }, ['.background']],
    ['text', { op: 'text', text: 'go' }, ['.items.2.name']],
    ['rotate an item', { op: 'rotate', target: 'star', degrees: 45 }, ['.items.3.rotation']],
    ['flip an item', { op: 'flip', target: 'dog' }, ['.items.0.flip']],
    ['flip a rotated item', { op: 'flip', target: 'star' }, ['.items.3.flip', '.items.3.rotation']],
    [
      'replace keeps geometry and colour',
      { op: 'replace', target: 'circle', name: 'box' },
      ['.items.1.name'],
    ],
    ['replace object with object', { op: 'replace', target: 'dog', name: 'kitten' }, ['.items.0.name']],
  ];
  it.each(cases)('%s', (_label, edit, paths) => {
    const edited = applyEdit(original, edit);
    expect(changedPaths(original, edited)).toEqual(paths);
  });

  it('stores canonical names and exact values', () => {
    expect(applyEdit(original, { op: 'recolour', target: 1, colour: 'grey' }).items[1]!.colour).toBe('gray');
    expect(applyEdit(original, { op: 'retexture', target: 1, texture: 'checkered' }).items[1]!.texture).toBe(
      'checks',
    );
    expect(applyEdit(original, { op: 'replace', target: 'dog', name: 'kitten' }).items[0]!.name).toBe('cat');
    expect(applyEdit(original, { op: 'replace', target: 'circle', name: 'box' }).items[1]).toMatchObject({
      kind: 'shape',
      name: 'square',
      colour: 'red',
      x: 0.7,
      y: 0.3,
      size: 0.25,
    });
    const replaced = applyEdit(original, { op: 'replace', target: 'circle', name: 'dog', colour: null });
    expect(replaced.items[1]).toMatchObject({ kind: 'object', name: 'dog' });
    expect(replaced.items[1]!.colour).toBeUndefined();
    expect(applyEdit(original, { op: 'resize', target: 'dog', factor: 2 }).items[0]!.size).toBeCloseTo(0.6);
    expect(applyEdit(original, { op: 'move', target: 'dog', dx: -0.5 }).items[0]!.x).toBe(0);
    // Rotations stay in (-180, 180]; flipping a rotated item mirrors its rotation too.
    expect(applyEdit(original, { op: 'rotate', target: 'star', degrees: 300 }).items[3]!.rotation).toBe(-30);
    const flipped = applyEdit(original, { op: 'flip', target: 'star', axis: 'vertical' }).items[3]!;
    expect([flipped.flip, flipped.rotation]).toEqual([true, 150]);
  });

  it('adds and removes items, shifting nothing else', () => {
    const added = applyEdit(original, {
      op: 'add',
      item: { kind: 'object', name: 'puppy', colour: 'scarlet' },
    });
    expect(added.items).toHaveLength(5);
    expect(added.items.slice(0, 4)).toEqual(original.items);
    expect(added.items[4]).toMatchObject({ kind: 'object', name: 'dog', colour: 'red' });
    const removed = applyEdit(original, { op: 'remove', target: 'circle' });
    expect(removed.items).toEqual([original.items[0], original.items[2], original.items[3]]);
    expect(changedPaths({ ...original, items: [] }, { ...removed, items: [] })).toEqual([]);
  });

  it('appends whole-image effects in order, leaving items alone', () => {
    const edited = applyEdits(original, [
      { op: 'occlude', region: { x0: 0, y0: 0, x1: 0.5, y1: 1 } },
      { op: 'flip', axis: 'vertical' },
      { op: 'rotate', degrees: 180 },
      { op: 'blur', sigma: 3 },
      { op: 'noise', amount: 0.3, region: { x0: 0.5, y0: 0.5, x1: 1, y1: 1 } },
    ]);
    expect(edited.items).toEqual(original.items);
    expect(edited.effects).toEqual([
      { kind: 'occlude', region: { x0: 0, y0: 0, x1: 0.5, y1: 1 }, colour: 'gray' },
      { kind: 'flip', axis: 'vertical' },
      { kind: 'rotate', degrees: 180 },
      { kind: 'blur', sigma: 3 },
      { kind: 'noise', amount: 0.3, region: { x0: 0.5, y0: 0.5, x1: 1, y1: 1 } },
    ]);
  });

  it('does not modify its input', () => {
    const copy = structuredClone(original);
    applyEdits(original, [
      { op: 'recolour', target: 'dog', colour: 'pink' },
      { op: 'remove', target: 0 },
      { op: 'blur' },
    ]);
    expect(original).toEqual(copy);
  });

  it('editScene returns the parsed original and the edited spec', () => {
    const { original: o, edited } = editScene(base, [{ op: 'remove', target: 'dog' }]);
    expect(o).toEqual(original);
    expect(edited.items.map((i) => i.name)).toEqual(['circle', 'hi', 'star']);
  });
});

describe('targets', () => {
  const spec = SceneSpec.parse(base);

  it('resolve by index, concept, synonym, ancestor, colour, several concepts and word text', () => {
    expect(resolveTarget(spec, 2)).toBe(2);
    expect(resolveTarget(spec, 'dog')).toBe(0);
    expect(resolveTarget(spec, 'puppy')).toBe(0);
    expect(resolveTarget(spec, 'animal')).toBe(0);
    expect(resolveTarget(spec, 'shape')).toBe(1);
    expect(resolveTarget(spec, 'red')).toBe(1);
    expect(resolveTarget(spec, ['stripes', 'shape'])).toBe(3);
    expect(resolveTarget(spec, 'text')).toBe(2);
    expect(resolveTarget(spec, 'word:HI')).toBe(2);
    expect(resolveTarget(spec, 'hi')).toBe(2);
    expect(itemConcepts(spec.items[0]!)).toEqual(expect.arrayContaining(['dog', 'mammal', 'pet', 'animal']));
  });

  it('that match nothing raise an error listing what the scene has', () => {
    expect(() => resolveTarget(spec, 'boat')).toThrow(InputError);
    expect(() => resolveTarget(spec, 'boat')).toThrow(
      "no item is a 'boat'; the scene has: #0 dog, #1 red circle, #2 blue word 'hi', #3 striped star",
    );
    expect(() => resolveTarget(spec, 'dgo')).toThrow(/'dgo' is not in the vocabulary; near: dog/);
    expect(() => resolveTarget(spec, 9)).toThrow(/no item #9: items are #0..#3/);
    expect(() => resolveTarget(spec, ['red', 'star'])).toThrow(/no item is a 'red star'/);
  });
});

describe('bad edits', () => {
  const spec = SceneSpec.parse(base);
  it('are refused with the field or the name at fault', () => {
    expect(() => applyEdit(spec, { op: 'recolour', target: 'dog', colour: 'redd' })).toThrow(
      /unknown colour 'redd'.*'red'/,
    );
    expect(() => applyEdit(spec, { op: 'background', background: 'dog' })).toThrow(
      /unknown background 'dog'.*is an object/,
    );
    expect(() => applyEdit(spec, { op: 'replace', target: 'dog', name: 'sky' })).toThrow(
      /'sky' is not something to draw/,
    );
    expect(() => applyEdit(spec, { op: 'move', target: 'dog' })).toThrow(/needs x, y, dx or dy/);
    expect(() => applyEdit(spec, { op: 'resize', target: 'dog', size: 0.3, factor: 2 })).toThrow(
      /exactly one/,
    );
    expect(() => applyEdit(spec, { op: 'text', target: 'dog', text: 'x' })).toThrow(/#0 dog is not a word/);
    expect(() => applyEdit(spec, { op: 'bogus' } as unknown as EditSpecInput)).toThrow(/invalid edit/);
    expect(() => applyEdit(spec, { op: 'occlude', region: { x0: 0.5, y0: 0, x1: 0.2, y1: 1 } })).toThrow(
      /x0 < x1/,
    );
    const full = SceneSpec.parse({
      items: Array.from({ length: 32 }, () => ({ kind: 'shape', name: 'circle' })),
    });
    expect(() => applyEdit(full, { op: 'add', item: { kind: 'shape', name: 'star' } })).toThrow(
      /limit is 32/,
    );
    const busy = applyEdits(
      spec,
      Array.from({ length: 16 }, (): EditSpecInput => ({ op: 'blur' })),
    );
    expect(() => applyEdit(busy, { op: 'noise' })).toThrow(/limit is 16/);
  });

  it('the EditSpec schema is a discriminated union with defaults', () => {
    expect(EditSpec.parse({ op: 'blur' })).toEqual({ op: 'blur', sigma: 2 });
    expect(EditSpec.parse({ op: 'flip' })).toEqual({ op: 'flip', axis: 'horizontal' });
    expect(EditSpec.parse({ op: 'noise' })).toEqual({ op: 'noise', amount: 0.2 });
  });
});
