import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUpsideDown, textLineSpec } from '../../../stimuli/probeset-text-lines.ts';
import type { SceneSpec } from '../../../stimuli/spec.ts';
import { createToolContext, createVisionRegistry, type ToolContext } from '../../../tools/index.ts';
import {
  rankProperties,
  sceneProperties,
  type PropertyKind,
  type PropertyStatsData,
} from '../../../tools/vision/property-stats.ts';

const ALL = new Set<PropertyKind>(['char', 'word', 'orientation', 'effect']);
/** Text-line specs as the PaddleOCR subjects' probe sets draw them: half of them upside down. */
const specs: SceneSpec[] = Array.from({ length: 400 }, (_, i) => textLineSpec(11, i, 192, 48));
const text = (spec: SceneSpec) =>
  spec.items
    .filter((item) => item.kind === 'word')
    .map((item) => item.name.toLowerCase())
    .join(' ');

describe('rankProperties', () => {
  it('finds the letter a unit reads, even when orientation dominates its activation', () => {
    // A recogniser-like unit: high on lines containing 'e', and much lower on every upside-down line.
    const values = specs.map((spec) => (text(spec).includes('e') ? 1 : 0.1) * (isUpsideDown(spec) ? 0.2 : 1));
    const ranked = rankProperties(specs, values, ALL);
    const letters = ranked.filter((p) => p.kind === 'char');
    expect(letters[0]?.property).toBe('char:e');
    expect(letters[0]?.rWithinOrientation).toBeGreaterThan(letters[1]?.rWithinOrientation ?? 1);
    // Raw r is pulled down by orientation; within each orientation the letter explains the unit.
    expect(letters[0]!.score).toBeGreaterThan(letters[0]!.r);
    expect(ranked.find((p) => p.property === 'orientation:upright')?.r).toBeGreaterThan(0.3);
  });

  it('puts the orientation first for an orientation unit, and its opposite last', () => {
    const values = specs.map((spec) => (isUpsideDown(spec) ? 0.9 : 0.05));
    const ranked = rankProperties(specs, values, ALL);
    expect(ranked[0]).toMatchObject({ property: 'orientation:upside-down', r: 1 });
    expect(ranked.at(-1)).toMatchObject({ property: 'orientation:upright', r: -1 });
    // No letter goes with it once orientation is held fixed.
    for (const p of ranked.filter((q) => q.kind === 'char')) expect(Math.abs(p.score)).toBeLessThan(0.25);
  });

  it('reads words, letters, orientation and effects from a spec, and skips rare properties', () => {
    const flipped = specs.find((spec) => isUpsideDown(spec))!;
    const keys = sceneProperties(flipped, ALL);
    expect(keys.has('orientation:upside-down')).toBe(true);
    expect(keys.has('effect:rotate')).toBe(false); // the final 180° turn is the orientation
    const word = text(flipped).split(' ')[0]!;
    expect(keys.has(`word:${word}`) && keys.has(`char:${word[0]}`)).toBe(true);
    const ranked = rankProperties(
      specs.slice(0, 20),
      new Array(20).fill(0).map((_, i) => i),
      ALL,
    );
    for (const p of ranked) expect(p.scenes >= 5 && p.scenes <= 15).toBe(true);
  });
});

describe('property_stats (tool)', () => {
  const registry = createVisionRegistry();
  let ctx: ToolContext;
  beforeAll(async () => {
    const cacheDir = join(tmpdir(), 'aia-test-cache-dissect');
    mkdirSync(cacheDir, { recursive: true });
    const units = [{ family: 'word', id: 'any-text' }];
    ctx = await createToolContext(`synthetic:${JSON.stringify(units)}`, {
      cacheDir,
      probeSetSize: 400,
      seed: 3,
      progress: false,
      workers: 0,
    });
  });
  afterAll(() => ctx.dispose());

  it('ranks the properties of a text unit over the probe set and names them in its text', async () => {
    const result = await registry.call('property_stats', { unit: 'synthetic:0', top_k: 5 }, ctx);
    const data = result.data as PropertyStatsData;
    expect(data.scenes).toBe(400);
    expect(data.top.length).toBe(5);
    // A unit on any text goes with the common letters of the probe words, not against them.
    expect(data.top[0]!.kind).toBe('char');
    expect(data.top[0]!.r).toBeGreaterThan(0.3);
    expect(result.text).toContain(data.top[0]!.property);
    await expect(registry.call('property_stats', { unit: 'synthetic:7' }, ctx)).rejects.toThrow(
      /out of range/,
    );
  });
});
