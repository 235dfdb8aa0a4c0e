import type { ToolContext } from '../context.ts';
import type { UnitAddress } from '../probe/types.ts';

/**
 * A unit's typical activation over the subject's probe set: mean and standard deviation of its
 * per-image value (the max of its map, as every tool reports activations), read from the activation
 * cache. Steering "by k standard deviations" uses these, so a dose means the same thing for a unit
 * that fires at 0.1 and one that fires at 10.
 */
export interface UnitStats {
  unit: UnitAddress;
  mean: number;
  std: number;
  /** Probe-set scenes the statistics are over. */
  n: number;
}

export async function unitStats(ctx: ToolContext, units: readonly UnitAddress[]): Promise<UnitStats[]> {
  const out: UnitStats[] = [];
  for (const unit of units) {
    const activations = await ctx.activations(unit.site);
    const { n, units: width, values } = activations;
    let sum = 0;
    for (let s = 0; s < n; s++) sum += values[s * width + unit.index] ?? 0;
    const mean = n > 0 ? sum / n : 0;
    let squares = 0;
    for (let s = 0; s < n; s++) squares += ((values[s * width + unit.index] ?? 0) - mean) ** 2;
    // Population std: the probe set is the whole reference distribution, not a sample of one.
    out.push({ unit, mean, std: n > 0 ? Math.sqrt(squares / n) : 0, n });
  }
  return out;
}
