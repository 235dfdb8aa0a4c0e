import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { classify, ctcGreedyDecode, softmax } from '../../subjects/decode.ts';

describe('output decoding', () => {
  it('softmax is stable for large logits and sums to 1', () => {
    const p = softmax([1000, 1000 + Math.log(3)]);
    expect(p[0]).toBeCloseTo(0.25, 10);
    expect(p[1]).toBeCloseTo(0.75, 10);
  });

  it('ranks classes per batch item, from probabilities or logits', () => {
    const probs = new ort.Tensor('float32', Float32Array.from([0.2, 0.8, 0.9, 0.1]), [2, 2]);
    const ranked = classify(probs, ['0', '180']);
    expect(ranked.map((r) => r.map((s) => s.label))).toEqual([
      ['180', '0'],
      ['0', '180'],
    ]);
    expect(ranked[0]?.[0]?.probability).toBeCloseTo(0.8, 6);
    const logits = new ort.Tensor('float32', Float32Array.from([0, Math.log(4)]), [1, 2]);
    expect(classify(logits, ['a', 'b'], 'logits')[0]?.[0]).toEqual({
      index: 1,
      label: 'b',
      probability: expect.closeTo(0.8, 6),
    });
  });

  it('refuses a label list that does not match the output', () => {
    const probs = new ort.Tensor('float32', new Float32Array(3), [1, 3]);
    expect(() => classify(probs, ['a', 'b'])).toThrow(/output has 3 classes but the subject has 2 labels/);
  });

  it('decodes CTC greedily: best class per step, repeats merged, blanks dropped, blank separates repeats', () => {
    const labels = ['<blank>', 'a', 'b', ' '];
    // steps: a a blank a b b space blank → "aab "
    const best = [1, 1, 0, 1, 2, 2, 3, 0];
    const confidence = [0.9, 0.8, 0.99, 0.7, 0.6, 0.95, 0.5, 0.99];
    const data = new Float32Array(best.length * labels.length);
    best.forEach((c, t) => {
      for (let k = 0; k < labels.length; k++)
        data[t * labels.length + k] = k === c ? (confidence[t] ?? 0) : 0.01;
    });
    const [result] = ctcGreedyDecode(
      new ort.Tensor('float32', data, [1, best.length, labels.length]),
      labels,
    );
    expect(result?.text).toBe('aab ');
    // kept steps: 0 (a), 3 (a), 4 (b), 6 (space)
    expect(result?.confidence).toBeCloseTo((0.9 + 0.7 + 0.6 + 0.5) / 4, 6);
  });
});
