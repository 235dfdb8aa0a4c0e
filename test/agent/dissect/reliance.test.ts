import { describe, expect, it } from 'vitest';
import { classInQuestion } from '../../../agent/backbones/dissect/reliance/plan.ts';
import {
  describeVerdict,
  relianceVerdict,
  type RelianceView,
} from '../../../agent/backbones/dissect/reliance/verdict.ts';

/** A model_reliance result with one set; figures given per concept: EA_PG and the share an edit changes. */
function view(
  figures: Record<'garment' | 'square', { pointing: number; changed: number }>,
  accuracy = 0.9,
): RelianceView {
  const concepts = (['garment', 'square'] as const).map((concept) => ({
    concept,
    role: concept === 'garment' ? ('object' as const) : ('context' as const),
    iou: figures[concept].pointing / 3,
    pointing: figures[concept].pointing,
    images: 100,
  }));
  return {
    reports: [
      {
        dataset: 'fashion-mnist-square',
        set: 'broken',
        setDescription: 'the square has the colour of another class',
        images: 100,
        accuracy,
        concepts,
        classes: [
          { label: 'Bag', images: 10, examples: [1, 2], accuracy, concepts },
          { label: 'Trouser', images: 10, examples: [3], accuracy, concepts },
        ],
        edits: (['garment', 'square'] as const).map((concept) => ({
          describes: `${concept} removed`,
          edit: { concept },
          images: 100,
          accuracy: 0.5,
          changed: figures[concept].changed,
          probabilityDrop: figures[concept].changed / 2,
        })),
      },
    ],
  };
}

describe("dissect's reliance verdict", () => {
  it('names a context concept the model relies on as a spurious feature', () => {
    const v = relianceVerdict(
      view({ garment: { pointing: 0.08, changed: 0.4 }, square: { pointing: 0.9, changed: 0.8 } }, 0.17),
    );
    expect(v.spurious).toBe(true);
    expect(v.feature.concept).toBe('square');
    const text = describeVerdict(v, ['c2']);
    expect(text).toMatch(/^Yes: the model relies on the square/);
    expect(text).toContain('EA_PG 0.90');
  });

  it('relies on the edits when saliency does not point at the context concept', () => {
    const v = relianceVerdict(
      view({ garment: { pointing: 0.2, changed: 0.9 }, square: { pointing: 0.1, changed: 0.6 } }),
    );
    expect(v.spurious).toBe(true);
    expect(v.feature.concept).toBe('square');
  });

  it('answers no, naming the object, when no context concept is relied on', () => {
    const v = relianceVerdict(
      view({ garment: { pointing: 0.17, changed: 0.9 }, square: { pointing: 0, changed: 0.07 } }),
    );
    expect(v.spurious).toBe(false);
    expect(v.feature.concept).toBe('garment');
    expect(describeVerdict(v, [])).toMatch(
      /^No: the model does not rely on a spurious feature; it relies on the garment/,
    );
  });

  it('answers a class question for the class', () => {
    const v = relianceVerdict(
      view({ garment: { pointing: 0.1, changed: 0.4 }, square: { pointing: 0.95, changed: 0.8 } }),
      'Bag',
    );
    expect(v.cls?.label).toBe('Bag');
    expect(describeVerdict(v, [])).toMatch(/Class Bag relies on the square/);
    expect(classInQuestion('What does class ankle boot rely on?', ['Bag', 'Ankle boot'])).toBe('Ankle boot');
    expect(classInQuestion('Does it rely on a spurious feature?', ['Bag'])).toBeUndefined();
  });
});
