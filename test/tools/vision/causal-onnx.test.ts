import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderScene } from '../../../stimuli/render.ts';
import { createToolContext, createVisionRegistry, type ToolContext } from '../../../tools/index.ts';
import type { UnitAddress } from '../../../tools/probe/types.ts';
import type { AblateUnitsData } from '../../../tools/vision/ablate-units.ts';
import type { SteerUnitsData } from '../../../tools/vision/steer-units.ts';
import type { OutputWeightsData } from '../../../tools/vision/output-weights.ts';
import { decodeImage } from '../../../util/image.ts';

/**
 * The causal tools on a real model: the PaddleOCR orientation classifier (labels '0' and '180').
 * Every reported number is checked against a direct computation through the probe.
 */

const registry = createVisionRegistry();
let ctx: ToolContext;
let cacheDir: string;

beforeAll(async () => {
  cacheDir = mkdtempSync(join(tmpdir(), 'aia-causal-onnx-'));
  ctx = await createToolContext('paddle-ocr-cls', {
    cacheDir,
    probeSetSize: 24,
    progress: false,
    workers: 1,
  });
}, 60_000);

afterAll(async () => {
  await ctx?.dispose();
  rmSync(cacheDir, { recursive: true, force: true });
});

const argmax = (row: Float32Array): number => (row[1]! > row[0]! ? 1 : 0);

/** Upright and upside-down text lines at the classifier's native size. */
const lines = ['hello world', 'open the book', 'news today', 'blue water'].flatMap((text) =>
  [0, 180].map((rotation) => ({
    items: text.split(' ').map((word, i, all) => ({
      kind: 'word' as const,
      name: word,
      x: (i + 0.5) / all.length,
      y: 0.5,
      size: 0.7 / all.length,
      rotation,
    })),
  })),
);

describe('ablate_units on paddle-ocr-cls', () => {
  it('zeroing the final conv changes outputs, and the reported flips equal a direct comparison', async () => {
    const result = await registry.call('ablate_units', { units: ['final_conv:*'], probe_scenes: 16 }, ctx);
    const data = result.data as AblateUnitsData;
    expect(data.units).toHaveLength(200);

    const scenes = await ctx.probeScenes(Array.from({ length: 16 }, (_, i) => i));
    const all: UnitAddress[] = Array.from({ length: 200 }, (_, i) => ctx.probe.parseUnit(`final_conv:${i}`));
    const before = await ctx.probe.outputs(scenes);
    const after = await ctx.probe.outputs(scenes, [{ units: all, op: 'zero' }]);
    const flipped = scenes
      .map((_, s) => s)
      .filter((s) => argmax(before.scores[s]!) !== argmax(after.scores[s]!));

    expect(flipped.length).toBeGreaterThan(0);
    expect(data.effects.flips?.count).toBe(flipped.length);
    expect(data.effects.flips?.transitions.flatMap((t) => t.scenes).sort((a, b) => a - b)).toEqual(flipped);
    for (const t of data.effects.flips?.transitions ?? []) {
      for (const s of t.scenes) {
        expect(before.labels[argmax(before.scores[s]!)]).toBe(t.from);
        expect(after.labels[argmax(after.scores[s]!)]).toBe(t.to);
      }
    }
    const meanP0After = after.scores.reduce((sum, row) => sum + row[0]!, 0) / 16;
    expect(data.effects.labels[0]?.meanAfter).toBeCloseTo(meanP0After, 6);
    expect(data.effects.kl?.mean).toBeGreaterThan(0.01);
    expect(result.text).toContain(`flipped ${flipped.length}/16 stimuli`);
    expect(result.images).toHaveLength(1);
  }, 30_000);

  it('mean ablation sets a unit to its probe-set mean, which a watch on it reports', async () => {
    const result = await registry.call(
      'ablate_units',
      {
        units: ['final_conv:5'],
        mode: 'mean',
        stimuli: lines.slice(0, 4),
        watch: ['final_conv:5', 'final_conv:6'],
      },
      ctx,
    );
    const data = result.data as AblateUnitsData;
    const site = ctx.probe.parseUnit('final_conv:5').site;
    const mean = (await ctx.activations(site)).means[5]!;
    const [edited, other] = data.watched;
    // The map is constant after the edit, so its max (the unit's value) is the mean itself.
    for (const v of edited!.after) expect(v).toBeCloseTo(mean, 4);
    expect(edited!.before.some((v) => Math.abs(v - mean) > 0.1)).toBe(true);
    expect(other!.after).toEqual(other!.before);
  }, 30_000);

  it('expands unit ranges and bounds watch lists', async () => {
    const result = await registry.call(
      'ablate_units',
      { units: ['final_conv:3-6', 'conv2d_94.tmp_0:4'], stimuli: lines.slice(0, 1) },
      ctx,
    );
    expect((result.data as AblateUnitsData).units).toEqual([3, 4, 5, 6].map((i) => `final_conv:${i}`));
    expect(result.text).toContain('zeroing final_conv:3–6 (4 units)');
    await expect(
      registry.call('ablate_units', { units: ['final_conv:0'], watch: ['final_conv:*'] }, ctx),
    ).rejects.toThrow(/at most 64/);
  });

  it('rejects unknown sites with near names', async () => {
    await expect(registry.call('ablate_units', { units: ['final_cnv:1'] }, ctx)).rejects.toThrow(
      /final_conv/,
    );
    await expect(registry.call('ablate_units', { units: ['final_conv:200'] }, ctx)).rejects.toThrow(/range/);
  });
});

describe('steer_units on paddle-ocr-cls', () => {
  it('adding to a unit moves its watched activation by exactly the delta', async () => {
    const result = await registry.call(
      'steer_units',
      {
        units: ['final_conv:5'],
        op: 'add',
        value: 0.7,
        stimuli: lines,
        watch: ['final_conv:5', 'final_conv:6'],
      },
      ctx,
    );
    const data = result.data as SteerUnitsData;
    const [steered, other] = data.doses[0]!.watched;
    // Read at the edited site itself, no nonlinearity sits between the edit and the reading.
    steered!.after.forEach((v, s) => expect(v - steered!.before[s]!).toBeCloseTo(0.7, 4));
    expect(other!.after).toEqual(other!.before);
    expect(result.text).toMatch(/watched final_conv:5: mean [\d.]+ → [\d.]+ \(Δ 0\.7,/);

    // The reported output shift matches the probe's own outputs under the same edit.
    const scenes = await Promise.all(lines.map((spec) => renderScene({ ...spec, ...ctx.probe.sceneSize })));
    const unit = ctx.probe.parseUnit('final_conv:5');
    const after = await ctx.probe.outputs(scenes, [{ units: [unit], op: 'add', value: 0.7 }]);
    after.scores.forEach((row, s) => expect(data.after[s]![1]).toBeCloseTo(row[1]!, 5));
  }, 30_000);

  it('sweeps by multiples of the unit std: amounts, linear watched response and a plot', async () => {
    const sweep = [-1, 0, 1, 2];
    const result = await registry.call(
      'steer_units',
      { units: ['final_conv:5'], sweep, relative_to: 'std', probe_scenes: 8, watch: ['final_conv:5'] },
      ctx,
    );
    const data = result.data as SteerUnitsData;
    const activations = await ctx.activations(ctx.probe.parseUnit('final_conv:5').site);
    const column = Array.from(
      { length: activations.n },
      (_, s) => activations.values[s * activations.units + 5]!,
    );
    const mean = column.reduce((a, b) => a + b, 0) / column.length;
    const std = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / column.length);
    expect(data.unitStats?.[0]?.std).toBeCloseTo(std, 4);
    expect(data.doses.map((d) => d.amounts[0])).toEqual(sweep.map((k) => expect.closeTo(k * std, 4)));

    const base = data.doses[1]!.watched[0]!.meanBefore;
    data.doseResponse.rows.forEach((row) => expect(row.watched[0]).toBeCloseTo(base + row.dose * std, 3));
    expect(result.text.split('\n')[2]).toMatch(/^dose\s+P\('0'\)\s+P\('180'\)\s+flips\s+KL\s+final_conv:5$/);

    expect(result.images).toHaveLength(2);
    const plot = await decodeImage(result.images[0]!.png);
    expect([plot.width, plot.height]).toEqual([480, 300]);
  }, 30_000);
});

describe('true logits and head weights on paddle-ocr-cls', () => {
  it('ablate_units reports the logits before the softmax, per stimulus, with the margin change', async () => {
    const result = await registry.call(
      'ablate_units',
      { units: ['final_block:7'], stimuli: lines.slice(0, 4) },
      ctx,
    );
    const data = result.data as AblateUnitsData;
    expect(data.logits).not.toBeNull();
    // The probabilities are the softmax of the reported logits, before and after.
    for (const [table, probabilities] of [
      [data.logits!.before, data.before],
      [data.logits!.after, data.after],
    ] as const) {
      table.forEach((row, s) => {
        const exp = row.map((v) => Math.exp(v - Math.max(...row)));
        const sum = exp.reduce((a, b) => a + b, 0);
        exp.forEach((e, k) => expect(e / sum).toBeCloseTo(probabilities[s]![k]!, 4));
      });
    }
    expect(result.text).toContain('logit before → after | Δ margin');
  }, 30_000);

  it("output_weights gives the head's column for a last-block unit, and the logits follow from it", async () => {
    const result = await registry.call('output_weights', { unit: 'final_block:7' }, ctx);
    const data = result.data as OutputWeightsData;
    expect(data.path).toEqual(['MaxPool']);
    expect(data.labels).toEqual(['0', '180']);
    // logit_k = Σ_c w[k,c]·mean(F_c) + b_k over the pooled features: check the column by changing
    // channel 7 alone. Adding δ to every position of F_7 moves logit_k by exactly w[k,7]·δ.
    const scenes = await Promise.all(
      lines.slice(0, 2).map((spec) => renderScene({ ...spec, ...ctx.probe.sceneSize })),
    );
    const channel = ctx.probe.parseUnit(`${data.features}:7`);
    const before = await ctx.probe.outputs(scenes);
    const after = await ctx.probe.outputs(scenes, [{ units: [channel], op: 'add', value: 0.5 }]);
    before.logits!.forEach((row, s) =>
      row.forEach((v, k) => expect(after.logits![s]![k]! - v).toBeCloseTo(0.5 * data.weights[k]!, 4)),
    );
    expect(result.text).toMatch(/Logit difference 0 − 180: [+-][\d.]+ per unit/);
    expect(data.ranks.every((r) => r >= 1 && r <= data.channels)).toBe(true);
  }, 30_000);

  it('output_weights says why a unit that mixes into other channels has no column', async () => {
    await expect(registry.call('output_weights', { unit: 'stem:0' }, ctx)).rejects.toThrow(/mix channels/);
  });
});
