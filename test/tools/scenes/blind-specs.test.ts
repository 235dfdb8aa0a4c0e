import { describe, expect, it } from 'vitest';
import type { SceneSpec } from '../../../stimuli/spec.ts';
import { loadProbe } from '../../../tools/probe/index.ts';
import { SyntheticProbe } from '../../../tools/probe/synthetic-probe.ts';
import { blindSpecTest, specConcepts } from '../../../tools/scenes/blind-specs.ts';
import { scoreSpecs, specScorer } from '../../../tools/scenes/spec-scorer.ts';

const object = (name: string, x: number, y: number) => ({
  kind: 'object' as const,
  name,
  x,
  y,
  size: 0.3,
  rotation: 0,
  flip: false,
});
const spec = (background: string, ...items: SceneSpec['items']): SceneSpec => ({
  width: 96,
  height: 96,
  background,
  items,
  effects: [],
  seed: 0,
});

async function synthetic(formula: string, extra = ''): Promise<SyntheticProbe> {
  const probe = await loadProbe(`synthetic:[{"id":"u","family":"formula","formula":${JSON.stringify(formula)}${extra}}]`);
  if (!(probe instanceof SyntheticProbe)) throw new Error('not a synthetic probe');
  return probe;
} // prettier-ignore

describe('scene specs a synthetic unit is blind to', () => {
  it('lists every concept a spec could render: ancestors, background regions, words', () => {
    const { concepts, words } = specConcepts(spec('sky', object('canoe', 0.5, 0.5)));
    expect([...concepts]).toEqual(expect.arrayContaining(['canoe', 'boat', 'vehicle', 'sky', 'blue']));
    expect(words).toBe(false);
    expect(specConcepts(spec('white', { ...object('stop', 0.5, 0.5), kind: 'word' })).words).toBe(true);
  });

  it('skips only specs that cannot move the unit, and the scores are those of rendering every spec', async () => {
    const probe = await synthetic('above(cup, boat)');
    const blind = blindSpecTest(probe.units[0]!)!;
    const specs = [
      spec('grass', object('dog', 0.5, 0.5)),
      spec('sand', object('cup', 0.5, 0.2), object('canoe', 0.5, 0.8)),
      spec('white', object('cat', 0.3, 0.3), object('owl', 0.7, 0.7)),
      spec('water', object('canoe', 0.5, 0.2), object('cup', 0.5, 0.8)),
      spec('sky', object('cup', 0.5, 0.5)),
    ];
    expect(specs.map(blind)).toEqual([true, false, true, false, false]);
    const unit = probe.parseUnit('synthetic:0');
    const fast = await specScorer(probe, unit)(specs);
    const slow = (await scoreSpecs(probe, unit, specs)).activations;
    expect(Array.from(fast)).toEqual(Array.from(slow));
    expect(fast[1]).toBeGreaterThan(0);
    expect(fast[3]).toBe(0);
  });

  it('skips nothing for a noisy unit or one whose blind value depends on the scene', async () => {
    expect(
      blindSpecTest((await synthetic('cup', ',"noise":{"kind":"uniform","level":0.2}')).units[0]!),
    ).toBeUndefined();
    expect(blindSpecTest((await synthetic('cup', ',"restingNoise":0.1')).units[0]!)).toBeUndefined();
    expect(blindSpecTest((await synthetic('count(NOT cup) >= 2')).units[0]!)).toBeUndefined();
  });
});
