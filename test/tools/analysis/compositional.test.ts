import { describe, expect, it } from 'vitest';
import {
  conceptOverlaps,
  formulaValues,
  LabelTableBuilder,
  scoreFormulas,
  searchFormulas,
  topRegion,
  type MapLike,
} from '../../../tools/analysis/compositional/index.ts';
import { dissectUnit } from '../../../tools/analysis/netdissect.ts';
import { parsePhrase } from '../../../stimuli/phrase.ts';
import { renderScene, type RenderedScene } from '../../../stimuli/render.ts';
import { evaluateFormula, parseFormula } from '../../../subjects/synthetic/index.ts';

/** Scenes chosen so every operator has cases that hold and cases that do not. */
const PHRASES = [
  'a dog on grass',
  'a dog on sand',
  'a dog on the left and a ball on the right',
  'a ball on the left and a dog on the right',
  'a red circle and a blue square on a plain white background',
  'a blue circle on a plain gray background',
  'a cup and a handle on a plain white background',
  'a cup on a plain white background',
  'a handle on grass',
  'a bird at the top and a dog at the bottom on sand',
  'two dogs on a beach',
  'the word "stop" on a plain white background',
  'a red ball in the sky',
  'a snake on grass',
];

/** A map's maximum (its scene's scalar activation). */
function peak(map: MapLike): number {
  return Math.max(0, ...Array.from(map.map));
}

async function renderAll(): Promise<RenderedScene[]> {
  return Promise.all(PHRASES.map((phrase, i) => renderScene(parsePhrase(phrase, { seed: i + 1 }))));
}

function tableOf(scenes: RenderedScene[], unit: (scene: RenderedScene) => MapLike, topFraction = 0.05) {
  const comparison = { width: 56, height: 56 };
  return topRegion(
    scenes.map((s) => peak(unit(s))),
    async (indices) => indices.map((i) => unit(scenes[i] as RenderedScene)),
    { topFraction, ...comparison, batch: 2 },
  ).then((region) => {
    const builder = new LabelTableBuilder(comparison, 14);
    scenes.forEach((scene, i) =>
      builder.add(
        { ...scene.labels, width: scene.image.width, height: scene.image.height },
        region.masks.get(i),
      ),
    );
    const values = scenes.map((s) => peak(unit(s)));
    return { region, table: builder.finish(values) };
  });
}

/** A unit that is exactly a formula: its pooled 14×14 map. */
function formulaUnit(formula: string): (scene: RenderedScene) => MapLike {
  const cache = new Map<RenderedScene, MapLike>();
  return (scene) => {
    let map = cache.get(scene);
    if (!map) {
      const a = evaluateFormula(formula, scene);
      map = { map: a.pooled, width: a.grid, height: a.grid };
      cache.set(scene, map);
    }
    return map;
  };
}

describe('compositional formula values', () => {
  it('equal the concept language evaluator on every scene, for every operator the search uses', async () => {
    const scenes = await renderAll();
    const { table } = await tableOf(scenes, formulaUnit('dog'));
    const formulas = [
      'dog',
      'dog OR ball',
      'red & circle',
      'dog AND grass',
      'dog AND NOT grass',
      'left(dog)',
      'bottom(dog) OR top(bird)',
      'cup AND handle',
      'word("stop")',
      'text',
      '(dog OR bird) AND NOT sand',
      'sky',
    ];
    for (const text of formulas) {
      const values = formulaValues(table, parseFormula(text));
      expect(values, text).toBeDefined();
      const truth = scenes.map((scene) => evaluateFormula(text, scene).value);
      truth.forEach((value, s) => expect(values?.[s], `${text} on '${PHRASES[s]}'`).toBeCloseTo(value, 5));
    }
    // Operators outside the search's language are reported as such, not scored wrongly.
    expect(formulaValues(table, parseFormula('large(dog)'))).toBeUndefined();
    expect(formulaValues(table, parseFormula('dog AND (ball OR cup)'))).toBeUndefined();
  });

  it('gives NetDissect’s numbers for every concept, and its IoU for single-concept formulas', async () => {
    const scenes = await renderAll();
    const unit = formulaUnit('dog OR red');
    const { table, region } = await tableOf(scenes, unit);
    const direct = dissectUnit(
      scenes.map((scene) => {
        const map = unit(scene);
        return {
          map: map.map,
          mapWidth: map.width,
          mapHeight: map.height,
          width: scene.image.width,
          height: scene.image.height,
          labels: scene.labels.labels,
          labelConcepts: scene.labels.labelConcepts,
        };
      }),
      { topFraction: 0.05 },
    );
    expect(region.threshold).toBeCloseTo(direct.threshold, 6);
    expect(conceptOverlaps(table)).toEqual(direct.concepts);
    const names = ['dog', 'red', 'grass', 'animal', 'circle'];
    const scores = scoreFormulas(
      table,
      names.map((n) => parseFormula(n)),
    );
    names.forEach((name, i) => {
      const expected = direct.concepts.find((c) => c.concept === name)?.iou ?? 0;
      expect(scores[i]?.iou, name).toBeCloseTo(expected, 9);
    });
  });
});

describe('topRegion', () => {
  it('finds NetDissect’s threshold from the maps of only the scenes that can reach it', async () => {
    // 200 scenes of 4×4 maps: 10 "hot" scenes with values up to 1, the rest below 0.2.
    const maps: MapLike[] = Array.from({ length: 200 }, (_, s) => ({
      width: 4,
      height: 4,
      map: Float32Array.from({ length: 16 }, (_, p) =>
        s % 20 === 0 ? 0.5 + ((p * 7 + s) % 16) / 32 : ((p + s) % 10) / 50,
      ),
    }));
    const bounds = maps.map(peak);
    const asked: number[] = [];
    const region = await topRegion(
      bounds,
      async (indices) => {
        asked.push(...indices);
        return indices.map((i) => maps[i] as MapLike);
      },
      { topFraction: 0.01, width: 8, height: 8, batch: 8 },
    );
    const everything = dissectUnit(
      maps.map((m) => ({
        map: m.map,
        mapWidth: 4,
        mapHeight: 4,
        width: 8,
        height: 8,
        labels: new Uint8Array(64),
        labelConcepts: [['x']],
      })),
      { topFraction: 0.01, resolutionPixels: 64 },
    );
    expect(region.threshold).toBeCloseTo(everything.threshold, 6);
    expect(region.activeFraction).toBeCloseTo(everything.activeFraction, 9);
    expect(asked.length).toBeLessThan(40);
  });

  it('visits every scene when no scene can be ruled out, and keeps ties as NetDissect does', async () => {
    const maps: MapLike[] = Array.from({ length: 30 }, () => ({
      width: 2,
      height: 2,
      map: new Float32Array(4),
    }));
    maps[3] = { width: 2, height: 2, map: Float32Array.from([1, 0, 0, 0]) };
    const asked: number[] = [];
    const region = await topRegion(
      maps.map(peak),
      async (indices) => {
        asked.push(...indices);
        return indices.map((i) => maps[i] as MapLike);
      },
      { topFraction: 0.2, width: 4, height: 4, batch: 7 },
    );
    // The top 20% reaches into the zeros, the minimum: only values strictly above it count.
    expect(region.threshold).toBe(0);
    expect(asked.length).toBe(30);
    expect([...region.masks.keys()]).toEqual([3]);
  });
});

describe('searchFormulas', () => {
  const cases: [string, string][] = [
    ['dog OR ball', 'OR'],
    ['cup AND handle', 'AND gate'],
    ['dog AND NOT grass', 'negation'],
    ['red & circle', 'both at once'],
    ['left(dog)', 'a half'],
  ];
  it.each(cases)('recovers %s (%s)', async (truth) => {
    const scenes = await renderAll();
    const { table } = await tableOf(scenes, formulaUnit(truth), 0.02);
    const result = searchFormulas(table, { objective: 'r', topK: 5 });
    const best = result.formulas[0];
    expect(best?.r).toBeGreaterThan(0.99);
    // Equal on these scenes as the truth is: the formula found explains the unit exactly.
    const truthScore = scoreFormulas(table, [parseFormula(truth)])[0];
    expect(best?.r).toBeGreaterThanOrEqual((truthScore?.r ?? 1) - 1e-3);
    expect(best?.length).toBeLessThanOrEqual(parseFormula(truth).op === 'half' ? 1 : 2);
  });

  it('reports the best single concepts and never an empty explanation for a silent unit', async () => {
    const scenes = await renderAll();
    const { table } = await tableOf(scenes, formulaUnit('zebra'));
    const result = searchFormulas(table, {});
    expect(result.formulas).toEqual([]);
    expect(table.activeTotal).toBe(0);
  });
});
