import type { RenderedScene } from '../../stimuli/render.ts';
import {
  summarizeOutputEffects,
  summarizeTextChanges,
  summarizeUnitChange,
  type OutputEffects,
  type TextChanges,
  type UnitChange,
} from './index.ts';
import type { OutputScores, Probe, UnitAddress, UnitEdit } from '../probe/types.ts';
import { unitLabel } from './unit-edits.ts';

/**
 * One measurement of the subject on a fixed list of scenes: its outputs and the watched units'
 * values (UnitMap.value: the max of each map). Measured once without edits (the baseline) and once per
 * intervention, then compared; a sweep reuses the baseline.
 */
export interface Measurement {
  outputs: OutputScores;
  /** [watched unit][scene] */
  watched: number[][];
}

export async function measure(
  probe: Probe,
  scenes: readonly RenderedScene[],
  watch: readonly UnitAddress[],
  edits: readonly UnitEdit[] = [],
): Promise<Measurement> {
  const outputs = await probe.outputs(scenes, edits);
  const maps = watch.length > 0 ? await probe.unitMaps(scenes, watch, edits) : [];
  return { outputs, watched: maps.map((perScene) => perScene.map((m) => m.value)) };
}

export interface InterventionEffect {
  effects: OutputEffects;
  watched: UnitChange[];
  /** For a text recogniser: how the decoded text changed (absent for other subjects). */
  text?: TextChanges;
}

export function compareMeasurements(
  probe: Probe,
  watch: readonly UnitAddress[],
  before: Measurement,
  after: Measurement,
): InterventionEffect {
  const textBefore = before.outputs.text;
  const textAfter = after.outputs.text;
  return {
    effects: summarizeOutputEffects(before.outputs, after.outputs),
    ...(textBefore && textAfter ? { text: summarizeTextChanges(textBefore, textAfter) } : {}),
    watched: watch.map((unit, w) =>
      summarizeUnitChange(unitLabel(probe, unit), before.watched[w] ?? [], after.watched[w] ?? []),
    ),
  };
}
