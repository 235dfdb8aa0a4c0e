import { describe, expect, it } from 'vitest';
import { restingFloor, topRegion } from '../../../tools/analysis/compositional/index.ts';
import { createRandom } from '../../../util/random.ts';

/** 400 scenes of 4×4 maps resting in uniform noise [0, 0.1); scenes 7 and 300 fire (1.0) on one cell. */
function noisyRareUnit(resting = 0.1) {
  const random = createRandom(5);
  const maps = Array.from({ length: 400 }, (_, s) => {
    const map = Float32Array.from({ length: 16 }, () => resting * random());
    if (s === 7 || s === 300) map[5] = 1;
    return { map, width: 4, height: 4 };
  });
  const maxima = maps.map((m) => Math.max(...m.map));
  return { maps, maxima };
}

const region = (maps: { map: Float32Array; width: number; height: number }[], maxima: number[], floor?: number) =>
  topRegion(maxima, async (indices) => indices.map((i) => maps[i]!), { topFraction: 0.005, width: 4, height: 4, ...(floor !== undefined ? { floor } : {}) }); // prettier-ignore

describe('a unit resting at a noisy floor', () => {
  it('detects the floor from the per-scene maxima, and none for a clean or a common unit', () => {
    const { maxima } = noisyRareUnit();
    const floor = restingFloor(maxima)!;
    expect(floor).toBeGreaterThan(0.1);
    expect(floor).toBeLessThan(1);
    expect(restingFloor(noisyRareUnit(0).maxima)).toBeUndefined();
    // Most scenes fire: the median is the firing level, not a floor.
    expect(restingFloor([0.9, 1, 0.95, 0.05, 1])).toBeUndefined();
  });

  it('keeps the top region to firing, not to the loudest noise', async () => {
    const { maps, maxima } = noisyRareUnit();
    // The top 0.5% of 6,400 values is 32 of them: two firing cells and 30 cells of noise.
    const plain = await region(maps, maxima);
    expect(plain.threshold).toBeLessThan(0.1);
    expect([...plain.masks.keys()].length).toBeGreaterThan(10);
    const floored = await region(maps, maxima, restingFloor(maxima));
    expect([...floored.masks.keys()].sort((a, b) => a - b)).toEqual([7, 300]);
    expect(floored.floor).toBeDefined();
    expect(floored.activeTotal).toBe(2);
  });
});
