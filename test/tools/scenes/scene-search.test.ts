import { describe, expect, it } from 'vitest';
import { renderScene } from '../../../stimuli/render.ts';
import type { SceneSpec } from '../../../stimuli/spec.ts';
import { evaluateFormula, parseFormula } from '../../../subjects/synthetic/index.ts';
import { driverEdits, sceneDrivers } from '../../../tools/scenes/scene-drivers.ts';
import { probeFamily } from '../../../tools/scenes/probe-families.ts';
import { searchScenes, specContents, SWEEP_BLOCK, sweepSpecs } from '../../../tools/scenes/scene-search.ts';
import { conceptsOfKind } from '../../../stimuli/vocabulary.ts';

/** A unit that is the formula's value on each rendered spec. */
function formulaScorer(text: string) {
  const formula = parseFormula(text);
  return async (specs: readonly SceneSpec[]) =>
    Float32Array.from(await Promise.all(specs.map(async (s) => evaluateFormula(formula, await renderScene(s), { grid: 14 }).value)));
} // prettier-ignore

const SIZE = { width: 96, height: 96 };

describe('stimulus search', () => {
  it('finds scenes with exactly two cats for a unit silent on everything else, the same way every time', async () => {
    const score = formulaScorer('count(cat) = 2');
    const options = { seed: 3, budget: 144, ...SIZE, focus: ['cat'], keep: 3 };
    const first = await searchScenes(score, options);
    expect(first.moved).toBe(true);
    expect(first.resting).toBe(0);
    expect(first.best[0]?.activation).toBe(1);
    expect(first.best[0]?.spec.items.filter((it) => it.name === 'cat')).toHaveLength(2);
    const again = await searchScenes(score, options);
    expect(again.best.map((b) => b.spec)).toEqual(first.best.map((b) => b.spec));
  });

  it('ends early once the best scene stops improving, and reports why', async () => {
    // 1 on scenes with two cats (no rendering needed): the first batches find one, evolution cannot beat 1.
    const score = async (specs: readonly SceneSpec[]) => Float32Array.from(specs, (s) => (s.items.filter((it) => it.name === 'cat').length === 2 ? 1 : 0));
    const result = await searchScenes(score, { seed: 2, budget: 5000, ...SIZE, focus: ['cat'] });
    expect(result.moved).toBe(true);
    expect(result.stopped).toBe('converged');
    expect(result.evaluated).toBeLessThan(1000);
  }); // prettier-ignore

  it('says when nothing moved the unit', async () => {
    const result = await searchScenes(async (specs) => new Float32Array(specs.length), { seed: 1, budget: 48, ...SIZE });
    expect(result.moved).toBe(false);
    expect(result.evaluated).toBe(48);
  }); // prettier-ignore

  it('counterfactual edits name what a scene needs and whether its count matters', async () => {
    const spec: SceneSpec = {
      ...SIZE, background: 'sand', effects: [], seed: 0,
      items: [
        { kind: 'object', name: 'cat', x: 0.25, y: 0.3, size: 0.3, rotation: 0, flip: false },
        { kind: 'object', name: 'cat', x: 0.75, y: 0.3, size: 0.3, rotation: 0, flip: false },
        { kind: 'object', name: 'dog', x: 0.5, y: 0.75, size: 0.3, rotation: 0, flip: false },
      ],
    }; // prettier-ignore
    expect(driverEdits(spec).map((e) => e.change)).toEqual([
      'remove every cat', 'remove one cat (2 → 1)', 'one more cat (2 → 3)',
      'remove every dog', 'one more dog (1 → 2)', 'background sand → white',
    ]); // prettier-ignore
    const { activation, readings } = await sceneDrivers(formulaScorer('count(cat) = 2 AND sand'), spec);
    expect(activation).toBe(1);
    const drop = Object.fromEntries(readings.map((r) => [r.change, r.drop]));
    expect(drop['remove one cat (2 → 1)']).toBe(1);
    expect(drop['one more cat (2 → 3)']).toBe(1);
    expect(drop['background sand → white']).toBe(1);
    expect(drop['remove every dog']).toBe(0);
    expect(specContents(spec)).toBe('2× cat, dog on sand');
  });
});

describe('probe families', () => {
  it('vary one factor: 1..9 copies, each relation, each background, with the rest held still', async () => {
    const counts = probeFamily('count', 'cat');
    expect(counts.map((c) => c.spec.items.length)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const relation = probeFamily('relation', 'bird', { y: 'tree' });
    const above = relation.find((r) => r.level === 'above')?.spec.items ?? [];
    expect(above.map((it) => it.name)).toEqual(['bird', 'tree']);
    expect((above[0]?.y ?? 1) < (above[1]?.y ?? 0)).toBe(true);
    const value = async (spec: SceneSpec, f: string) => evaluateFormula(parseFormula(f), await renderScene(spec), { grid: 14 }).value;
    const fired = await Promise.all(relation.map((r) => value(r.spec, 'above(bird, tree)')));
    expect(fired).toEqual([1, 0, 0, 0, 0, 0]);
    const backgrounds = probeFamily('background', 'boat');
    expect(new Set(backgrounds.map((b) => b.spec.items[0]?.name))).toEqual(new Set(['boat']));
    expect(backgrounds.map((b) => b.level)).toContain('sand');
    expect(() => probeFamily('relation', 'bird')).toThrow(/second concept/);
  }); // prettier-ignore

  it('the sweep holds every pair of objects together, and every ordered pair in each relation', () => {
    const objects = conceptsOfKind('object');
    const scenes = sweepSpecs(objects, 1);
    const blocks = Math.ceil(objects.length / SWEEP_BLOCK);
    const copies = [2, 3, 4, 5].reduce(
      (sum, k) => sum + Math.ceil(objects.length / Math.floor((2 * SWEEP_BLOCK) / k)),
      0,
    );
    expect(scenes).toHaveLength(copies + 4 * ((blocks * (blocks - 1)) / 2) + 2 * blocks);
    // Exactly k copies of every object, k = 2..5, in some scene.
    for (const k of [2, 3, 4, 5]) {
      const counted = new Set<string>();
      for (const scene of scenes) {
        const n = new Map<string, number>();
        for (const it of scene.items) n.set(it.name, (n.get(it.name) ?? 0) + 1);
        for (const [name, c] of n) if (c === k) counted.add(name);
      }
      expect(counted.size).toBe(objects.length);
    }
    expect(Math.max(...scenes.map((s) => s.items.length))).toBeLessThanOrEqual(2 * SWEEP_BLOCK);
    // The relation as the synthetic units judge it (dominant axis between centres), on item centres.
    const index = new Map(objects.map((o, i) => [o, i]));
    const n = objects.length;
    const together = new Uint8Array(n * n);
    const leftOf = new Uint8Array(n * n);
    const above = new Uint8Array(n * n);
    for (const scene of scenes) {
      for (const a of scene.items) {
        for (const b of scene.items) {
          if (a.name === b.name) continue;
          const k = index.get(a.name)! * n + index.get(b.name)!;
          const dx = b.x - a.x;
          const dy = b.y - a.y;
          together[k] = 1;
          if (dx > 0 && dx >= Math.abs(dy)) leftOf[k] = 1;
          if (dy > 0 && dy >= Math.abs(dx)) above[k] = 1;
        }
      }
    }
    const share = (m: Uint8Array) => m.reduce((s, v) => s + v, 0) / (n * (n - 1));
    expect(share(together)).toBe(1);
    expect(share(leftOf)).toBe(1);
    expect(share(above)).toBe(1);
    // Seeded: the same seed gives the same scenes, another seed another order.
    expect(sweepSpecs(objects, 1)).toEqual(scenes);
    expect(sweepSpecs(objects, 2)[0]).not.toEqual(scenes[0]);
  });
});
