import { describe, expect, it } from 'vitest';
import { comparisonSize, dissectUnit, type DissectionScene } from '../../../tools/analysis/netdissect.ts';
import { valueAtTopFraction } from '../../../tools/analysis/quantile.ts';
import { InputError } from '../../../util/errors.ts';

/**
 * A 4×4 scene with three labels: 0 = background ('sky'), 1 = a 2×2 'dog' (also 'animal') in the top-left,
 * 2 = a 2×2 'cat' (also 'animal') in the bottom-right. Maps are given at image resolution so nothing is
 * resampled (comparison size = image size when resolutionPixels ≥ 16).
 */
const LABELS = Uint8Array.from([1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 2, 2, 0, 0, 2, 2]);
const LABEL_CONCEPTS = [['sky'], ['dog', 'animal'], ['cat', 'animal']];
const DOG = Float32Array.from([1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

function scene(map: ArrayLike<number>, labels = LABELS, labelConcepts = LABEL_CONCEPTS): DissectionScene {
  return { map, mapWidth: 4, mapHeight: 4, width: 4, height: 4, labels, labelConcepts };
}

describe('dissectUnit', () => {
  it('scores a unit that fires exactly on the dog with IoU 1 for dog and ranks dog before animal', () => {
    const result = dissectUnit([scene(DOG)], { topFraction: 0.25 });
    expect(result.threshold).toBe(1);
    expect(result.activeFraction).toBe(0.25);
    const [first, second] = result.concepts;
    expect(first).toMatchObject({ concept: 'dog', iou: 1, intersection: 4, union: 4, area: 4, scenes: 1 });
    // animal = dog ∪ cat: |M ∩ L| = 4, |M ∪ L| = 8.
    expect(second).toMatchObject({ concept: 'animal', iou: 0.5 });
    expect(result.concepts.find((c) => c.concept === 'sky')?.iou).toBe(0);
  });

  it('sums intersections and unions over scenes, counting |M| in the union of scenes without the concept', () => {
    // Scene 2 has no dog (its labels are all sky) but the unit fires on 4 pixels there.
    const noDog = Uint8Array.from(new Array<number>(16).fill(0));
    const result = dissectUnit([scene(DOG), scene(DOG, noDog)], { topFraction: 0.25 });
    const dog = result.concepts.find((c) => c.concept === 'dog');
    expect(dog).toMatchObject({ intersection: 4, union: 8, iou: 0.5, scenes: 1 });
    const sky = result.concepts.find((c) => c.concept === 'sky');
    // Sky: scene 1 has 8 sky pixels outside M; scene 2 has 16, of which 4 in M. Σ|M| = 8.
    expect(sky).toMatchObject({ intersection: 4, area: 24, union: 8 + 24 - 4, scenes: 2 });
  });

  it('takes the threshold over all scenes together (top fraction of every map value)', () => {
    const weak = Float32Array.from(DOG, (v) => v * 0.5);
    // 32 values, top 12.5% = 4 values: only the strong scene's dog pixels pass.
    const result = dissectUnit([scene(DOG), scene(weak)], { topFraction: 0.125 });
    expect(result.threshold).toBe(1);
    expect(result.concepts[0]).toMatchObject({ concept: 'dog', intersection: 4, union: 8 });
  });

  it('never selects every pixel of a mostly silent unit: ties at the minimum are not active', () => {
    const silent = new Float32Array(16);
    silent[0] = 0.3; // one pixel above zero
    const result = dissectUnit([scene(silent)], { topFraction: 0.005 });
    expect(result.threshold).toBeCloseTo(0.3, 6);
    expect(result.activeFraction).toBeCloseTo(1 / 16);
    const dead = dissectUnit([scene(new Float32Array(16))]);
    expect(dead.activeFraction).toBe(0);
    expect(dead.concepts.every((c) => c.iou === 0 && Number.isFinite(c.iou))).toBe(true);
  });

  it('upsamples a coarse map bilinearly and compares at the reduced resolution', () => {
    // A 2×2 map with the top-left cell on, over an 8×8 image whose top-left quadrant is a dog.
    const labels = new Uint8Array(64);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) labels[y * 8 + x] = 1;
    const result = dissectUnit(
      [
        {
          map: [1, 0, 0, 0],
          mapWidth: 2,
          mapHeight: 2,
          width: 8,
          height: 8,
          labels,
          labelConcepts: LABEL_CONCEPTS,
        },
      ],
      { topFraction: 0.1, resolutionPixels: 16 },
    );
    // At 4×4 the upsampled map peaks at (0, 0); the top 10% (2 values, ties included) lie in the dog.
    const dog = result.concepts[0];
    expect(dog?.concept).toBe('dog');
    expect(dog?.iou).toBeGreaterThan(0);
    // 'animal' covers the same pixels here: the more specific 'dog' (listed first) wins the tie.
    expect(result.concepts[1]).toMatchObject({ concept: 'animal', iou: dog?.iou });
    expect((dog?.area ?? 0) / 16).toBe(0.25); // the dog is a quarter of the 4×4 comparison grid
  });

  it('rejects bad options and inconsistent scenes with clear messages', () => {
    expect(() => dissectUnit([], {})).toThrow(/at least one scene/);
    expect(() => dissectUnit([scene(DOG)], { topFraction: 0 })).toThrow(InputError);
    expect(() => dissectUnit([scene(DOG)], { topFraction: 1.5 })).toThrow(/topFraction/);
    expect(() => dissectUnit([{ ...scene(DOG), map: [1, 2, 3] }])).toThrow(/3 values .* 4×4 needs 16/);
    expect(() => dissectUnit([{ ...scene(DOG), labels: new Uint8Array(5) }])).toThrow(
      /label map has 5 pixels/,
    );
    expect(() => dissectUnit([scene(Float32Array.from(DOG, (v, i) => (i === 3 ? NaN : v)))])).toThrow(
      /non-finite/,
    );
  });
});

describe('comparisonSize', () => {
  it('keeps the aspect ratio at about 56×56 pixels and never enlarges', () => {
    expect(comparisonSize(224, 224)).toEqual({ width: 56, height: 56 });
    expect(comparisonSize(192, 48)).toEqual({ width: 112, height: 28 });
    expect(comparisonSize(40, 30)).toEqual({ width: 40, height: 30 });
  });
});

describe('valueAtTopFraction', () => {
  it('returns the k-th largest value, k = round(fraction·n), at least 1', () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000); // a permutation of 0..999
    expect(valueAtTopFraction(values, 0.005)).toBe(995);
    expect(valueAtTopFraction(values, 0.5)).toBe(500);
    expect(valueAtTopFraction(values, 0)).toBe(999);
    expect(valueAtTopFraction(values, 1)).toBe(0);
    expect(valueAtTopFraction([3, 3, 3, 3], 0.25)).toBe(3);
  });

  it('agrees with sorting on random data with ties', () => {
    let state = 12345;
    const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const values = Float64Array.from({ length: 5000 }, () => Math.floor(next() * 50));
    const sorted = Float64Array.from(values).sort();
    for (const fraction of [0.001, 0.01, 0.3, 0.9]) {
      const k = Math.max(1, Math.round(fraction * values.length));
      expect(valueAtTopFraction(values, fraction)).toBe(sorted[values.length - k]);
    }
  });
});
