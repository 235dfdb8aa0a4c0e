import { describe, expect, it } from 'vitest';
import { measurePlantedUnit } from '../../../scripts/organisms/planted-measure.ts';

/** A 4×4 image whose concept covers the given pixels, with the formula value it would have. */
function truth(pixels: number[], value: number) {
  const map = new Float32Array(16);
  for (const p of pixels) map[p] = 1;
  return { width: 4, height: 4, map, value };
}

describe('measurePlantedUnit', () => {
  it('IoU of the upsampled, thresholded map with the concept, AUROC and selectivity over scenes', () => {
    // Two channels on a 2×2 grid (each cell a 2×2 block of the 4×4 image); channel 1 is measured.
    const maps = new Float32Array([
      // scene 0: channel 0, then channel 1 on the top-left cell
      9, 9, 9, 9, 0.9, 0, 0, 0,
      // scene 1: channel 1 silent
      9, 9, 9, 9, 0.1, 0.2, 0, 0,
    ]);
    const measure = measurePlantedUnit({
      maps,
      channels: 2,
      channel: 1,
      grid: 2,
      // Scene 0's concept fills the top-left block and one more pixel; scene 1 has none.
      truth: [truth([0, 1, 4, 5, 2], 1), truth([], 0)],
    });
    expect(measure.iou).toBeCloseTo(4 / 5, 6);
    expect(measure.auroc).toBe(1);
    expect(measure.scenes).toBe(1);
    expect(measure.selectivity).toBeCloseTo((0.9 - 0.2) / (0.9 + 0.2), 6);
  });
});
