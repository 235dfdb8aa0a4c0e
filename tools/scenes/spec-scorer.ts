import { renderScene, type RenderedScene } from '../../stimuli/render.ts';
import type { SceneSpec } from '../../stimuli/spec.ts';
import type { Probe, UnitAddress } from '../probe/types.ts';
import { SyntheticProbe } from '../probe/synthetic-probe.ts';
import { unitColumn } from '../common/unit-activations.ts';
import { blindSpecTest } from './blind-specs.ts';

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

/**
 * A scorer for the search: activations only (scenes dropped at once, they hold every mask). For a
 * synthetic unit, specs it is surely blind to are not rendered (blind-specs.ts): the first of each
 * scene size is, and its value stands for the rest, which is what rendering them would give.
 */
export function specScorer(probe: Probe, unit: UnitAddress) {
  const synthetic = probe instanceof SyntheticProbe ? probe.units[unit.index] : undefined;
  const blind = synthetic ? blindSpecTest(synthetic) : undefined;
  const blindValues = new Map<string, number>();
  return async (specs: readonly SceneSpec[]): Promise<Float32Array> => {
    if (!blind) return (await scoreSpecs(probe, unit, specs)).activations;
    const out = new Float32Array(specs.length);
    const rendered: number[] = [];
    const learning = new Set<string>();
    specs.forEach((spec, k) => {
      const size = `${spec.width}x${spec.height}`;
      if (!blind(spec) || (!blindValues.has(size) && !learning.has(size))) {
        if (blind(spec)) learning.add(size);
        rendered.push(k);
      }
    });
    const { activations } = await scoreSpecs(
      probe,
      unit,
      rendered.map((k) => specs[k] as SceneSpec),
    );
    rendered.forEach((k, j) => {
      out[k] = activations[j] ?? Number.NaN;
      const spec = specs[k] as SceneSpec;
      const size = `${spec.width}x${spec.height}`;
      if (learning.has(size) && blind(spec)) blindValues.set(size, out[k] as number);
    });
    specs.forEach((spec, k) => {
      if (!rendered.includes(k)) out[k] = blindValues.get(`${spec.width}x${spec.height}`) ?? Number.NaN;
    });
    return out;
  };
}
