import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderScene } from '../../../stimuli/render.ts';
import { parsePhrase } from '../../../stimuli/phrase.ts';
import { createToolContext, createVisionRegistry, type ToolContext } from '../../../tools/index.ts';
import type { AblateUnitsData } from '../../../tools/vision/ablate-units.ts';

/**
 * On a text recogniser the answer is the decoded string: ablate_units reports how it changed, and
 * compares per-character peak scores as plain scores (they are not one distribution per stimulus).
 */

const registry = createVisionRegistry();
let ctx: ToolContext;
let cacheDir: string;

beforeAll(async () => {
  cacheDir = mkdtempSync(join(tmpdir(), 'aia-causal-text-'));
  ctx = await createToolContext('paddle-ocr-rec', { cacheDir, progress: false });
}, 60_000);

afterAll(async () => {
  await ctx?.dispose();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('ablate_units on paddle-ocr-rec', () => {
  it('reports decoded-text changes equal to a direct comparison', async () => {
    const phrases = ["the word 'hello'", "the word 'stop'"];
    const result = await registry.call('ablate_units', { units: ['neck:0-29'], stimuli: phrases }, ctx);
    const data = result.data as AblateUnitsData;

    const scenes = await Promise.all(
      phrases.map((p) => renderScene(parsePhrase(p, { ...ctx.probe.sceneSize, seed: ctx.seed }))),
    );
    const units = Array.from({ length: 30 }, (_, i) => ctx.probe.parseUnit(`neck:${i}`));
    const before = (await ctx.probe.outputs(scenes)).text ?? [];
    const after = (await ctx.probe.outputs(scenes, [{ units, op: 'zero' }])).text ?? [];
    expect(before).toEqual(['hello', 'stop']);

    const changed = before.map((t, s) => s).filter((s) => before[s] !== after[s]);
    expect(changed.length).toBeGreaterThan(0);
    expect(data.textChanges?.changes.map((c) => c.scene)).toEqual(changed);
    expect(data.textChanges?.changes.map((c) => c.after)).toEqual(changed.map((s) => after[s]));
    expect(data.effects.scale).toBe('activations');
    expect(data.effects.flips).toBeNull();
    expect(result.text).toContain(`decoded text changed on ${changed.length}/2 stimuli ('hello' → `);
  }, 30_000);
});
