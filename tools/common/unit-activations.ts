/** Ranking probe-set scenes by one unit's cached activations. */
import type { ToolContext } from '../context.ts';
import type { UnitAddress } from '../probe/types.ts';

/** The unit's activation on every probe-set scene, from the activation cache. */
export async function unitActivations(ctx: ToolContext, unit: UnitAddress): Promise<Float32Array> {
  const activations = await ctx.activations(unit.site);
  return unitColumn(activations.values, activations.units, unit.index);
}

/** Unit `index`'s column of an N × units row-major matrix. */
export function unitColumn(values: Float32Array, units: number, index: number): Float32Array {
  const n = values.length / units;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = values[i * units + index] ?? 0;
  return out;
}

export interface ColumnStats {
  mean: number;
  max: number;
  min: number;
  std: number;
}

export function columnStats(values: Float32Array): ColumnStats {
  let sum = 0;
  let sq = 0;
  let max = -Infinity;
  let min = Infinity;
  for (const v of values) {
    sum += v;
    sq += v * v;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  const n = Math.max(1, values.length);
  const mean = sum / n;
  return { mean, max, min, std: Math.sqrt(Math.max(0, sq / n - mean * mean)) };
}

/**
 * The k highest and `bottom` lowest scenes (indices), highest first and lowest first; ties broken by
 * the lower index so results are deterministic. The two lists never share a scene. A single pass
 * keeping short sorted lists (k ≤ a dozen), so a 5,000-scene set costs no full sort.
 */
export function rankScenes(
  values: Float32Array,
  k: number,
  bottom: number,
): { top: number[]; bottom: number[]; stats: ColumnStats } {
  const higher = (a: number, b: number) =>
    (values[a] ?? 0) > (values[b] ?? 0) || ((values[a] ?? 0) === (values[b] ?? 0) && a < b);
  const lower = (a: number, b: number) =>
    (values[a] ?? 0) < (values[b] ?? 0) || ((values[a] ?? 0) === (values[b] ?? 0) && a < b);
  const top = keepBest(values.length, Math.min(k, values.length), higher);
  const taken = new Set(top);
  const low = keepBest(values.length, Math.min(bottom, values.length - top.length), lower, taken);
  return { top, bottom: low, stats: columnStats(values) };
}

/** The `count` best indices of 0..n-1 by `better`, best first, skipping `exclude`. */
function keepBest(
  n: number,
  count: number,
  better: (a: number, b: number) => boolean,
  exclude?: ReadonlySet<number>,
): number[] {
  const kept: number[] = [];
  if (count <= 0) return kept;
  for (let i = 0; i < n; i++) {
    if (exclude?.has(i)) continue;
    const last = kept[kept.length - 1];
    if (kept.length === count && last !== undefined && !better(i, last)) continue;
    let at = kept.length;
    while (at > 0 && better(i, kept[at - 1] as number)) at--;
    kept.splice(at, 0, i);
    if (kept.length > count) kept.pop();
  }
  return kept;
}
