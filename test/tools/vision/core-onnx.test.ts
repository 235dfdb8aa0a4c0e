import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderScene } from '../../../stimuli/render.ts';
import type { SceneSpecInput } from '../../../stimuli/spec.ts';
import { isUpsideDown } from '../../../stimuli/probeset-text-lines.ts';
import { createToolContext, createVisionRegistry } from '../../../tools/index.ts';
import type { CallUnitsData } from '../../../tools/vision/call-units.ts';
import type { ClassifyData } from '../../../tools/vision/classify.ts';
import type { DatasetExemplarsData } from '../../../tools/vision/dataset-exemplars.ts';
import type { EditScenesData } from '../../../tools/vision/edit-scenes.ts';
import type { ListUnitsData } from '../../../tools/vision/list-units.ts';

/** The core tools on the PaddleOCR orientation classifier, with a small text-line probe set. */

const cacheDir = mkdtempSync(join(tmpdir(), 'aia-core-onnx-'));
const ctx = await createToolContext('paddle-ocr-cls', {
  cacheDir,
  probeSetSize: 80,
  workers: 0,
  progress: false,
});
afterAll(async () => {
  await ctx.dispose();
  rmSync(cacheDir, { recursive: true, force: true });
});
const registry = createVisionRegistry();
const call = (tool: string, args: unknown) => registry.call(tool, args, ctx);

const upright: SceneSpecInput = {
  background: 'white',
  items: [{ kind: 'word', name: 'hello world', size: 0.6, colour: 'black' }],
};
const rotated: SceneSpecInput = { ...upright, effects: [{ kind: 'rotate', degrees: 180 }] };

describe('core tools on paddle-ocr-cls', () => {
  it('its probe set is text lines at the native 192×48, some upside down', async () => {
    const set = await ctx.probeSet();
    expect([set.width, set.height, set.distribution, set.n]).toEqual([192, 48, 'text-lines', 80]);
    const flipped = set.scenes.filter((s) => isUpsideDown(s.spec)).length;
    expect(flipped).toBeGreaterThan(20);
    expect(flipped).toBeLessThan(60);
  });

  it('classify: an upright line is 0, the same line rotated is 180, as the probe reports', async () => {
    const result = await call('classify', { stimuli: [upright, rotated], top: 2 });
    const data = result.data as ClassifyData;
    expect(data.results.map((r) => r.top[0]?.label)).toEqual(['0', '180']);
    expect(data.results[0]?.top[0]?.score).toBeGreaterThan(0.9);
    const scenes = await Promise.all(
      [upright, rotated].map((spec) => renderScene({ ...spec, width: 192, height: 48 })),
    );
    const direct = await ctx.probe.outputs(scenes);
    expect(data.scores).toEqual(direct.scores.map((row) => Array.from(row)));
    expect(result.text).toMatch(/\[0\] .*: P\(0\) = 0\.9\d*, P\(180\) = /);
  });

  it('call_units values equal the adapter values; maps have the site spatial size', async () => {
    const result = await call('call_units', {
      units: ['final_conv:3'],
      stimuli: [upright, { probe_scene: 5 }],
    });
    const data = result.data as CallUnitsData;
    const scene = (await ctx.probeScenes([5]))[0]!;
    const [maps = []] = await ctx.probe.unitMaps([scene], [ctx.probe.parseUnit('final_conv:3')]);
    expect(data.activations[0]?.[1]).toBe(maps[0]?.value);
    expect(data.units).toEqual(['conv2d_94.tmp_0:3']);
    expect(data.maps[0]).toMatchObject({ width: 96, height: 2 });
    expect(result.text).toMatch(/^final_conv:3:/);
  });

  it('edit_scenes: rotating an upright line 180° flips the answer', async () => {
    const result = await call('edit_scenes', {
      stimuli: [upright],
      edits: ['rotate the image 180 degrees'],
      units: ['final_conv:3'],
    });
    const [pair] = (result.data as EditScenesData).pairs;
    expect(pair?.output?.before.label).toBe('0');
    expect(pair?.output?.after.label).toBe('180');
    expect(pair?.units?.[0]?.after).not.toBe(pair?.units?.[0]?.before);
    expect(result.text).toMatch(/output: 0 \(0\.9\d*\) → 180/);
  });

  it('dataset_exemplars ranks the cached activations of the unit over the probe set', async () => {
    const data = (await call('dataset_exemplars', { unit: 'final_conv:3', k: 4, bottom: 2 })).data as DatasetExemplarsData;
    const cached = await ctx.activations('final_conv');
    const column = Array.from({ length: cached.n }, (_, i) => cached.values[i * 200 + 3] ?? 0);
    const sorted = [...column].sort((a, b) => b - a);
    expect(data.exemplars.filter((e) => e.rank === 'top').map((e) => e.activation)).toEqual(sorted.slice(0, 4));
    expect(data.exemplars.filter((e) => e.rank === 'bottom').map((e) => e.activation)).toEqual(sorted.slice(-2).reverse());
    expect(data.stats.max).toBe(sorted[0]);
  }); // prettier-ignore

  it('list_units lists named sites, and per-unit statistics for one', async () => {
    const sites = await call('list_units', {});
    expect(sites.text).toMatch(/215 sites; the \d+ with names:/);
    expect(sites.text).toMatch(/final_conv, conv53 = conv2d_94\.tmp_0: Conv, 200 units, shape 1×200×2×96/);
    const logits = (await call('list_units', { site: 'class_logits', sort: 'index' })).data as Extract<
      ListUnitsData,
      { stats: unknown }
    >;
    expect(logits.units).toBe(2);
    // Logit 1 (180°) is above 0 on the upside-down half of the set.
    expect(logits.stats[1]?.active).toBeGreaterThan(0.2);
    expect(logits.stats[1]?.active).toBeLessThan(0.8);
  });
});
