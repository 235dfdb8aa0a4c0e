import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dissectUnit } from '../../../tools/analysis/netdissect.ts';
import { createVisionRegistry } from '../../../tools/index.ts';
import type { ConceptStatsData } from '../../../tools/vision/concept-stats.ts';
import { allNumbers, analysisContext, type TestContext } from './analysis-fixtures.ts';

const registry = createVisionRegistry();

describe('concept_stats on synthetic units', () => {
  let test: TestContext;
  beforeAll(async () => {
    test = await analysisContext('synthetic', 160);
  });
  afterAll(() => test.dispose());

  it('ranks the true concept first for a mono unit, above its ancestors', async () => {
    const result = await registry.call(
      'concept_stats',
      { unit: 'synthetic:0', concepts: ['Dogs', 'animal'] },
      test.ctx,
    );
    const data = result.data as ConceptStatsData;
    expect(data.scenes).toBe(160);
    expect(data.top[0]?.concept).toBe('dog');
    expect(data.top[0]?.kind).toBe('object');
    expect(data.top[0]?.iou).toBeGreaterThan(0.3);
    expect(data.detector).toBe(true);
    expect(data.byKind.object?.[0]?.concept).toBe('dog');
    // 'animal' contains every dog plus other animals: strictly lower IoU.
    const [dog, animal] = data.requested;
    expect(dog?.concept).toBe('dog');
    expect(animal?.iou).toBeLessThan(dog?.iou ?? 0);
    expect(result.text).toMatch(/Top concepts by IoU: dog 0\.\d+/);
    expect(allNumbers(data).every(Number.isFinite)).toBe(true);
  });

  it('puts both concepts of an OR unit among its top few', async () => {
    const result = await registry.call('concept_stats', { unit: 'synthetic:1', top_k: 5 }, test.ctx);
    const top = (result.data as ConceptStatsData).top.map((c) => c.concept);
    expect(top).toContain('dog');
    expect(top).toContain('bird');
  });

  it('rejects unknown units and concepts with near names', async () => {
    await expect(registry.call('concept_stats', { unit: 'synthetic:9' }, test.ctx)).rejects.toThrow(
      /unit 9 is out of range .*units 0–1/,
    );
    await expect(
      registry.call('concept_stats', { unit: 'synthetic:0', concepts: ['dgo'] }, test.ctx),
    ).rejects.toThrow(/unknown concept 'dgo'; did you mean 'dog'/);
  });
});

describe('concept_stats on the PaddleOCR classifier', () => {
  let test: TestContext;
  beforeAll(async () => {
    test = await analysisContext('paddle-ocr-cls', 96);
  });
  afterAll(() => test.dispose());

  it('equals NetDissect computed directly on the unit maps of the probe set', async () => {
    const result = await registry.call('concept_stats', { unit: 'final_conv:5', top_k: 50 }, test.ctx);
    const data = result.data as ConceptStatsData;
    expect(data.unit).toBe('conv2d_94.tmp_0:5');
    // 48×192 text lines are compared on a 28×112 grid (about 56×56 pixels, aspect kept).
    expect(data.comparison).toEqual({ width: 112, height: 28 });

    const scenes = await test.ctx.probeScenes(Array.from({ length: 96 }, (_, i) => i));
    const unit = test.ctx.probe.parseUnit('final_conv:5');
    const maps = (await test.ctx.probe.unitMaps(scenes, [unit]))[0] ?? [];
    const direct = dissectUnit(
      scenes.map((scene, i) => ({
        map: maps[i]?.map ?? new Float32Array(1),
        mapWidth: maps[i]?.width ?? 1,
        mapHeight: maps[i]?.height ?? 1,
        width: scene.image.width,
        height: scene.image.height,
        labels: scene.labels.labels,
        labelConcepts: scene.labels.labelConcepts,
      })),
    );
    expect(data.threshold).toBeCloseTo(direct.threshold, 6);
    expect(data.top.map((c) => [c.concept, c.iou])).toEqual(
      direct.concepts.slice(0, 50).map((c) => [c.concept, c.iou]),
    );
    for (const c of data.top) {
      expect(c.iou).toBeGreaterThanOrEqual(0);
      expect(c.iou).toBeLessThanOrEqual(1);
    }
    // Text lines always contain the 'text' concept: it is scored in every scene.
    expect(direct.concepts.find((c) => c.concept === 'text')?.scenes).toBe(96);
  });
});
