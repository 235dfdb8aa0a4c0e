import { describe, expect, it } from 'vitest';
import { averageRanks, pearson, spearman } from '../../../tools/metrics/correlation.ts';
import { InputError } from '../../../util/errors.ts';

describe('averageRanks', () => {
  it('gives tied values the average of their ranks', () => {
    expect(Array.from(averageRanks([10, 20, 20, 30]))).toEqual([1, 2.5, 2.5, 4]);
    expect(Array.from(averageRanks([3, 1, 3, 3, 2]))).toEqual([4, 1, 4, 4, 2]);
  });
});

describe('pearson', () => {
  it('matches a hand-computed value', () => {
    // x = [1, 2, 3, 4], y = [2, 4, 5, 9]: Σdxdy = 11, Σdx² = 5, Σdy² = 26 → r = 11 / √130.
    expect(pearson([1, 2, 3, 4], [2, 4, 5, 9])).toBeCloseTo(11 / Math.sqrt(130), 12);
  });

  it('is ±1 for exact linear relations and 0 for a constant input', () => {
    expect(pearson([1, 2, 3], [10, 20, 30])).toBe(1);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBe(-1);
    expect(pearson([1, 2, 3], [5, 5, 5])).toBe(0);
  });
});

describe('spearman', () => {
  it('handles ties with average ranks (hand-computed)', () => {
    // ranks x = [1, 2.5, 2.5, 4, 5], ranks y = [1, 4, 2.5, 2.5, 5] → ρ = 7.25 / 9.5.
    expect(spearman([1, 2, 2, 3, 4], [1, 3, 2, 2, 5])).toBeCloseTo(7.25 / 9.5, 12);
  });

  it('is 1 for any monotone increasing relation, unlike Pearson', () => {
    const x = [1, 2, 3, 4, 5];
    const y = x.map((v) => Math.exp(v));
    expect(spearman(x, y)).toBeCloseTo(1, 12);
    expect(pearson(x, y)).toBeLessThan(0.95);
  });

  it('rejects mismatched lengths, too few values and NaN', () => {
    expect(() => spearman([1, 2], [1, 2, 3])).toThrow(/same length, got 2 and 3/);
    expect(() => spearman([1], [1])).toThrow(InputError);
    expect(() => spearman([1, Number.NaN], [1, 2])).toThrow(/non-finite/);
  });
});
