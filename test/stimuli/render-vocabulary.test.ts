import { describe, expect, it } from 'vitest';
import { renderScene } from '../../stimuli/render.ts';
import { conceptsOfKind } from '../../stimuli/vocabulary.ts';
import { count } from './render-helpers.ts';

describe('every drawable concept renders', () => {
  it('every object concept gives a non-empty mask that carries its ancestors', async () => {
    const empty: string[] = [];
    for (const name of conceptsOfKind('object')) {
      const scene = await renderScene({ background: 'white', width: 48, height: 48, items: [{ kind: 'object', name, size: 0.9 }] });
      const area = count(scene.masks.get(name));
      // A sprite covering under 4% of its square would not be recognisable.
      if (area < 0.04 * 48 * 48 * 0.81) empty.push(`${name} (${area} px)`);
      for (const ancestor of scene.masks.keys()) expect(count(scene.masks.get(ancestor)), `${name}/${ancestor}`).toBeGreaterThan(0);
    }
    expect(empty).toEqual([]);
  }, 60_000); // prettier-ignore

  it('every shape renders non-empty in its colour', async () => {
    for (const name of conceptsOfKind('shape')) {
      const scene = await renderScene({ background: 'white', width: 48, height: 48, items: [{ kind: 'shape', name, colour: 'green', size: 0.8 }] });
      expect(count(scene.masks.get(name)), name).toBeGreaterThan(150);
      expect(scene.masks.get('green'), name).toEqual(scene.masks.get(name));
    }
  }); // prettier-ignore

  it('every background covers the whole image with its concept', async () => {
    for (const name of conceptsOfKind('background')) {
      const scene = await renderScene({ background: name, width: 32, height: 32 });
      expect(count(scene.masks.get(name)), name).toBe(32 * 32);
    }
  });

  it('every texture fills its item and tells textures apart', async () => {
    const means = new Map<string, number>();
    for (const name of conceptsOfKind('texture')) {
      const scene = await renderScene({ background: 'white', width: 48, height: 48, items: [{ kind: 'shape', name: 'square', texture: name, size: 1 }] });
      expect(count(scene.masks.get(name)), name).toBeGreaterThan(40 * 40);
      let sum = 0;
      for (const v of scene.image.data) sum += v;
      means.set(name, Math.round(sum / scene.image.data.length));
    }
    // Not all textures paint the same average colour: they are really different patterns.
    expect(new Set(means.values()).size).toBeGreaterThan(6);
  }); // prettier-ignore
});
