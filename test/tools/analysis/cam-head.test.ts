import { describe, expect, it } from 'vitest';
import { loadSubject } from '../../../subjects/index.ts';
import { findCamHead } from '../../../tools/analysis/cam-head.ts';
import { B2, tinyModel, W2 } from '../../subjects/fixtures.ts';

describe('findCamHead', () => {
  it.each(['initializer', 'constant'] as const)(
    'finds GAP → Flatten → Gemm(transB) → Softmax with weights stored as %s',
    (style) => {
      const search = findCamHead(tinyModel(style), 'probs');
      if (!search.available) throw new Error(search.reason);
      const { head } = search;
      expect(head).toMatchObject({
        features: 'relu',
        pooling: 'GlobalAveragePool',
        logits: 'logits',
        output: 'probs',
      });
      // Gemm with transB = 1 stores W2 as [classes, channels] already.
      expect(head.weights).toMatchObject({ classes: 2, channels: 3 });
      expect(Array.from(head.weights.data)).toEqual(W2.flat());
      expect(Array.from(head.bias ?? [])).toEqual(Array.from(Float32Array.from(B2)));
    },
  );

  it('reports why CAM is unavailable when the output is not a linear layer after pooling', () => {
    const search = findCamHead(tinyModel('initializer'), 'seqmean');
    expect(search.available).toBe(false);
    if (!search.available) expect(search.reason).toMatch(/ReduceMean, not a linear layer/);
  });

  it('finds the PaddleOCR classifier head: MaxPool features → GAP → Reshape → MatMul + Add → Softmax', async () => {
    const subject = await loadSubject('paddle-ocr-cls');
    try {
      const search = findCamHead(subject.decodedModel(), 'softmax_0.tmp_0');
      if (!search.available) throw new Error(search.reason);
      const { head } = search;
      expect(head.logits).toBe(subject.resolveSite('class_logits').name);
      const features = subject.resolveSite(head.features);
      expect(features.shape[1]).toBe(head.weights.channels);
      expect(head.weights.classes).toBe(2);
      // MatMul stores [channels, classes]: our w[k, c] is its transpose, checked against a direct run:
      // logits = w · mean(F) + b for a zero image.
      const image = { width: 192, height: 48, data: new Uint8Array(192 * 48 * 3).fill(200) };
      const run = await subject.read(subject.preprocess([image]), [head.features, head.logits]);
      const f = run.sites[head.features]?.data as Float32Array;
      const plane = f.length / head.weights.channels;
      const logits = run.sites[head.logits]?.data as Float32Array;
      for (let k = 0; k < 2; k++) {
        let sum = head.bias?.[k] ?? 0;
        for (let c = 0; c < head.weights.channels; c++) {
          let mean = 0;
          for (let p = 0; p < plane; p++) mean += f[c * plane + p] as number;
          sum += (head.weights.data[k * head.weights.channels + c] as number) * (mean / plane);
        }
        expect(sum).toBeCloseTo(logits[k] as number, 3);
      }
      const detector = await loadSubject('paddle-ocr-det');
      const none = findCamHead(detector.decodedModel());
      expect(none.available).toBe(false);
      await detector.dispose();
    } finally {
      await subject.dispose();
    }
  });
});
