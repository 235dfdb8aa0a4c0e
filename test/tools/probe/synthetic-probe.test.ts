import { describe, expect, it } from 'vitest';
import { renderScene } from '../../../stimuli/render.ts';
import { SyntheticProbe } from '../../../tools/probe/synthetic-probe.ts';
import { loadProbe } from '../../../tools/probe/load.ts';
import { SyntheticSubject } from '../../../subjects/synthetic/index.ts';
import { InputError } from '../../../util/errors.ts';

const probe = new SyntheticProbe(
  new SyntheticSubject([
    { id: 'dog', family: 'mono', concept: 'dog' },
    { id: 'red', family: 'mono', concept: 'red' },
  ]),
);
const dogLeft = await renderScene({
  background: 'white',
  items: [
    { kind: 'object', name: 'dog', x: 0.2, y: 0.5, size: 0.3 },
    { kind: 'shape', name: 'circle', colour: 'red', x: 0.8, y: 0.5, size: 0.3 },
  ],
});
const empty = await renderScene({ background: 'grass' });
const dog = probe.parseUnit('synthetic:0');
const red = probe.parseUnit('synthetic:red');

function argmaxX(map: { map: Float32Array; width: number }): number {
  let best = 0;
  map.map.forEach((v, i) => {
    if (v > (map.map[best] ?? 0)) best = i;
  });
  return best % map.width;
}

describe('synthetic probe', () => {
  it('has one site whose units are the definitions, addressed by index or id', () => {
    expect(probe.sites()).toEqual([{ name: 'synthetic', aliases: [], op: 'synthetic', shape: [1, 2, 14, 14], units: 2 }]);
    expect(dog).toEqual({ id: 'synthetic:0', site: 'synthetic', index: 0 });
    expect(red).toEqual({ id: 'synthetic:1', site: 'synthetic', index: 1 });
    expect(() => probe.parseUnit('synthetic:2')).toThrow(/unit 2 is out of range.*2 units \(units 0–1\)/);
    expect(() => probe.parseUnit('final_conv:0')).toThrow(/unknown site 'final_conv'.*one site, 'synthetic'/);
    expect(() => probe.parseUnit('synthetic:cat')).toThrow(InputError);
    expect(() => probe.parseUnit('dog')).toThrow(/not a unit: write synthetic:<index>/);
  }); // prettier-ignore

  it('maps are grid maps over the image that peak where the concept is', async () => {
    const [dogMaps = [], redMaps = []] = await probe.unitMaps([dogLeft, empty], [dog, red]);
    const [onScene, onEmpty] = dogMaps;
    expect([onScene?.width, onScene?.height]).toEqual([14, 14]);
    expect(argmaxX(onScene!)).toBeLessThan(5); // dog at x = 0.2 → cells 0–4 of 14
    expect(argmaxX(redMaps[0]!)).toBeGreaterThan(9); // red circle at x = 0.8
    expect(onScene?.value).toBeGreaterThan(0.5);
    expect(onEmpty?.value).toBe(0);
    // value is the map's maximum
    expect(onScene?.value).toBe(Math.max(...onScene!.map));
  });

  it('reports outputs as unit activations, and site values agree with the maps', async () => {
    const outputs = await probe.outputs([dogLeft, empty]);
    expect(outputs.kind).toBe('activations');
    expect(outputs.labels).toEqual(['synthetic:0', 'synthetic:1']);
    const [maps = []] = await probe.unitMaps([dogLeft], [dog]);
    expect(outputs.scores[0]?.[0]).toBe(maps[0]?.value);
    const values = await probe.sceneValues([dogLeft, empty], 'synthetic');
    expect(Array.from(values)).toEqual([...outputs.scores[0]!, ...outputs.scores[1]!]);
    // Images of scenes it has seen resolve back to their scenes; others are refused.
    expect(Array.from(await probe.siteValues([dogLeft.image], 'synthetic'))).toEqual(Array.from(outputs.scores[0]!));
    const stranger = { ...dogLeft.image, data: dogLeft.image.data.slice() };
    await expect(probe.siteValues([stranger], 'synthetic')).rejects.toThrow(/compute from scene annotations.*sceneValues/);
  }); // prettier-ignore

  it('applies edits to the edited units only: zero, set, scale, add, mean', async () => {
    const base = (await probe.outputs([dogLeft])).scores[0]!;
    const edited = async (op: 'zero' | 'set' | 'scale' | 'add' | 'mean', value?: number) =>
      (await probe.outputs([dogLeft], [{ units: [dog], op, ...(value !== undefined ? { value } : {}) }])).scores[0]!;
    expect((await edited('zero'))[0]).toBe(0);
    expect((await edited('set', 0.25))[0]).toBe(0.25);
    expect((await edited('scale', 2))[0]).toBeCloseTo(2 * base[0]!, 6);
    expect((await edited('add', 0.5))[0]).toBeCloseTo(base[0]! + 0.5, 6);
    expect((await edited('add', 0.5))[1]).toBe(base[1]); // the other unit is untouched
    // mean: the reference means when wired, else the mean cell over the call's scenes
    probe.setReferenceMeans(async () => Float32Array.of(0.125, 0.5));
    expect((await edited('mean'))[0]).toBe(0.125);
    await expect(edited('set')).rejects.toThrow(/needs a finite value/);
  }); // prettier-ignore

  it('scores perturbed copies of a scene: occluding the concept lowers the unit', async () => {
    const score = probe.scorer({ unit: dog }, dogLeft);
    const occluded = { ...dogLeft.image, data: dogLeft.image.data.slice() };
    for (let y = 0; y < 224; y++) for (let x = 0; x < 112; x++) occluded.data.fill(128, (y * 224 + x) * 3, (y * 224 + x) * 3 + 3);
    const [intact, hidden] = await score([dogLeft.image, occluded]);
    expect(intact).toBeCloseTo((await probe.outputs([dogLeft])).scores[0]![0]!, 6);
    expect(hidden).toBe(0);
    expect(() => probe.scorer({ unit: dog })).toThrow(/pass the scene/);
  }); // prettier-ignore

  it('describes itself without revealing what its units detect', () => {
    const { text, data } = probe.describe();
    expect(text).toMatch(/2 synthetic units at one site, 'synthetic'/);
    expect(JSON.stringify({ text, data })).not.toMatch(/\bdog\b|\bred\b/);
  });
});

describe('loading synthetic subjects', () => {
  it('reads MAIA sets, modes, single units, files and inline JSON; names never leak', async () => {
    const all = (await loadProbe('synthetic:maia')) as SyntheticProbe;
    expect(all.units).toHaveLength(85);
    expect(((await loadProbe('synthetic:maia/mono')) as SyntheticProbe).units).toHaveLength(47);
    const one = (await loadProbe('synthetic:maia/mono-dog')) as SyntheticProbe;
    expect(one.units.map((u) => u.definition.id)).toEqual(['maia-mono-dog']);
    expect(one.name).toBe('synthetic');
    const inline = (await loadProbe('synthetic:[{"id":"x","family":"or","concepts":["cat","dog"]}]')) as SyntheticProbe;
    expect(inline.units[0]?.truth.formula).toBe('cat OR dog');
    expect(inline.hash).not.toBe(one.hash);
    await expect(loadProbe('synthetic:maia/mono-dgo')).rejects.toThrow(/no MAIA unit 'mono-dgo'; did you mean maia-mono-dog/);
    await expect(loadProbe('synthetic:nope.json')).rejects.toThrow(/does not exist/);
    await expect(loadProbe('synthetic:[{"id":"x"')).rejects.toThrow(/not valid JSON/);
    await expect(loadProbe('synthetic:[{"id":"x","family":"mono"}]')).rejects.toThrow(/synthetic unit 0 \('x'\) is invalid/);
  }); // prettier-ignore
});
