import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { encodeModel } from '../../../subjects/onnx/proto.ts';
import { smallCnn } from '../../../subjects/trainer/small-cnn.ts';

describe('smallCnn', () => {
  it('builds one conv → ReLU → max-pool stage per conv layer, then the dense head', async () => {
    const model = smallCnn({ input: [3, 16, 16], classes: 4, conv: [4, 6, 8], hidden: 5, seed: 3 });
    const probe = {
      ...model,
      graph: { ...model.graph, output: [{ name: 'conv3_relu' }, { name: 'logits' }] },
    };
    const session = await ort.InferenceSession.create(encodeModel(probe));
    try {
      const out = await session.run({
        image: new ort.Tensor('float32', new Float32Array(2 * 3 * 256), [2, 3, 16, 16]),
      });
      expect(out.conv3_relu?.dims).toEqual([2, 8, 4, 4]);
      expect(out.logits?.dims).toEqual([2, 4]);
    } finally {
      await session.release();
    }
    // fc1 reads the last stage: 8 channels × (16 / 2³)².
    const fc1 = model.graph?.initializer?.find((t) => t.name === 'fc1.weight');
    expect(fc1?.dims).toEqual([5, 8 * 2 * 2]);
  });

  it('refuses an input the pools cannot halve that often, and no conv layer at all', () => {
    expect(() => smallCnn({ input: [3, 12, 12], classes: 2, conv: [4, 4, 4], hidden: 4, seed: 1 })).toThrow(
      /3 conv layers needs height and width divisible by 8, got 12×12/,
    );
    expect(() => smallCnn({ input: [3, 8, 8], classes: 2, conv: [], hidden: 4, seed: 1 })).toThrow(
      /at least one conv layer/,
    );
  });
});
