import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxSubject } from '../../../subjects/onnx/onnx-subject.ts';
import { renderScene } from '../../../stimuli/render.ts';
import { findCamHead } from '../../../tools/analysis/cam-head.ts';
import { createVisionRegistry } from '../../../tools/index.ts';
import { sharedInterest } from '../../../tools/metrics/index.ts';
import { OnnxProbe } from '../../../tools/probe/index.ts';
import type { SaliencyData } from '../../../tools/vision/saliency.ts';
import { computeSaliency } from '../../../tools/analysis/saliency-run.ts';
import { camForLabel, resolveTarget } from '../../../tools/analysis/saliency-target.ts';
import { allNumbers, analysisContext, type TestContext } from './analysis-fixtures.ts';

const registry = createVisionRegistry();

/** A dog off centre (left third) on grass, so a map that merely peaks in the middle would fail. */
const DOG_SPEC = {
  width: 224,
  height: 224,
  background: 'grass',
  items: [{ kind: 'object' as const, name: 'dog', x: 0.3, y: 0.4, size: 0.35 }],
};

describe('saliency on a synthetic mono unit', () => {
  let test: TestContext;
  beforeAll(async () => {
    test = await analysisContext('synthetic', 20);
  });
  afterAll(() => test.dispose());

  it('occlusion saliency overlaps the concept mask: Shared Interest IoU ≥ 0.5', async () => {
    const scene = await renderScene(DOG_SPEC);
    const target = resolveTarget(test.ctx.probe, { unit: 'synthetic:0' });
    const settings = { method: 'occlusion' as const, seed: 1, pooling: 'mean' as const };
    const { map } = await computeSaliency(test.ctx.probe, target, scene, settings, 'saliency');
    const dog = scene.masks.get('dog') as Uint8Array;
    // Binarisation: keep the top |G| pixels of the map (as many as the mask has), so IoU measures where
    // the saliency is, not how large a threshold makes it.
    const scores = sharedInterest(map.map, dog, { binarization: { method: 'ground-truth-area' } });
    expect(scores.iou).toBeGreaterThanOrEqual(0.5);
    // The unit ignores the grass: hiding grass alone never lowers it.
    let grassOnlyMax = 0;
    const grass = scene.masks.get('grass') as Uint8Array;
    for (let p = 0; p < dog.length; p++)
      if (grass[p] && !dog[p]) grassOnlyMax = Math.max(grassOnlyMax, map.map[p] as number);
    let dogMax = 0;
    for (let p = 0; p < dog.length; p++) if (dog[p]) dogMax = Math.max(dogMax, map.map[p] as number);
    expect(dogMax).toBeGreaterThan(grassOnlyMax);
  });

  it('reports the peak and saliency shares in words and data, with a captioned overlay', async () => {
    const result = await registry.call(
      'saliency',
      { stimuli: [DOG_SPEC, 'a cat on sand'], unit: 'synthetic:0', method: 'occlusion' },
      test.ctx,
    );
    const data = result.data as SaliencyData;
    expect(data.explains).toBe("mean of synthetic:0's map");
    const [dogScene, catScene] = data.stimuli;
    expect(dogScene?.summary.peakConcepts).toContain('dog');
    expect(dogScene?.summary.shares[0]?.concept).toBe('dog');
    expect(dogScene?.summary.shares[0]?.share).toBeGreaterThan(0.5);
    expect(dogScene?.map.width).toBe(64);
    expect(dogScene?.map.values).toHaveLength(64 * 64);
    // No dog, no response: the map is flat and the text says so.
    expect(catScene?.summary.positiveMass).toBe(0);
    expect(result.text).toMatch(/#1 a cat on sand: score 0; no positive saliency/);
    expect(result.images).toHaveLength(2);
    expect(result.images[0]?.caption).toMatch(/occlusion saliency of unit synthetic:0/);
    expect(result.images[0]?.png.subarray(1, 4).toString()).toBe('PNG');
    expect(allNumbers(data).every(Number.isFinite)).toBe(true);
  });

  it('RISE on a synthetic unit also finds the dog (seeded and repeatable)', async () => {
    const args = { stimuli: [DOG_SPEC], unit: 'synthetic:0', method: 'rise', masks: 150, seed: 4 };
    const first = (await registry.call('saliency', args, test.ctx)).data as SaliencyData;
    const again = (await registry.call('saliency', args, test.ctx)).data as SaliencyData;
    expect(first.stimuli[0]?.map.values).toEqual(again.stimuli[0]?.map.values);
    expect(first.stimuli[0]?.summary.peakConcepts).toContain('dog');
  });

  it('explains why CAM is unavailable and rejects ambiguous targets', async () => {
    await expect(
      registry.call('saliency', { stimuli: [DOG_SPEC], unit: 'synthetic:0', method: 'cam' }, test.ctx),
    ).rejects.toThrow(/CAM explains a class output, not a unit; use method 'occlusion', 'rise' or 'gradcam'/);
    await expect(
      registry.call('saliency', { stimuli: [DOG_SPEC], unit: 'synthetic:0', label: 'synthetic:1' }, test.ctx),
    ).rejects.toThrow(/exactly one target/);
    await expect(registry.call('saliency', { stimuli: [DOG_SPEC] }, test.ctx)).rejects.toThrow(
      /exactly one target/,
    );
  });
});

describe('saliency on the PaddleOCR classifier', () => {
  let test: TestContext;
  const line = {
    width: 192,
    height: 48,
    background: 'white',
    items: [{ kind: 'word' as const, name: 'hello', x: 0.5, y: 0.5, size: 0.7 }],
  };
  beforeAll(async () => {
    test = await analysisContext('paddle-ocr-cls', 8);
  });
  afterAll(() => test.dispose());

  it('CAM equals the head: its mean over the image is the logit minus the bias', async () => {
    const probe = test.ctx.probe;
    if (!(probe instanceof OnnxProbe) || !(probe.subject instanceof OnnxSubject)) throw new Error('not ONNX');
    const scene = await renderScene(line);
    const cam = await camForLabel(probe, { kind: 'label', label: '0' }, scene.image);
    if (!cam.available) throw new Error(cam.reason);
    const head = findCamHead(probe.subject.decodedModel(), 'softmax_0.tmp_0');
    if (!head.available) throw new Error(head.reason);
    const run = await probe.subject.read(probe.subject.preprocess([scene.image]), ['class_logits']);
    const logit = (run.sites.class_logits?.data as Float32Array)[0] as number;
    const mean = cam.map.map.reduce((a, b) => a + b, 0) / cam.map.map.length;
    // The features are 1×48 over a 48×192 line that fills the input, so the crop is the whole map;
    // bilinear upsampling keeps the mean up to its clamped edge cells.
    expect(mean).toBeCloseTo(logit - (head.head.bias?.[0] ?? 0), 1);

    const result = await registry.call('saliency', { stimuli: [line], label: '0', method: 'cam' }, test.ctx);
    expect(result.text).toMatch(/cam saliency of label '0' \(CAM from /);
    expect((result.data as SaliencyData).stimuli[0]?.map).toMatchObject({ width: 64, height: 16 });
  });

  it('occlusion of the logit of a label: the map is the logit drop, text on the line matters', async () => {
    const result = await registry.call('saliency', { stimuli: [line], label: '0', patch_size: 12 }, test.ctx);
    const data = result.data as SaliencyData;
    expect(data.explains).toBe("logit of '0'");
    const stimulus = data.stimuli[0];
    // Score = the logit on the unperturbed line, as read directly.
    const probe = test.ctx.probe as OnnxProbe;
    const scene = await renderScene(line);
    const run = await probe.subject.read(probe.subject.preprocess([scene.image]), ['class_logits']);
    expect(stimulus?.score).toBeCloseTo((run.sites.class_logits?.data as Float32Array)[0] as number, 3);
    // Saliency on the word's strokes is denser than on the page: share of saliency above share of area.
    const text = stimulus?.summary.shares.find((s) => s.concept === 'text');
    expect(text).toBeDefined();
    expect(text?.share ?? 0).toBeGreaterThan(text?.area ?? 1);
  });

  it('rejects an unknown label with the labels it has', async () => {
    await expect(registry.call('saliency', { stimuli: [line], label: '90' }, test.ctx)).rejects.toThrow(
      /no output label '90'.*labels: 0, 180/,
    );
  });
});
