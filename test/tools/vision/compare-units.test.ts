import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareUnits, nearestUnits, zScores } from '../../../tools/analysis/unit-comparison.ts';
import { createToolContext, createVisionRegistry, type ToolContext } from '../../../tools/index.ts';
import { pearson } from '../../../tools/metrics/correlation.ts';
import { unitColumn } from '../../../tools/common/unit-activations.ts';
import type { CompareUnitsData } from '../../../tools/vision/compare-units.ts';

describe('compareUnits', () => {
  it('lists the scenes where each unit beats the other, in standard deviations of each', () => {
    // b is a scaled by 10 except on scene 3 (b high, a low) and scene 0 (a high, b low).
    const a = [5, 1, 2, 0, 3, 1];
    const b = [0, 10, 20, 40, 30, 10];
    const result = compareUnits(a, b, 2);
    const za = zScores(a);
    const zb = zScores(b);
    expect(result.aOverB[0]).toMatchObject({ scene: 0, a: 5, b: 0 });
    expect(result.aOverB[0]?.zGap).toBeCloseTo(za[0]! - zb[0]!, 10);
    expect(result.bOverA[0]).toMatchObject({ scene: 3, a: 0, b: 40 });
    for (const d of result.aOverB) expect(d.zGap).toBeGreaterThan(0);
    for (const d of result.bOverA) expect(d.zGap).toBeLessThan(0);
    expect(result.r).toBeCloseTo(pearson(a, b), 12);
    // Both above their means on scenes 4 only (a 3 > 2, b 30 > 18.3); scene 2: a 2 = mean, not above.
    expect(result.bothHigh).toBeCloseTo(1 / 6, 12);
  });

  it('finds nothing to separate identical units, and refuses lists of different lengths', () => {
    const same = compareUnits([1, 2, 3], [2, 4, 6], 3);
    expect(same.r).toBeCloseTo(1, 12);
    expect(same.aOverB).toEqual([]);
    expect(same.bOverA).toEqual([]);
    expect(() => compareUnits([1, 2], [1, 2, 3], 1)).toThrow(/2 and 3 scenes/);
  });

  it('ranks the units of a site by |r| with one unit, leaving out constant units', () => {
    // 4 units over 5 scenes, row-major: unit 1 = unit 0 × 2, unit 2 = −unit 0 + noise, unit 3 constant.
    const u0 = [1, 3, 2, 5, 4];
    const u2 = [-1, -2.5, -2.2, -5, -3.9];
    const values = new Float32Array(u0.flatMap((v, i) => [v, 2 * v, u2[i]!, 7]));
    const near = nearestUnits(values, 4, 0, 5);
    expect(near.map((n) => n.index)).toEqual([1, 2]);
    expect(near[0]!.r).toBeCloseTo(1, 6);
    expect(near[1]!.r).toBeCloseTo(pearson(u0, u2), 5);
    expect(near[1]!.r).toBeLessThan(0);
  });
});

describe('compare_units (tool)', () => {
  const registry = createVisionRegistry();
  let ctx: ToolContext;
  let cacheDir: string;
  beforeAll(async () => {
    cacheDir = mkdtempSync(join(tmpdir(), 'aia-compare-units-'));
    // A dog unit, an animal unit (fires on dogs and more) and a second dog unit: a near duplicate.
    const units = [
      { id: 'dog', family: 'mono', concept: 'dog' },
      { id: 'animal', family: 'mono', concept: 'animal' },
      { id: 'dog-again', family: 'mono', concept: 'dog' },
    ];
    ctx = await createToolContext(`synthetic:${JSON.stringify(units)}`, {
      cacheDir,
      probeSetSize: 120,
      seed: 4,
      progress: false,
      workers: 0,
    });
  }, 60_000);
  afterAll(async () => {
    await ctx?.dispose();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('reports the correlation over the probe set and the scenes where the broader unit beats the narrower', async () => {
    const result = await registry.call(
      'compare_units',
      { unit: 'synthetic:0', other: 'synthetic:1', k: 3 },
      ctx,
    );
    const data = result.data as CompareUnitsData;
    const site = await ctx.activations('synthetic');
    const dog = unitColumn(site.values, site.units, 0);
    const animal = unitColumn(site.values, site.units, 1);
    expect(data.r).toBeCloseTo(pearson(dog, animal), 5);
    expect(data.otherOverUnit.length).toBeGreaterThan(0);
    // Where the animal unit beats the dog unit, an animal other than a dog is there and no dog.
    const scenes = await ctx.probeScenes(data.otherOverUnit.map((d) => d.scene));
    for (const [i, scene] of scenes.entries()) {
      const names = scene.annotation.concepts.filter((c) => c.area > 0).map((c) => c.name);
      expect(names).toContain('animal');
      expect(data.otherOverUnit[i]!.b).toBeGreaterThan(data.otherOverUnit[i]!.a);
    }
    expect(result.text).toContain(`r ${data.r!.toFixed(3)}`);
    expect(result.text).toMatch(/Where synthetic:1 beats synthetic:0:\n {2}probe_scene \d+/);
    // One picture: the scene where each unit most beats the other, side by side.
    expect(data.unitOverOther.length).toBeGreaterThan(0);
    expect(result.images).toHaveLength(1);
    expect(result.images[0]!.caption).toContain(`probe_scene ${data.otherOverUnit[0]!.scene}`);
  });

  it('flags a near duplicate within the site, and refuses to compare a unit with itself', async () => {
    const result = await registry.call('compare_units', { unit: 'synthetic:0', neighbours: 2 }, ctx);
    const data = result.data as CompareUnitsData;
    expect(data.other).toBeNull();
    expect(data.neighbours[0]).toMatchObject({ index: 2, nearDuplicate: true });
    expect(data.neighbours[0]!.r).toBeCloseTo(1, 6);
    expect(data.neighbours[1]).toMatchObject({ index: 1, nearDuplicate: false });
    expect(result.text).toContain('Near duplicates (|r| ≥ 0.95): synthetic:2');
    await expect(
      registry.call('compare_units', { unit: 'synthetic:0', other: 'synthetic:0' }, ctx),
    ).rejects.toThrow(/same unit/);
  });
});
