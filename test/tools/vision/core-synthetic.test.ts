import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createToolContext, createVisionRegistry } from '../../../tools/index.ts';
import type { CallUnitsData } from '../../../tools/vision/call-units.ts';
import type { DatasetExemplarsData } from '../../../tools/vision/dataset-exemplars.ts';
import type { EditScenesData } from '../../../tools/vision/edit-scenes.ts';
import type { ListUnitsData } from '../../../tools/vision/list-units.ts';
import type { RenderScenesData } from '../../../tools/vision/render-scenes.ts';
import { ToolError } from '../../../tools/tool.ts';

/** The core tools on a synthetic subject whose truth is known: unit 0 detects dogs, unit 1 red things. */

const cacheDir = mkdtempSync(join(tmpdir(), 'aia-core-synthetic-'));
const ctx = await createToolContext(
  'synthetic:[{"id":"dog","family":"mono","concept":"dog"},{"id":"red","family":"mono","concept":"red"}]',
  { cacheDir, probeSetSize: 200, workers: 0, progress: false },
);
afterAll(async () => {
  await ctx.dispose();
  rmSync(cacheDir, { recursive: true, force: true });
});
const registry = createVisionRegistry();
const call = (tool: string, args: unknown) => registry.call(tool, args, ctx);

describe('core tools on a synthetic dog unit', () => {
  it('describe_subject says what the subject is without naming its concepts', async () => {
    const result = await call('describe_subject', {});
    expect(result.text).toMatch(/2 synthetic units at one site, 'synthetic'/);
    expect(result.text).not.toMatch(/\bdog\b|\bred\b/);
  });

  it('dataset_exemplars: the top exemplars of the dog unit are all dog scenes, the bottom ones have none', async () => {
    const result = await call('dataset_exemplars', { unit: 'synthetic:0', k: 5, bottom: 3 });
    const data = result.data as DatasetExemplarsData;
    const set = await ctx.probeSet();
    const hasDog = (i: number) =>
      set.scenes[i]?.annotation.concepts.some((c) => c.name === 'dog' && c.area > 0);
    const top = data.exemplars.filter((e) => e.rank === 'top');
    const bottom = data.exemplars.filter((e) => e.rank === 'bottom');
    expect(top).toHaveLength(5);
    expect(top.every((e) => hasDog(e.probeScene))).toBe(true);
    expect(bottom.some((e) => hasDog(e.probeScene))).toBe(false);
    // Activations are the cached values, in order; the hot region lies on the dog.
    const cached = await ctx.activations('synthetic');
    for (const e of data.exemplars) expect(e.activation).toBe(cached.values[e.probeScene * 2]);
    expect(top.map((e) => e.activation)).toEqual([...top.map((e) => e.activation)].sort((a, b) => b - a));
    expect(top.every((e) => e.firesOn[0]?.concept === 'dog')).toBe(true);
    expect(result.images).toHaveLength(8);
    expect(result.images[0]?.caption).toMatch(/top exemplar: probe_scene \d+, synthetic:0 = /);
    expect(result.images[0]?.png.subarray(1, 4).toString()).toBe('PNG');
    expect(result.text).toMatch(/probe_scene \d+: [\d.]+ — .*dog/);
  });

  it('call_units reports the adapter values, where the unit fires, and captioned pictures', async () => {
    const result = await call('call_units', {
      units: ['synthetic:0', 'synthetic:1'],
      stimuli: ['a dog on grass', 'a red circle', { probe_scene: 3 }],
    });
    const data = result.data as CallUnitsData;
    // The same scene through the probe directly.
    const probeScene = (await ctx.probeScenes([3]))[0]!;
    const [dogMaps = []] = await ctx.probe.unitMaps([probeScene], [ctx.probe.parseUnit('synthetic:0')]);
    expect(data.activations[0]?.[2]).toBe(dogMaps[0]?.value);
    expect(data.activations[0]?.[0]).toBeGreaterThan(0.5); // the dog unit on a dog
    expect(data.activations[0]?.[1]).toBe(0); // …not on a red circle
    expect(data.activations[1]?.[1]).toBeGreaterThan(0.5); // the red unit on the red circle
    expect(data.maps[0]).toMatchObject({ unit: 'synthetic:0', stimulus: 0, width: 14, height: 14 });
    expect(result.text).toMatch(/\[0\] [\d.]+ {2}a dog on grass {2}— fires on: dog/);
    expect(result.images).toHaveLength(6);
    expect(result.images[0]?.caption).toMatch(/synthetic:0 on stimulus 0 \(a dog on grass\): activation/);
  });

  it('call_units shares its pictures across units and prints many readings as one table', async () => {
    // 2 units × 16 stimuli = 32 readings: one line each, and the 16 pictures split 8 and 8.
    const phrases = Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? 'a dog on grass' : 'a red circle'));
    const both = await call('call_units', { units: ['synthetic:0', 'synthetic:1'], stimuli: phrases.slice(0, 16) });
    const captions = both.images.map((im) => im.caption);
    expect(captions.filter((c) => c.startsWith('synthetic:0'))).toHaveLength(8);
    expect(captions.filter((c) => c.startsWith('synthetic:1'))).toHaveLength(8);
    // Each unit's pictures are of the stimuli that drive it most: the dogs for the dog unit.
    expect(captions.filter((c) => c.startsWith('synthetic:0')).every((c) => /a dog on grass/.test(c))).toBe(true);
    expect(captions.filter((c) => c.startsWith('synthetic:1')).every((c) => /a red circle/.test(c))).toBe(true);
    expect(both.text).toMatch(/fires on: dog/);
    // 2 units × 24 stimuli: a table, a row per stimulus, a column per unit.
    const many = await call('call_units', { units: ['synthetic:0', 'synthetic:1'], stimuli: phrases, images: false });
    expect(many.text).toMatch(/^2 units × 24 stimuli/);
    expect(many.text).toMatch(/\n\[1\] a red circle \| 0 \| [\d.]+\n/);
    expect(many.text).not.toMatch(/fires on/);
    expect(many.images).toHaveLength(0);
  }); // prettier-ignore

  it('edit_scenes: removing or replacing the dog silences the dog unit; recolouring changes the red one', async () => {
    const result = await call('edit_scenes', {
      stimuli: ['a dog on grass'],
      edits: ['replace the dog with a cat'],
      units: ['synthetic:0'],
    });
    const [pair] = (result.data as EditScenesData).pairs;
    expect(pair?.units?.[0]?.before).toBeGreaterThan(0.5);
    expect(pair?.units?.[0]?.after).toBe(0);
    expect(pair?.editedDescription).toMatch(/cat/);
    const recolour = await call('edit_scenes', {
      stimuli: ['a blue circle'],
      edits: [{ op: 'recolour', target: 'circle', colour: 'red' }],
      units: ['synthetic:1'],
    });
    const [p2] = (recolour.data as EditScenesData).pairs;
    expect([p2?.units?.[0]?.before, (p2?.units?.[0]?.after ?? 0) > 0.5]).toEqual([0, true]);
    expect(recolour.images[0]?.caption).toMatch(
      /original \(left\) and edited \(right\), masked by synthetic:1: 0 → /,
    );
  });

  it('list_units: statistics over the probe set match the cached activations', async () => {
    const result = await call('list_units', { site: 'synthetic', sort: 'index' });
    const data = result.data as Extract<ListUnitsData, { stats: unknown }>;
    const cached = await ctx.activations('synthetic');
    const dogValues = Array.from({ length: cached.n }, (_, i) => cached.values[i * 2] ?? 0);
    expect(data.stats[0]?.max).toBeCloseTo(Math.max(...dogValues), 4);
    expect(data.stats[0]?.active).toBeCloseTo(dogValues.filter((v) => v > 0).length / cached.n, 4);
    expect(data.order).toEqual(['synthetic:0', 'synthetic:1']);
    expect(result.text).toMatch(/synthetic \(synthetic, synthetic, 2 units\) over 200 probe scenes/);
    const sites = await call('list_units', {});
    expect(sites.text).toMatch(/1 site:\n {2}synthetic: synthetic, 2 units, shape 1×2×14×14/);
  });

  it('classify and render_scenes', async () => {
    const classify = await call('classify', { stimuli: ['a red dog'], top: 2 });
    expect(classify.text).toMatch(/activation\(synthetic:\d\) = /);
    const render = await call('render_scenes', { stimuli: ['a dog on grass'], outline: 'dog' });
    const [scene] = (render.data as RenderScenesData).scenes;
    expect(scene?.concepts.map((c) => c.concept)).toEqual(expect.arrayContaining(['dog', 'grass']));
    expect(render.images[0]?.caption).toBe('stimulus 0: a dog on grass');
  });

  it('bad stimuli and units come back as ToolErrors naming the problem', async () => {
    await expect(call('call_units', { units: ['synthetic:0'], stimuli: ['a dgo on grass'] })).rejects.toThrow(
      /stimulus 0: .*dgo/,
    );
    // Every bad stimulus of a batch is named at once, and the count says how many.
    const batch = call('call_units', {
      units: ['synthetic:0'],
      stimuli: ['a dog', 'a dgo on grass', 'a cat', { probe_scene: 999 }],
    });
    await expect(batch).rejects.toThrow(
      /^2 of the 4 stimuli are bad .*stimulus 1: .*dgo.*; stimulus 3: .*no scene 999/,
    );
    await expect(call('call_units', { units: ['synthetic:5'], stimuli: ['a dog'] })).rejects.toBeInstanceOf(
      ToolError,
    );
    await expect(call('render_scenes', { stimuli: [{ probe_scene: 999 }] })).rejects.toThrow(/no scene 999/);
    await expect(call('dataset_exemplars', { unit: 'synthetic:0', k: 50 })).rejects.toThrow(/k: .*12/);
  });
});
