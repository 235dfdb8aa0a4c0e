import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backgroundRegionConcepts } from '../../stimuli/backgrounds.ts';
import { loadProbeSet, makeProbeSet, probeSetId } from '../../stimuli/probeset.ts';
import { renderProbeScene } from '../../stimuli/probeset-render.ts';
import { camouflaged, PROBE_PAIRS, probeSceneSpec } from '../../stimuli/probeset-specs.ts';
import { itemOwnConcepts, renderScene } from '../../stimuli/render.ts';
import { resolveSpec } from '../../stimuli/resolve-spec.ts';
import type { SceneSpec } from '../../stimuli/spec.ts';
import { ancestors } from '../../stimuli/vocabulary.ts';
import { InputError } from '../../util/errors.ts';
import { differingPixels, expectSameMask } from './render-helpers.ts';

const cacheDir = mkdtempSync(join(tmpdir(), 'aia-probesets-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe('probe set storage', () => {
  it('round-trips: stored images, masks, itemMaps and annotations equal a fresh render', async () => {
    const made = await makeProbeSet({ n: 12, seed: 5, size: 64, cacheDir, workers: 0 });
    expect(made.reused).toBe(false);
    const set = loadProbeSet(made.id, cacheDir);
    expect(set.scenes).toHaveLength(12);
    for (let i = 0; i < set.n; i++) {
      const fresh = await renderScene(set.scenes[i]?.spec ?? {});
      expect(differingPixels(set.image(i).data, fresh.image.data), `image ${i}`).toBe(0);
      expectSameMask(set.itemMap(i), fresh.itemMap, `itemMap ${i}`);
      const masks = set.masks(i);
      expect([...masks.keys()]).toEqual([...fresh.masks.keys()]);
      for (const [name, m] of fresh.masks) expectSameMask(masks.get(name), m, `${i}/${name}`);
      expect(set.scenes[i]?.annotation).toEqual(fresh.annotation);
      const [first] = fresh.masks.keys();
      if (first) expectSameMask(set.mask(i, first), fresh.masks.get(first), `mask(${i}, ${first})`);
    }
    const [decoded] = await set.images([3]);
    expect(differingPixels(decoded?.data, set.image(3).data)).toBe(0);
    set.close();
    made.close();
  });

  it('is content-addressed and reused', async () => {
    const a = await makeProbeSet({ n: 3, seed: 9, size: 32, cacheDir, workers: 0 });
    const b = await makeProbeSet({ n: 3, seed: 9, size: 32, cacheDir, workers: 0 });
    expect(b.reused).toBe(true);
    expect(b.id).toBe(a.id);
    expect(a.id).toBe(probeSetId({ n: 3, seed: 9, size: 32 }));
    expect(probeSetId({ n: 3, seed: 10, size: 32 })).not.toBe(a.id);
    expect(probeSetId({ n: 4, seed: 9, size: 32 })).not.toBe(a.id);
    expect(loadProbeSet(a.id.slice(0, 8), cacheDir).id).toBe(a.id);
    a.close();
    b.close();
  });

  it('worker threads produce exactly what the main thread does', async () => {
    const set = await makeProbeSet({ n: 100, seed: 2, size: 48, cacheDir, workers: 2 });
    for (const i of [0, 41, 99]) {
      const direct = await renderProbeScene(2, i, 48);
      expect(set.scenes[i]?.spec).toEqual(direct.spec);
      const fresh = await renderScene(direct.spec);
      expect(differingPixels(set.image(i).data, fresh.image.data), `image ${i}`).toBe(0);
    }
    set.close();
  }, 60_000);

  it('refuses absurd parameters and unknown ids, stating the limit', async () => {
    await expect(makeProbeSet({ n: 0, seed: 1, size: 64, cacheDir })).rejects.toThrow(/n must be an integer from 1 to 100000/);
    await expect(makeProbeSet({ n: 10, seed: 1, size: 5000, cacheDir })).rejects.toThrow(/from 8 to 1024 pixels, got 5000/);
    await expect(makeProbeSet({ n: 10, seed: -1, size: 64, cacheDir })).rejects.toBeInstanceOf(InputError);
    expect(() => loadProbeSet('abcdef12', cacheDir)).toThrow(/no probe set 'abcdef12'.*aia probeset make/);
    expect(() => loadProbeSet('../etc', cacheDir)).toThrow(/not a hex id/);
  }); // prettier-ignore
});

describe('probe set distribution', () => {
  const specs: SceneSpec[] = Array.from({ length: 3000 }, (_, i) => probeSceneSpec(1, i, 64));
  const conceptSets = specs.map((spec) => {
    const concepts = new Set<string>();
    const add = (c: string) => [c, ...ancestors(c)].forEach((a) => concepts.add(a));
    spec.items.forEach((item) => itemOwnConcepts(item).forEach(add));
    backgroundRegionConcepts(spec.background).flat().forEach(add);
    return concepts;
  });

  it('makes valid, deterministic specs with 1–4 items of every kind', () => {
    expect(probeSceneSpec(1, 17, 64)).toEqual(specs[17]);
    expect(probeSceneSpec(2, 17, 64)).not.toEqual(specs[17]);
    const counts = new Set(specs.map((s) => s.items.length));
    expect([...counts].sort()).toEqual([1, 2, 3, 4]);
    const kinds = new Set(specs.flatMap((s) => s.items.map((i) => i.kind)));
    expect([...kinds].sort()).toEqual(['object', 'shape', 'word']);
    for (const spec of specs.slice(0, 300)) expect(() => resolveSpec(spec)).not.toThrow();
    expect(specs.filter((s) => s.effects.length > 0).length).toBeGreaterThan(100);
  });

  it('never hides an item in its background (same plain colour or same texture)', () => {
    expect(camouflaged({ kind: 'shape', name: 'circle', x: 0.5, y: 0.5, size: 0.3, rotation: 0, flip: false }, 'black')).toBe(true);
    const hidden = specs.filter((spec) => spec.items.some((item) => camouflaged(item, spec.background)));
    expect(hidden.map((s) => s.seed)).toEqual([]);
  }); // prettier-ignore

  it('shows each MAIA pair together and apart often enough to tell AND from OR', () => {
    const weak: string[] = [];
    for (const [a, b] of PROBE_PAIRS) {
      let both = 0;
      let onlyA = 0;
      let onlyB = 0;
      for (const set of conceptSets) {
        if (set.has(a) && set.has(b)) both++;
        else if (set.has(a)) onlyA++;
        else if (set.has(b)) onlyB++;
      }
      if (Math.min(both, onlyA, onlyB) < 8) weak.push(`${a}+${b}: ${both}/${onlyA}/${onlyB}`);
    }
    expect(weak).toEqual([]);
  });
});
