import { describe, expect, it } from 'vitest';
import { OCCLUDED_ITEM, renderScene, type RenderedScene } from '../../stimuli/render.ts';
import type { EffectSpec, SceneSpecInput } from '../../stimuli/spec.ts';
import { count, differingPixels, expectSameMask } from './render-helpers.ts';

const base: SceneSpecInput = {
  background: 'grass',
  width: 96,
  height: 96,
  seed: 3,
  items: [
    { kind: 'object', name: 'dog', x: 0.3, y: 0.6, size: 0.5 },
    { kind: 'shape', name: 'arrow', x: 0.72, y: 0.3, size: 0.35, colour: 'purple' },
    { kind: 'word', name: 'go', x: 0.75, y: 0.8, size: 0.2, colour: 'white' },
  ],
};

const withEffects = (effects: EffectSpec[]) => renderScene({ ...base, effects });

/** Apply a pixel permutation (dest → source index) to a single-channel map. */
function remap(
  map: Uint8Array,
  size: number,
  source: (x: number, y: number) => [number, number],
): Uint8Array {
  const out = new Uint8Array(map.length);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const [sx, sy] = source(x, y);
      out[y * size + x] = map[sy * size + sx] ?? 0;
    }
  return out;
}

function expectMasksMoved(
  plain: RenderedScene,
  moved: RenderedScene,
  source: (x: number, y: number) => [number, number],
) {
  for (const [name, m] of plain.masks) expectSameMask(moved.masks.get(name), remap(m, 96, source), name);
  expectSameMask(moved.itemMap, remap(plain.itemMap, 96, source), 'itemMap');
}

describe('effects move masks with the image', () => {
  it('a horizontal flip mirrors image, masks, itemMap and boxes', async () => {
    const plain = await withEffects([]);
    const flipped = await withEffects([{ kind: 'flip', axis: 'horizontal' }]);
    expectMasksMoved(plain, flipped, (x, y) => [95 - x, y]);
    for (let y = 0; y < 96; y++)
      for (let x = 0; x < 96; x++)
        for (let c = 0; c < 3; c++)
          expect(flipped.image.data[(y * 96 + x) * 3 + c]).toBe(plain.image.data[(y * 96 + 95 - x) * 3 + c]);
    const box = plain.annotation.items[0]?.box;
    expect(flipped.annotation.items[0]?.box).toEqual(
      box && { x0: 96 - box.x1, y0: box.y0, x1: 96 - box.x0, y1: box.y1 },
    );
  });

  it('a vertical flip mirrors masks top to bottom', async () => {
    const plain = await withEffects([]);
    const flipped = await withEffects([{ kind: 'flip', axis: 'vertical' }]);
    expectMasksMoved(plain, flipped, (x, y) => [x, 95 - y]);
  });

  it('a 90° rotation turns masks clockwise exactly', async () => {
    const plain = await withEffects([]);
    const rotated = await withEffects([{ kind: 'rotate', degrees: 90 }]);
    // Clockwise: the pixel at (x, y) comes from (y, size-1-x).
    expectMasksMoved(plain, rotated, (x, y) => [y, 95 - x]);
  });

  it('a 30° rotation keeps areas, marks uncovered corners gray and occluded, keeps masks ≡ itemMap', async () => {
    const plain = await withEffects([]);
    const rotated = await withEffects([{ kind: 'rotate', degrees: 30 }]);
    const dogBefore = count(plain.masks.get('dog'));
    const dogAfter = count(rotated.masks.get('dog'));
    expect(Math.abs(dogAfter - dogBefore) / dogBefore).toBeLessThan(0.05);
    expect(rotated.itemMap[0]).toBe(OCCLUDED_ITEM);
    expect(rotated.masks.get('gray')?.[0]).toBe(1);
    expect(rotated.masks.get('grass')?.[0]).toBe(0);
    expectSameMask(
      rotated.masks.get('dog'),
      rotated.itemMap.map((v) => (v === 1 ? 1 : 0)),
      'dog',
    );
  });

  it('occlusion removes covered pixels from every mask and gives them to the occluder colour', async () => {
    const plain = await withEffects([]);
    const region = { x0: 0.1, y0: 0.4, x1: 0.5, y1: 0.8 };
    const occluded = await withEffects([{ kind: 'occlude', region, colour: 'orange' }]);
    // Region edges round to the nearest pixel edge: x 9.6..48 → [10, 48), y 38.4..76.8 → [38, 77).
    const inRegion = (p: number) => {
      const x = p % 96;
      const y = Math.floor(p / 96);
      return x >= 10 && x < 48 && y >= 38 && y < 77;
    };
    const expectedDog = (plain.masks.get('dog') ?? new Uint8Array()).map((v, p) => (inRegion(p) ? 0 : v));
    expectSameMask(occluded.masks.get('dog'), expectedDog, 'dog');
    expect(count(occluded.masks.get('dog'))).toBeLessThan(count(plain.masks.get('dog')));
    expect(count(occluded.masks.get('dog'))).toBeGreaterThan(0);
    expectSameMask(
      occluded.masks.get('orange'),
      occluded.itemMap.map((v) => (v === OCCLUDED_ITEM ? 1 : 0)),
      'orange',
    );
    expect(count(occluded.masks.get('orange'))).toBe(38 * 39);
    // The footprint box is unchanged: the dog is still there, only hidden.
    expect(occluded.annotation.items[0]?.box).toEqual(plain.annotation.items[0]?.box);
  });

  it('blur and noise change pixels but not masks', async () => {
    const plain = await withEffects([]);
    for (const effect of [
      { kind: 'blur', sigma: 2 },
      { kind: 'noise', amount: 0.3, region: { x0: 0, y0: 0, x1: 0.5, y1: 1 } },
    ] as EffectSpec[]) {
      const changed = await withEffects([effect]);
      expect(differingPixels(changed.image.data, plain.image.data), effect.kind).toBeGreaterThan(1000);
      for (const [name, m] of plain.masks)
        expectSameMask(changed.masks.get(name), m, `${effect.kind} ${name}`);
    }
  });

  it('effects compose in order: flip then occlude differs from occlude then flip', async () => {
    const region = { x0: 0, y0: 0, x1: 0.5, y1: 1 };
    const a = await withEffects([
      { kind: 'flip', axis: 'horizontal' },
      { kind: 'occlude', region, colour: 'gray' },
    ]);
    const b = await withEffects([
      { kind: 'occlude', region, colour: 'gray' },
      { kind: 'flip', axis: 'horizontal' },
    ]);
    expect(a.itemMap[0]).toBe(OCCLUDED_ITEM);
    expect(b.itemMap[95]).toBe(OCCLUDED_ITEM);
    expect(b.itemMap[0]).not.toBe(OCCLUDED_ITEM);
  });
});
