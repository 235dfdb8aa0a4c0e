import { pearson } from '../metrics/correlation.ts';
import { columnStats } from '../common/unit-activations.ts';

/**
 * Comparing two units over the same scenes, from their activations alone (pure, so tests check every
 * number by hand): how they co-vary, where one is high and the other is not, and which units of a site
 * are near duplicates of one. Activations differ in scale between units, so "a beats b" is measured on
 * each unit's z-score over the scenes: a scene where a is two standard deviations above its mean and b
 * is at its mean is where a, not b, responds.
 */

/** |r| at or above which two units of one site are called near duplicates. */
export const NEAR_DUPLICATE_R = 0.95;

/** A scene where one unit responds more than the other, in standard deviations of each unit. */
export interface Divergence {
  scene: number;
  a: number;
  b: number;
  /** z(a) − z(b) on this scene. */
  zGap: number;
}

export interface UnitComparison {
  /** Pearson r of the two units over the scenes (0 when either is constant). */
  r: number;
  /** Scenes where a responds most above b (zGap largest first). */
  aOverB: Divergence[];
  /** Scenes where b responds most above a (zGap most negative first). */
  bOverA: Divergence[];
  /** Share of the scenes where both are above their own means: how often they respond together. */
  bothHigh: number;
}

/** z-scores over the scenes (all 0 for a constant unit: it beats nothing and nothing beats it). */
export function zScores(values: ArrayLike<number>): Float64Array {
  const column = Float32Array.from(values as ArrayLike<number>);
  const { mean, std } = columnStats(column);
  const out = new Float64Array(column.length);
  if (!(std > 0)) return out;
  for (let i = 0; i < column.length; i++) out[i] = ((column[i] ?? 0) - mean) / std;
  return out;
}

export function compareUnits(a: ArrayLike<number>, b: ArrayLike<number>, k: number): UnitComparison {
  if (a.length !== b.length)
    throw new RangeError(`cannot compare units over ${a.length} and ${b.length} scenes`);
  const za = zScores(a);
  const zb = zScores(b);
  const rows: Divergence[] = Array.from({ length: a.length }, (_, scene) => ({
    scene,
    a: a[scene] ?? 0,
    b: b[scene] ?? 0,
    zGap: (za[scene] ?? 0) - (zb[scene] ?? 0),
  }));
  // Ties keep the lower scene index first, so the lists are deterministic.
  const byGap = [...rows].sort((x, y) => y.zGap - x.zGap || x.scene - y.scene);
  const aOverB = byGap.filter((d) => d.zGap > 0).slice(0, k);
  const bOverA = [...rows]
    .sort((x, y) => x.zGap - y.zGap || x.scene - y.scene)
    .filter((d) => d.zGap < 0)
    .slice(0, k);
  let both = 0;
  for (let i = 0; i < a.length; i++) if ((za[i] ?? 0) > 0 && (zb[i] ?? 0) > 0) both++;
  return { r: pearson(a, b), aOverB, bOverA, bothHigh: a.length > 0 ? both / a.length : 0 };
}

export interface Neighbour {
  index: number;
  r: number;
}

/**
 * The units of a site most correlated with unit `index` (by |r|, strongest first), from the site's
 * N × units row-major activations. Constant units correlate with nothing (r 0) and are left out.
 */
export function nearestUnits(values: Float32Array, units: number, index: number, top: number): Neighbour[] {
  const n = values.length / units;
  const column = (u: number) => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = values[i * units + u] ?? 0;
    return out;
  };
  const self = column(index);
  const out: Neighbour[] = [];
  for (let u = 0; u < units; u++) {
    if (u === index) continue;
    const r = pearson(self, column(u));
    if (r !== 0) out.push({ index: u, r });
  }
  return out.sort((x, y) => Math.abs(y.r) - Math.abs(x.r) || x.index - y.index).slice(0, top);
}
