import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVisionRegistry } from '../../../tools/index.ts';
import type { AlignmentData } from '../../../tools/vision/alignment.ts';
import { allNumbers, analysisContext, type TestContext } from './analysis-fixtures.ts';

const registry = createVisionRegistry();

// 112 px scenes (half the subject's size) keep the hundreds of occluded copies cheap.
const DOG_LEFT = {
  width: 112,
  height: 112,
  background: 'grass',
  items: [{ kind: 'object' as const, name: 'dog', x: 0.25, y: 0.3, size: 0.3 }],
};
const DOG_RIGHT_WITH_CAT = {
  width: 112,
  height: 112,
  background: 'sand',
  items: [
    { kind: 'object' as const, name: 'dog', x: 0.72, y: 0.65, size: 0.3 },
    { kind: 'object' as const, name: 'cat', x: 0.25, y: 0.3, size: 0.3 },
  ],
};
const CAT_ONLY = {
  background: 'grass',
  items: [{ kind: 'object' as const, name: 'cat', x: 0.5, y: 0.5, size: 0.4 }],
};

describe('alignment on a synthetic mono unit', () => {
  let test: TestContext;
  beforeAll(async () => {
    test = await analysisContext('synthetic', 30);
  });
  afterAll(() => test.dispose());

  it('finds the unit aligned with its concept; a stimulus without it is reported, not averaged', async () => {
    const result = await registry.call(
      'alignment',
      {
        stimuli: [DOG_LEFT, DOG_RIGHT_WITH_CAT, CAT_ONLY],
        unit: 'synthetic:0',
        concept: 'Dogs',
        binarization: 'ground-truth-area',
        patch_size: 8,
      },
      test.ctx,
    );
    const data = result.data as AlignmentData;
    expect(data.concept).toBe('dog');
    // Without fires_above: half the unit's maximum over the probe set (a dog fills cells: max 1).
    expect(data.correctness).toBe('the unit fires: activation (max of its map) ≥ 0.5');
    const [left, right, cat] = data.stimuli;
    expect(left?.correct).toBe(true);
    expect(right?.correct).toBe(true);
    expect(cat?.correct).toBe(false);
    // No dog: no mask and (the unit being silent) a flat map.
    expect(cat?.binary.empty).toBe('both');
    expect(data.summary.scored).toBe(2);
    expect(data.summary.skipped.emptyMask).toBe(1);
    expect(data.summary.meanBinary.iou).toBeGreaterThan(0.5);
    expect(left?.pattern).toBe('Human Aligned');
    // Both dogs are off centre: the peaks hit them, the centre point does not.
    expect(data.summary.pointing).toMatchObject({ hits: 2, evaluated: 2 });
    expect(data.summary.centerBaseline.hits).toBe(0);
    expect(result.text).toMatch(
      /Pointing Game \(tolerance 8 px\): 2\/2 hits \(100%\) vs centre-point baseline 0\/2/,
    );
    expect(result.text).toMatch(/#2 .*no 'dog' in this stimulus/);
    expect(result.images).toHaveLength(3);
    expect(allNumbers(data).every(Number.isFinite)).toBe(true);
  });

  it('with the wrong concept the saliency misses: low IoU, Distractor-like scores', async () => {
    const result = await registry.call(
      'alignment',
      { stimuli: [DOG_RIGHT_WITH_CAT], unit: 'synthetic:0', concept: 'cat', fires_above: 0.5 },
      test.ctx,
    );
    const data = result.data as AlignmentData;
    expect(data.stimuli[0]?.binary.iou).toBeLessThan(0.1);
    expect(data.stimuli[0]?.pointing.hit).toBe(false);
    expect(data.stimuli[0]?.pattern).toBe('Sufficient Context');
  });

  it('names near concepts for an unknown one and requires top_fraction for that binarization', async () => {
    await expect(
      registry.call('alignment', { stimuli: [DOG_LEFT], unit: 'synthetic:0', concept: 'doge' }, test.ctx),
    ).rejects.toThrow(/unknown concept 'doge'; did you mean 'dog'/);
    await expect(
      registry.call(
        'alignment',
        { stimuli: [DOG_LEFT], unit: 'synthetic:0', concept: 'dog', binarization: 'top-fraction' },
        test.ctx,
      ),
    ).rejects.toThrow(/needs top_fraction/);
  });
});

describe('alignment on the PaddleOCR classifier', () => {
  let test: TestContext;
  beforeAll(async () => {
    test = await analysisContext('paddle-ocr-cls', 8);
  });
  afterAll(() => test.dispose());

  it("judges correctness by the classifier's own prediction and compares saliency with the text mask", async () => {
    const stimuli = [0, 1, 2, 3].map((i) => ({ probe_scene: i }));
    const result = await registry.call(
      'alignment',
      { stimuli, label: '0', concept: 'text', patch_size: 12 },
      test.ctx,
    );
    const data = result.data as AlignmentData;
    const scenes = await test.ctx.probeScenes([0, 1, 2, 3]);
    const outputs = await test.ctx.probe.outputs(scenes);
    const predicted = outputs.scores.map(
      (row) => outputs.labels[(row[0] as number) >= (row[1] as number) ? 0 : 1],
    );
    expect(data.stimuli.map((s) => s.prediction)).toEqual(predicted);
    expect(data.stimuli.map((s) => s.correct)).toEqual(predicted.map((p) => p === '0'));
    expect(data.correctness).toBe("the top output label is '0'");
    // Every probe line has text; each is scored, with scores in [0, 1].
    expect(data.summary.scored + data.summary.skipped.emptySaliency).toBe(4);
    expect(data.summary.pointing.evaluated).toBe(4);
    for (const s of data.stimuli)
      for (const v of [s.binary.iou, s.binary.gtc, s.binary.sc]) expect(v).toBeLessThanOrEqual(1);
    // Tolerance scales with the shorter side: 15 px at 224 → 3 px at 48.
    expect(data.tolerancePx).toBe(3);
    expect(allNumbers(data).every(Number.isFinite)).toBe(true);
  });

  it('rejects an expected label the subject does not have', async () => {
    await expect(
      registry.call(
        'alignment',
        { stimuli: [{ probe_scene: 0 }], label: '0', expected: 'upright', concept: 'text' },
        test.ctx,
      ),
    ).rejects.toThrow(/expected label 'upright' is not an output label .*labels: 0, 180/);
  });
});
