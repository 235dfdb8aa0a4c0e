import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { readPlantedMetrics } from '../../benchmarks/suites/planted-cnn.ts';
import { BIAS_TEST, groupAccuracy, renderBiasScenes } from '../../scripts/organisms/background-bias.ts';
import {
  annotatedScene,
  PLANTED_SETS,
  PLANTED_SITE,
  PLANTED_SIZE,
} from '../../scripts/organisms/planted-cnn.ts';
import { measurePlantedUnit } from '../../scripts/organisms/planted-measure.ts';
import { biasTestScenes } from '../../stimuli/datasets/background-bias.ts';
import { imagesTensor } from '../../stimuli/datasets/scene-tensor.ts';
import { makeProbeSet } from '../../stimuli/probeset.ts';
import { loadSubject } from '../../subjects/load.ts';
import { evaluateFormula } from '../../subjects/synthetic/index.ts';
import { argmaxRows } from '../../subjects/trainer/evaluate.ts';
import { zooEntry } from '../../subjects/zoo.ts';

/**
 * The committed scene organisms do what their metrics say: the background-bias pair's per-group
 * accuracy on its held-out scenes, the biased model worse where the background misleads; and the
 * planted CNN's kept units still match their concepts on held-out probe scenes.
 */

function metricsOf<T>(name: string): T {
  const entry = zooEntry(name);
  if (!entry?.installed) throw new Error(`${name} is not in the zoo`);
  return JSON.parse(readFileSync(entry.manifestPath.replace('subject.json', 'metrics.json'), 'utf8')) as T;
}

describe('the background-bias pair', () => {
  it('matches its metrics.json per group, and only the biased model loses the unusual groups', async () => {
    const scenes = biasTestScenes({ ...BIAS_TEST, size: 32 });
    const { tensor } = await renderBiasScenes(scenes);
    const accuracy: Record<string, Record<string, number>> = {};
    for (const name of ['boats-biased', 'boats-balanced']) {
      const subject = await loadSubject(name);
      try {
        const out = await subject.run(new ort.Tensor('float32', tensor, [scenes.labels.length, 3, 32, 32]));
        accuracy[name] = groupAccuracy(scenes, argmaxRows(out.logits!.data as Float32Array, 2));
      } finally {
        await subject.dispose();
      }
      const recorded = metricsOf<{ accuracy: Record<string, number> }>(name).accuracy;
      for (const group of ['boat-water', 'boat-land', 'none-water', 'none-land'])
        expect(accuracy[name]![group], `${name} ${group}`).toBeCloseTo(recorded[group]!, 6);
    }
    const unusual = (name: string) => (accuracy[name]!['boat-land']! + accuracy[name]!['none-water']!) / 2;
    const usual = (name: string) => (accuracy[name]!['boat-water']! + accuracy[name]!['none-land']!) / 2;
    expect(usual('boats-biased')).toBeGreaterThan(0.95);
    expect(unusual('boats-biased')).toBeLessThan(unusual('boats-balanced') - 0.03);
    expect(unusual('boats-balanced')).toBeGreaterThan(0.95);
  }, 120_000);
});

describe('the planted CNN', () => {
  it('keeps only units that still match their concept on held-out scenes', async () => {
    const { units } = readPlantedMetrics();
    const kept = units.filter((u) => u.kept);
    expect(kept.length).toBeGreaterThan(0);
    const set = await makeProbeSet({
      seed: PLANTED_SETS.heldOut.seed,
      n: 300,
      size: PLANTED_SIZE,
      cacheDir: join(tmpdir(), 'aia-planted-cnn-test'),
      workers: 0,
    });
    const subject = await loadSubject('planted-cnn');
    try {
      const n = set.scenes.length;
      const images = await set.images(Array.from({ length: n }, (_, i) => i));
      const input = new ort.Tensor('float32', imagesTensor(images), [n, 3, PLANTED_SIZE, PLANTED_SIZE]);
      const maps = (await subject.read(input, [PLANTED_SITE])).sites[PLANTED_SITE]!;
      const channels = maps.dims[1]!;
      for (const unit of units) {
        const truth = Array.from({ length: n }, (_, i) =>
          evaluateFormula(unit.formula, annotatedScene(set, i), { grid: maps.dims[2]! }),
        );
        const measure = measurePlantedUnit({
          maps: maps.data as Float32Array,
          channels,
          channel: Number(unit.unit.split(':')[1]),
          grid: maps.dims[2]!,
          truth,
        });
        // Fewer scenes than the recipe measured on: close to its figure, and kept units well above chance.
        if (unit.kept) expect(measure.iou, unit.formula).toBeGreaterThan(0.25);
        expect(Math.abs(measure.iou - unit.iou), unit.formula).toBeLessThan(0.15);
      }
    } finally {
      await subject.dispose();
      set.close();
    }
  }, 120_000);
});
