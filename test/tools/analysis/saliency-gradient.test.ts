import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxSubject } from '../../../subjects/onnx/onnx-subject.ts';
import { renderScene } from '../../../stimuli/render.ts';
import { findCamHead } from '../../../tools/analysis/cam-head.ts';
import { createVisionRegistry } from '../../../tools/index.ts';
import { OnnxProbe } from '../../../tools/probe/index.ts';
import { classActivationMap, gradCam } from '../../../tools/saliency/index.ts';
import type { SaliencyData } from '../../../tools/vision/saliency.ts';
import { allNumbers, analysisContext, type TestContext } from '../vision/analysis-fixtures.ts';

/** Gradient saliency on the PaddleOCR classifier, through the saliency and alignment tools. */

const registry = createVisionRegistry();
const line = {
  width: 192,
  height: 48,
  background: 'white',
  items: [{ kind: 'word' as const, name: 'hello', x: 0.5, y: 0.5, size: 0.7 }],
};

describe('gradient saliency on the PaddleOCR classifier', () => {
  let test: TestContext;
  beforeAll(async () => {
    test = await analysisContext('paddle-ocr-cls', 8);
  });
  afterAll(() => test.dispose());

  it('Grad-CAM at the pooled features equals CAM up to scale (1 / the number of positions)', async () => {
    const probe = test.ctx.probe;
    if (!(probe instanceof OnnxProbe) || !(probe.subject instanceof OnnxSubject)) throw new Error('not ONNX');
    const subject = probe.subject;
    const search = findCamHead(subject.decodedModel(), 'softmax_0.tmp_0');
    if (!search.available) throw new Error(search.reason);
    const { head } = search;
    const scene = await renderScene(line);
    const run = await subject.gradient(subject.preprocess([scene.image]), {
      objective: { tensor: 'class_logits', weights: [1, 0] },
      wrt: [head.features],
      read: [head.features],
    });
    const features = run.sites[head.features];
    const grads = run.gradients[head.features];
    if (!features || !grads) throw new Error('no features');
    const [, channels, height, width] = features.dims as [number, number, number, number];
    const positions = height * width;
    const data = features.data as Float32Array;
    // Through global average pooling, ∂logit/∂A_k is w[0,k]/positions at every position.
    const g = grads.data as Float32Array;
    for (const k of [0, 7, channels - 1]) {
      expect(g[k * positions + 3]).toBeCloseTo((head.weights.data[k] as number) / positions, 6);
    }
    const cam = classActivationMap({ data, channels, height, width }, head.weights, 0, { width, height });
    const grad = gradCam({ activations: data, gradients: g, shape: { channels, height, width } });
    let positive = 0;
    cam.map.forEach((value, p) => {
      expect(grad[p]).toBeCloseTo(Math.max(0, value) / positions, 5);
      if (value > 0) positive++;
    });
    expect(positive).toBeGreaterThan(0);
  });

  it('every gradient method maps the line through the saliency tool, finite and repeatable', async () => {
    for (const method of [
      'gradient',
      'gradient_x_input',
      'integrated_gradients',
      'smoothgrad',
      'gradcam',
      'gradcam_pp',
    ]) {
      const args = { stimuli: [line], label: '0', method, steps: 8, samples: 4, seed: 2 };
      const first = await registry.call('saliency', args, test.ctx);
      const again = await registry.call('saliency', args, test.ctx);
      const data = first.data as SaliencyData;
      expect(data.method).toBe(method);
      expect(data.stimuli[0]?.map).toMatchObject({ width: 64, height: 16 });
      expect(data.stimuli[0]?.summary.positiveMass, method).toBeGreaterThan(0);
      expect(allNumbers(data).every(Number.isFinite)).toBe(true);
      expect((again.data as SaliencyData).stimuli[0]?.map.values).toEqual(data.stimuli[0]?.map.values);
    }
  });

  it('Grad-CAM puts more of its mass on the text than the text covers, and alignment accepts it', async () => {
    const result = await registry.call(
      'saliency',
      { stimuli: [line], label: '0', method: 'gradcam' },
      test.ctx,
    );
    const data = result.data as SaliencyData;
    expect(data.explains).toMatch(/^Grad-CAM at .*, gradient of the logit of '0'$/);
    const text = data.stimuli[0]?.summary.shares.find((s) => s.concept === 'text');
    expect(text?.share ?? 0).toBeGreaterThan(2 * (text?.area ?? 1));
    const aligned = await registry.call(
      'alignment',
      { stimuli: [line], label: '0', method: 'gradcam_pp', concept: 'text' },
      test.ctx,
    );
    expect(aligned.text).toMatch(/^Alignment of gradcam_pp saliency for label '0' with 'text'/);
  });

  it('rejects a Grad-CAM site without spatial maps, and gradient methods on synthetic subjects', async () => {
    await expect(
      registry.call(
        'saliency',
        { stimuli: [line], label: '0', method: 'gradcam', site: 'class_logits' },
        test.ctx,
      ),
    ).rejects.toThrow(
      /Grad-CAM needs a convolutional site \[N, K, h, w\]; 'class_logits' has shape \[1, 2\]/,
    );
    const synthetic = await analysisContext('synthetic', 4);
    try {
      await expect(
        registry.call(
          'saliency',
          { stimuli: [line], unit: 'synthetic:0', method: 'gradient' },
          synthetic.ctx,
        ),
      ).rejects.toThrow(/gradient methods need an ONNX subject/);
    } finally {
      await synthetic.dispose();
    }
  });
});
