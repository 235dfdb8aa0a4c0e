import { describe, expect, it } from 'vitest';
import { renderScene } from '../../../stimuli/render.ts';
import { PERTURBATION_TOLERANCE, perturbForSyntheticUnit } from '../../../tools/analysis/perturb.ts';

const SPEC = {
  width: 64,
  height: 64,
  background: 'grass',
  items: [
    { kind: 'object' as const, name: 'dog', x: 0.3, y: 0.3, size: 0.4 },
    { kind: 'object' as const, name: 'cat', x: 0.7, y: 0.7, size: 0.4 },
  ],
};

describe('perturbForSyntheticUnit', () => {
  it('returns the scene itself when no pixel moved beyond the tolerance', async () => {
    const scene = await renderScene(SPEC);
    const nudged = {
      ...scene.image,
      data: scene.image.data.map((v) => Math.min(255, v + PERTURBATION_TOLERANCE)),
    };
    expect(perturbForSyntheticUnit(scene, nudged)).toBe(scene);
  });

  it.each([
    ['a small patch (zeroed by index)', (x: number, y: number) => x >= 8 && x < 22 && y >= 8 && y < 22],
    ['most of the image (ANDed with a keep mask)', (x: number, _y: number) => x < 40],
  ])('removes exactly the changed pixels for %s, keeping item numbers elsewhere', async (_, hidden) => {
    const scene = await renderScene(SPEC);
    const data = Uint8Array.from(scene.image.data);
    for (let y = 0; y < 64; y++) {
      for (let x = 0; x < 64; x++) {
        if (!hidden(x, y)) continue;
        const i = (y * 64 + x) * 3;
        data[i] = data[i] === 0 ? 255 : 0; // far beyond the tolerance
      }
    }
    const perturbed = perturbForSyntheticUnit(scene, { width: 64, height: 64, data });
    let removedItemPixels = 0;
    for (let p = 0; p < 64 * 64; p++) {
      const gone = hidden(p % 64, Math.floor(p / 64));
      const item = perturbed.itemMap[p] as number;
      expect(item).toBe(gone ? 0 : scene.itemMap[p]);
      if (gone && scene.itemMap[p]) removedItemPixels++;
      for (const [name, mask] of perturbed.masks) expect(mask[p]).toBe(gone ? 0 : scene.masks.get(name)?.[p]);
    }
    expect(removedItemPixels).toBeGreaterThan(0);
    // The cat (item 2) keeps its number where shown: the AND path must not truncate values above 1.
    expect([...perturbed.itemMap].some((v) => v === 2)).toBe(true);
    // The original scene is untouched.
    expect(scene.masks.get('dog')?.some((v) => v === 1)).toBe(true);
  });
});
