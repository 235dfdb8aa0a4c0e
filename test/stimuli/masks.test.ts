import { describe, expect, it } from 'vitest';
import { conceptMask, deriveItemMap, deriveMasks, labelStats } from '../../stimuli/masks.ts';
import { createRandom } from '../../util/random.ts';

/** A random label map with runs (as rendered scenes have) and single pixels. */
function randomLabels(width: number, height: number, labelsUsed: number, seed: number): Uint8Array {
  const rng = createRandom(seed);
  const labels = new Uint8Array(width * height);
  let p = 0;
  while (p < labels.length) {
    const run = rng() < 0.3 ? 1 : 1 + Math.floor(rng() * 40);
    labels.fill(Math.floor(rng() * labelsUsed), p, Math.min(labels.length, p + run));
    p += run;
  }
  return labels;
}

describe('masks from labels', () => {
  const width = 37;
  const height = 23;
  const labels = randomLabels(width, height, 5, 11);
  const labelConcepts = [
    ['sky', 'blue'],
    ['dog', 'animal'],
    ['cat', 'animal', 'blue'],
    ['gray'],
    ['text', 'word:hi'],
  ];
  const labelItem = [0, 1, 2, 255, 3];

  it('derives each concept mask as the union of its labels, pixel by pixel', () => {
    const masks = deriveMasks(labels, labelConcepts);
    expect([...masks.keys()]).toEqual(['sky', 'blue', 'dog', 'animal', 'cat', 'gray', 'text', 'word:hi']);
    for (const [concept, mask] of masks) {
      const expected = Array.from(labels, (l) => (labelConcepts[l]?.includes(concept) ? 1 : 0));
      expect(Array.from(mask), concept).toEqual(expected);
      expect(Array.from(conceptMask(labels, labelConcepts, concept)), concept).toEqual(expected);
    }
    expect(Array.from(conceptMask(labels, labelConcepts, 'absent')).every((v) => v === 0)).toBe(true);
  });

  it('derives the itemMap from the label → item table', () => {
    expect(Array.from(deriveItemMap(labels, labelItem))).toEqual(Array.from(labels, (l) => labelItem[l]));
  });

  it('computes every label area and box in one pass', () => {
    const stats = labelStats(labels, width, labelConcepts.length);
    for (let l = 0; l < labelConcepts.length; l++) {
      const pixels = [...labels.keys()].filter((p) => labels[p] === l);
      expect(stats.area[l]).toBe(pixels.length);
      const xs = pixels.map((p) => p % width);
      const ys = pixels.map((p) => Math.floor(p / width));
      expect(stats.box[l]).toEqual({ x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs) + 1, y1: Math.max(...ys) + 1 });
    }
  }); // prettier-ignore
});
