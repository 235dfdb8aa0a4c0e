import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maiaUnitDefinitions } from '../../../subjects/synthetic/index.ts';
import { createToolContext, createVisionRegistry, type ToolContext } from '../../../tools/index.ts';
import type { AblateUnitsData } from '../../../tools/vision/ablate-units.ts';
import type { SteerUnitsData } from '../../../tools/vision/steer-units.ts';

/**
 * The causal tools on synthetic units, whose behaviour is exact: a unit's outputs are its activations,
 * so ablating it must zero them and steering must move them by exactly the amount, leaving the other
 * units alone.
 */

const registry = createVisionRegistry();
let ctx: ToolContext;
let cacheDir: string;
let dog: number;

beforeAll(async () => {
  cacheDir = mkdtempSync(join(tmpdir(), 'aia-causal-synthetic-'));
  // Three MAIA units keep each call cheap; the dog unit is the one under test.
  const units = maiaUnitDefinitions().filter((d) =>
    ['maia-mono-bird', 'maia-mono-dog', 'maia-mono-grass'].includes(d.id ?? ''),
  );
  expect(units).toHaveLength(3);
  ctx = await createToolContext(`synthetic:${JSON.stringify(units)}`, {
    cacheDir,
    probeSetSize: 20,
    progress: false,
    workers: 1,
  });
  dog = ctx.probe.parseUnit('synthetic:maia-mono-dog').index;
}, 60_000);

afterAll(async () => {
  await ctx?.dispose();
  rmSync(cacheDir, { recursive: true, force: true });
});

const stimuli = ['a dog on grass', 'two dogs beside a tree', 'a bird', 'a red circle'];

describe('ablate_units on a synthetic unit', () => {
  it('zeroing the unit zeroes its activation and leaves the other units alone', async () => {
    const unit = `synthetic:${dog}`;
    const result = await registry.call('ablate_units', { units: [unit], stimuli, watch: [unit] }, ctx);
    const data = result.data as AblateUnitsData;
    const column = data.labels.indexOf(unit);
    const before = data.before.map((row) => row[column]!);
    expect(before[0]).toBeGreaterThan(0.5);
    expect(before[1]).toBeGreaterThan(0.5);
    expect(data.after.every((row) => row[column] === 0)).toBe(true);
    expect(data.watched[0]!.after).toEqual([0, 0, 0, 0]);
    data.after.forEach((row, s) =>
      row.forEach((v, j) => {
        if (j !== column) expect(v).toBe(data.before[s]![j]);
      }),
    );
    expect(data.effects.flips).toBeNull();
    expect(data.effects.labels[column]?.meanAfter).toBe(0);
    expect(result.text).toContain(`zeroing ${unit} on 4 given stimuli: mean ${unit}`);
    expect(result.text).toContain('→ 0');
  });

  it('measures on the exemplars of a unit: its top probe-set scenes', async () => {
    const result = await registry.call(
      'ablate_units',
      { units: [`synthetic:${dog}`], exemplars_of: `synthetic:${dog}`, k: 3 },
      ctx,
    );
    const data = result.data as AblateUnitsData;
    const activations = await ctx.activations('synthetic');
    const column = Array.from(
      { length: activations.n },
      (_, s) => activations.values[s * activations.units + dog]!,
    );
    const top = Math.max(...column);
    expect(top).toBeGreaterThan(0.5);
    // Ablating the unit on the scenes where it fires most must remove all of it.
    expect(data.after.every((row) => row[dog] === 0)).toBe(true);
    expect(data.stimuli).toHaveLength(3);
    expect(data.before[0]![dog]).toBeCloseTo(top, 6);
    const shown = data.stimuli.map((s) => column[s.probeScene!]!);
    expect(shown).toEqual([...shown].sort((a, b) => b - a));
  });
});

describe('steer_units on a synthetic unit', () => {
  it('adding 0.5 adds 0.5 to the unit on every stimulus', async () => {
    const unit = `synthetic:${dog}`;
    const result = await registry.call('steer_units', { units: [unit], op: 'add', value: 0.5, stimuli }, ctx);
    const data = result.data as SteerUnitsData;
    data.after.forEach((row, s) => expect(row[dog]! - data.before[s]![dog]!).toBeCloseTo(0.5, 6));
    expect(data.doses[0]!.effects.labels[dog]!.meanShift).toBeCloseTo(0.5, 6);
    expect(result.text).toContain(`adding 0.5 to ${unit}`);
  });

  it('a set sweep gives a dose-response table whose unit column is the dose', async () => {
    const unit = `synthetic:${dog}`;
    const sweep = [0, 0.25, 1, 2];
    const result = await registry.call(
      'steer_units',
      { units: [unit], op: 'set', sweep, probe_scenes: 5, watch: [`synthetic:${(dog + 1) % 3}`] },
      ctx,
    );
    const data = result.data as SteerUnitsData;
    expect(data.doseResponse.rows.map((r) => r.meanScores[dog])).toEqual(sweep);
    expect(data.doseResponse.rows.map((r) => r.flips)).toEqual([null, null, null, null]);
    const untouched = data.doseResponse.rows.map((r) => r.watched[0]);
    expect(new Set(untouched).size).toBe(1);
    expect(result.text).toMatch(new RegExp(`dose .*${unit}`));
    expect(result.images).toHaveLength(2);
  });

  it('explains bad arguments', async () => {
    await expect(registry.call('steer_units', { units: ['synthetic:0'] }, ctx)).rejects.toThrow(
      /exactly one of value .* and sweep/,
    );
    await expect(
      registry.call(
        'steer_units',
        { units: ['synthetic:0'], value: 2, op: 'scale', relative_to: 'std' },
        ctx,
      ),
    ).rejects.toThrow(/for add and set/);
    await expect(
      registry.call('ablate_units', { units: ['synthetic:0'], stimuli: ['a dog'], probe_scenes: 2 }, ctx),
    ).rejects.toThrow(/at most one of stimuli, exemplars_of and probe_scenes/);
    await expect(registry.call('ablate_units', { units: ['synthetic:47'] }, ctx)).rejects.toThrow(
      /units 0–2\b/,
    );
    await expect(registry.call('ablate_units', { units: ['synthetic:5-2'] }, ctx)).rejects.toThrow(/empty/);
  });
});
