import { describe, expect, it } from 'vitest';
import { editScene, parseEdit, type EditSpecInput } from '../../stimuli/edits.ts';
import { parsePhrase } from '../../stimuli/phrase.ts';
import { renderScene, type RenderedScene } from '../../stimuli/render.ts';
import { SceneSpec } from '../../stimuli/spec.ts';

/**
 * Edits checked on rendered pixels and masks: an edit of one item changes nothing outside that item's
 * footprint, and the masks change exactly as the edit says.
 */

const scene = SceneSpec.parse({
  width: 224,
  height: 224,
  background: 'grass',
  seed: 5,
  items: [
    { kind: 'object', name: 'dog', x: 0.25, y: 0.3, size: 0.35 },
    { kind: 'shape', name: 'circle', colour: 'red', x: 0.75, y: 0.3, size: 0.3 },
    { kind: 'object', name: 'boat', x: 0.25, y: 0.75, size: 0.3 },
    { kind: 'word', name: 'hi', colour: 'blue', x: 0.75, y: 0.75, size: 0.2 },
  ],
});

type Box = { x0: number; y0: number; x1: number; y1: number };

function inside(box: Box, x: number, y: number): boolean {
  return x >= box.x0 && x < box.x1 && y >= box.y0 && y < box.y1;
}

/**
 * A footprint box grown by one pixel: boxes hold the pixels at coverage ≥ 128 (the mask threshold),
 * and the antialiased fringe just outside them is painted faintly too.
 */
function grow(box: Box): Box {
  return { x0: box.x0 - 1, y0: box.y0 - 1, x1: box.x1 + 1, y1: box.y1 + 1 };
}

/** Pixels that differ between two renders, outside every given box. */
function changedOutside(a: RenderedScene, b: RenderedScene, boxes: Box[]): number {
  let changed = 0;
  const { width, height } = a.image;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (boxes.some((box) => inside(grow(box), x, y))) continue;
      const i = (y * width + x) * 3;
      if (
        a.image.data[i] !== b.image.data[i] ||
        a.image.data[i + 1] !== b.image.data[i + 1] ||
        a.image.data[i + 2] !== b.image.data[i + 2]
      )
        changed++;
    }
  }
  return changed;
}

function count(mask: Uint8Array | undefined): number {
  let n = 0;
  for (const v of mask ?? []) n += v;
  return n;
}

function sameMask(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  return a.every((v, i) => v === b[i]);
}

async function renderPair(edits: EditSpecInput[]) {
  const { original, edited } = editScene(scene, edits);
  return Promise.all([renderScene(original), renderScene(edited)]);
}

describe('edits on rendered scenes', () => {
  it.each([
    ['remove', { op: 'remove', target: 'circle' }],
    ['recolour', { op: 'recolour', target: 'circle', colour: 'green' }],
    ['retexture', { op: 'retexture', target: 'circle', texture: 'checks' }],
    ['replace (same size)', { op: 'replace', target: 'circle', name: 'star' }],
  ] satisfies [string, EditSpecInput][])('%s changes no pixel outside the item', async (_label, edit) => {
    const [before, after] = await renderPair([edit]);
    // The circle's footprint before and (unless removed) after the edit.
    const boxes = [before.annotation.items[1]!.box];
    if (edit.op !== 'remove') boxes.push(after.annotation.items[1]!.box);
    expect(changedOutside(before, after, boxes)).toBe(0);
    // …and something inside did change.
    expect(changedOutside(before, after, [])).toBeGreaterThan(100);
  });

  it('replace dog → cat: the dog mask is gone and a cat mask is where the dog was', async () => {
    const [before, after] = await renderPair([{ op: 'replace', target: 'dog', name: 'cat' }]);
    expect(count(before.masks.get('dog'))).toBeGreaterThan(1000);
    expect(count(after.masks.get('dog'))).toBe(0);
    const cat = after.masks.get('cat')!;
    const dog = before.masks.get('dog')!;
    expect(count(cat)).toBeGreaterThan(1000);
    // The cat lies within the dog's slot (same centre and size) and mostly on the dog's pixels.
    const slot = {
      x0: 0.25 * 224 - 0.175 * 224,
      x1: 0.25 * 224 + 0.175 * 224,
      y0: 0.3 * 224 - 0.175 * 224,
      y1: 0.3 * 224 + 0.175 * 224,
    };
    let outsideSlot = 0;
    let onDog = 0;
    cat.forEach((v, p) => {
      if (!v) return;
      if (!inside(slot, (p % 224) + 0.5, Math.floor(p / 224) + 0.5)) outsideSlot++;
      if (dog[p]) onDog++;
    });
    expect(outsideSlot).toBe(0);
    expect(onDog / count(cat)).toBeGreaterThan(0.5);
    // Shared ancestors stay: both are mammals and pets.
    expect(count(after.masks.get('mammal'))).toBe(count(cat));
    // Nothing else moved.
    expect(
      changedOutside(before, after, [before.annotation.items[0]!.box, after.annotation.items[0]!.box]),
    ).toBe(0);
  });

  it('recolour moves the colour mask exactly: the old red pixels are now green', async () => {
    const [before, after] = await renderPair([{ op: 'recolour', target: 'circle', colour: 'green' }]);
    expect(count(after.masks.get('red'))).toBe(0);
    // Grass is green too, so compare the circle's green within its own mask.
    const circleBefore = before.masks.get('circle')!;
    const green = after.masks.get('green')!;
    expect(sameMask(after.masks.get('circle'), circleBefore)).toBe(true);
    expect(circleBefore.every((v, p) => !v || green[p] === 1)).toBe(true);
    expect(sameMask(before.masks.get('red'), circleBefore)).toBe(true);
  });

  it('retexture gives the texture the item’s exact mask', async () => {
    const [before, after] = await renderPair([{ op: 'retexture', target: 'circle', texture: 'stripes' }]);
    expect(count(before.masks.get('stripes'))).toBe(0);
    expect(sameMask(after.masks.get('stripes'), before.masks.get('circle'))).toBe(true);
  });

  it('remove gives the item’s pixels back to the background', async () => {
    const [before, after] = await renderPair([{ op: 'remove', target: 'boat' }]);
    expect(count(after.masks.get('boat'))).toBe(0);
    const grassBefore = before.masks.get('grass')!;
    const boat = before.masks.get('boat')!;
    const grassAfter = after.masks.get('grass')!;
    expect(grassAfter.every((v, p) => v === (grassBefore[p]! | boat[p]!))).toBe(true);
  });

  it('flipping an item mirrors its mask about its centre', async () => {
    const [before, after] = await renderPair([{ op: 'flip', target: 'dog' }]);
    const dog = before.masks.get('dog')!;
    const flipped = after.masks.get('dog')!;
    // Centre x = 0.25 · 224 = 56 px, so pixel x mirrors to 111 − x.
    let mismatches = 0;
    for (let y = 0; y < 224; y++)
      for (let x = 0; x < 112; x++) if (dog[y * 224 + x] !== flipped[y * 224 + (111 - x)]) mismatches++;
    expect(mismatches).toBe(0);
    expect(sameMask(dog, flipped)).toBe(false);
  });

  it('a phrase edit renders: "make the circle blue and add noise to the right half"', async () => {
    const spec = parsePhrase('a red circle on the left and a dog on the right', { seed: 2 });
    const edits = parseEdit('make the circle blue and add noise to the right half', spec);
    const { original, edited } = editScene(spec, edits);
    const [before, after] = await Promise.all([renderScene(original), renderScene(edited)]);
    expect(sameMask(after.masks.get('blue'), before.masks.get('red'))).toBe(true);
    // Noise only on the right half: the left half differs only inside the circle.
    const rightHalf = { x0: 112, y0: 0, x1: 224, y1: 224 };
    expect(changedOutside(before, after, [rightHalf, before.annotation.items[0]!.box])).toBe(0);
    expect(changedOutside(before, after, [before.annotation.items[0]!.box])).toBeGreaterThan(1000);
  });
});
