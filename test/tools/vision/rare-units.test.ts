import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createToolContext, createVisionRegistry } from '../../../tools/index.ts';
import type { DatasetExemplarsData } from '../../../tools/vision/dataset-exemplars.ts';
import type { ProbeFamilyData } from '../../../tools/vision/probe-families.ts';
import type { SearchStimuliData } from '../../../tools/vision/search-stimuli.ts';

/** The tools for rare units on synthetic units that fire on almost no probe scene. */

const cacheDir = mkdtempSync(join(tmpdir(), 'aia-rare-units-'));
const ctx = await createToolContext(
  'synthetic:[{"id":"two-cats","family":"formula","formula":"count(cat) = 2"},' +
    '{"id":"dog","family":"mono","concept":"dog"}]',
  { cacheDir, probeSetSize: 40, workers: 0, progress: false },
);
afterAll(async () => {
  await ctx.dispose();
  rmSync(cacheDir, { recursive: true, force: true });
});
const registry = createVisionRegistry();
const call = (tool: string, args: unknown) => registry.call(tool, args, ctx);

describe('tools for rare units', () => {
  it('dataset_exemplars says when the listed scenes are at rest, and takes a larger probe set', async () => {
    const silent = await call('dataset_exemplars', { unit: 'synthetic:0', k: 3, bottom: 0 });
    expect(silent.text).toMatch(/at its resting level 0 on every scene: these are not exemplars/);
    const larger = await call('dataset_exemplars', { unit: 'synthetic:1', k: 3, bottom: 0, probe_set_size: 100 });
    const data = larger.data as DatasetExemplarsData;
    expect(data.scenes).toBe(100);
    const normal = (await call('dataset_exemplars', { unit: 'synthetic:1', k: 3, bottom: 0 })).data as DatasetExemplarsData;
    expect(normal.scenes).toBe(40);
    // Same seed: the default set's scenes are the first scenes of the larger one.
    const first = (await ctx.probeSet()).scenes[7]?.spec;
    expect((await ctx.withProbeSetSize(100).probeSet()).scenes[7]?.spec).toEqual(first);
    await expect(call('concept_stats', { unit: 'synthetic:1', probe_set_size: 10 })).rejects.toThrow(/probe_set_size/);
  }, 60_000); // prettier-ignore

  it('search_stimuli finds what drives a silent unit and probe_families scores formulas on a family', async () => {
    const found = await call('search_stimuli', { unit: 'synthetic:0', budget: 144, focus: ['cat'], from_exemplars: false });
    const data = found.data as SearchStimuliData;
    expect(data.moved).toBe(true);
    expect(data.best[0]?.contents).toMatch(/2× cat/);
    expect(data.drivers.find((d) => d.change === 'remove one cat (2 → 1)')?.drop).toBe(1);
    const family = await call('probe_families', {
      unit: 'synthetic:0', family: 'count', x: 'cat', formulas: ['count(cat) = 2', 'cat'],
    });
    const levels = (family.data as ProbeFamilyData).levels.map((l) => l.activation);
    expect(levels.map((a) => (a > 0.5 ? 1 : 0))).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0]);
    const [exact, nearMiss] = (family.data as ProbeFamilyData).formulas;
    expect(exact?.r).toBeGreaterThan(0.99);
    expect(nearMiss?.r ?? 0).toBeLessThan(0.5); // 'cat' holds on every stimulus of the family
    await expect(call('probe_families', { unit: 'synthetic:0', family: 'relation', x: 'cat' })).rejects.toThrow(/needs 'y'/);
    await expect(call('probe_families', { unit: 'synthetic:0', family: 'count', x: 'cat', formulas: ['cat AND', 'dog OR'] }),
    ).rejects.toThrow(/'cat AND'.*'dog OR'/);
  }, 60_000); // prettier-ignore
});
