import { renderScene, type RenderedScene } from '../../stimuli/render.ts';
import type { SceneSpec } from '../../stimuli/spec.ts';
import type { Probe, UnitAddress } from '../probe/types.ts';
import { unitColumn } from '../common/unit-activations.ts';

/**
 * A unit's activation on scene specs: each spec rendered with its exact masks (so synthetic units
 * can read it and every result can say what it held), then run through the probe in one call.
 */

/** Render specs and return the scenes with the unit's activation on each. */
export async function scoreSpecs(
  probe: Probe,
  unit: UnitAddress,
  specs: readonly SceneSpec[],
): Promise<{ scenes: RenderedScene[]; activations: Float32Array }> {
  const scenes = await Promise.all(specs.map((spec) => renderScene(spec)));
  const site = probe.sites().find((s) => s.name === unit.site);
  const units = site?.units ?? 1;
  const values = await probe.sceneValues(scenes, unit.site);
  return { scenes, activations: unitColumn(values, units, unit.index) };
}

/** A scorer for the search: activations only (scenes dropped at once, they hold every mask). */
export function specScorer(probe: Probe, unit: UnitAddress) {
  return async (specs: readonly SceneSpec[]): Promise<Float32Array> =>
    (await scoreSpecs(probe, unit, specs)).activations;
}
