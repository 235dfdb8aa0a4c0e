import { describe, expect, it } from 'vitest';
import { createRandom, randomInt } from '../../util/random.ts';
import { InputError } from '../../util/errors.ts';

describe('createRandom (mulberry32)', () => {
  it('reproduces the reference mulberry32 sequence', () => {
    const random = createRandom(42);
    expect([random(), random(), random()]).toEqual([
      0.6011037519201636, 0.44829055899754167, 0.8524657934904099,
    ]);
  });

  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const c = createRandom(8);
    const seqA = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(seqA);
  });

  it('draws uniformly in [0, 1)', () => {
    const random = createRandom(1);
    const n = 20_000;
    let sum = 0;
    const buckets = new Array<number>(10).fill(0);
    let outOfRange = 0;
    for (let i = 0; i < n; i++) {
      const v = random();
      if (!(v >= 0 && v < 1)) outOfRange++;
      sum += v;
      buckets[Math.floor(v * 10)]! += 1;
    }
    expect(outOfRange).toBe(0);
    expect(sum / n).toBeCloseTo(0.5, 1);
    for (const count of buckets) expect(Math.abs(count - n / 10)).toBeLessThan(n / 50);
  });

  it('randomInt stays in range', () => {
    const random = createRandom(3);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(randomInt(random, 5));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('rejects a non-integer seed', () => {
    expect(() => createRandom(1.5)).toThrow(InputError);
  });
});
