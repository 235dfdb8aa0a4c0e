import { describe, expect, it } from 'vitest';
import { columnStats, rankScenes, unitColumn } from '../../../tools/common/unit-activations.ts';

describe('ranking probe scenes by a unit', () => {
  it('takes the top k and the bottom ones, disjoint, ties to the lower index', () => {
    const values = Float32Array.of(3, 1, 4, 1, 5, 9, 2, 6, 5, 3);
    const { top, bottom, stats } = rankScenes(values, 3, 3);
    expect(top).toEqual([5, 7, 4]); // 9, 6, 5 (index 4 before 8)
    expect(bottom).toEqual([1, 3, 6]); // 1, 1, 2
    expect(stats.max).toBe(9);
    expect(stats.mean).toBeCloseTo(3.9, 6);
    // Asking for more than there is: every scene once.
    const all = rankScenes(Float32Array.of(2, 1), 5, 5);
    expect([all.top, all.bottom]).toEqual([[0, 1], []]);
  });

  it('reads one unit out of an N × units matrix', () => {
    const matrix = Float32Array.of(1, 10, 2, 20, 3, 30);
    expect(Array.from(unitColumn(matrix, 2, 1))).toEqual([10, 20, 30]);
    expect(columnStats(Float32Array.of(1, 3))).toEqual({ mean: 2, max: 3, min: 1, std: 1 });
  });
});
