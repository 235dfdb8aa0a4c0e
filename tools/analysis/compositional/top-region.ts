import { InputError } from '../../../util/errors.ts';
import { linearAxis, sampleBilinear, type AxisSamples } from '../../saliency/resize.ts';
import { valueAtTopFraction } from '../quantile.ts';

// The unit's top region M, computed from as few maps as the threshold allows.

export interface MapLike {
  map: ArrayLike<number>;
  width: number;
  height: number;
}

export interface TopRegionOptions {
  /** Share of all map values above the threshold (NetDissect: 0.005). */
  topFraction: number;
  /** The comparison grid every map is upsampled to. */
  width: number;
  height: number;
  /** Scenes whose maps are asked for at a time. */
  batch?: number;
  /**
   * A level the unit rests at on most scenes (restingFloor): when the top fraction's threshold falls
   * at or below it, only values strictly above it are in M.
   */
  floor?: number;
}

/**
 * The level a unit with a noisy floor rests at, from its per-scene maxima, or undefined when it has
 * none: when the median scene already reaches a level, nine scenes in ten stay within 1.5× of it, and the
 * largest maximum is more than twice it, the median is noise at rest and firing is what lies clearly
 * above it. The returned level is halfway
 * between the median and the largest maximum. A rare concept covers less than 0.5% of all map values,
 * so without this NetDissect's top-0.5% threshold lands inside the resting noise and M is mostly noise
 * (the right concept at IoU 0.008, issue 15).
 */
export function restingFloor(maxima: ArrayLike<number>): number | undefined {
  const sorted = Float64Array.from(maxima).sort();
  if (sorted.length === 0) return undefined;
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  const high = sorted[Math.floor(sorted.length * 0.9)] as number;
  const max = sorted[sorted.length - 1] as number;
  if (!(median > 0) || !(max > 2 * median)) return undefined;
  // A floor is flat: nine scenes in ten rest near the median. A real unit whose maxima spread widely
  // (most conv units) has no floor, and keeps NetDissect's own threshold.
  if (high > 1.5 * median) return undefined;
  return (median + max) / 2;
}

export interface TopRegion {
  threshold: number;
  topFraction: number;
  /** Σ|M| in comparison pixels, and its share of all comparison pixels. */
  activeTotal: number;
  activeFraction: number;
  /** M per scene that has any of it (comparison grid, row-major, 0/1). */
  masks: Map<number, Uint8Array>;
  /** Scenes whose maps were computed. */
  mapped: number;
  /** The side of the first map seen (a synthetic unit's grid). */
  mapSize: { width: number; height: number } | undefined;
  /** The resting floor the threshold was raised to, when the top fraction fell inside it. */
  floor?: number;
}

/** A Float32Array that grows as values are pushed, and can be filtered in place. */
class GrowingArray {
  private data = new Float32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  keep(test: (value: number) => boolean): void {
    let kept = 0;
    for (let i = 0; i < this.length; i++) {
      const v = this.data[i] as number;
      if (test(v)) this.data[kept++] = v;
    }
    this.length = kept;
  }

  view(): Float32Array {
    return this.data.subarray(0, this.length);
  }
}

/**
 * The unit's top region over `bounds.length` scenes. `bounds[i]` must be at least every value of scene
 * i's map (its scalar activation, the map's maximum, is); `loadMaps` gives the maps of some scenes.
 * The threshold and M are exactly NetDissect's over all scenes: a scene is skipped only when its bound
 * lies below the threshold found without it, so none of its values could be in the top fraction.
 */
export async function topRegion(
  bounds: ArrayLike<number>,
  loadMaps: (indices: number[]) => Promise<MapLike[]>,
  options: TopRegionOptions,
): Promise<TopRegion> {
  const { topFraction, width, height } = options;
  if (!(topFraction > 0 && topFraction < 1))
    throw new InputError(`topFraction must be in (0, 1) (e.g. 0.005 for the top 0.5%), got ${topFraction}`);
  const n = bounds.length;
  if (n === 0) throw new InputError('a top region needs at least one scene');
  const pixels = width * height;
  const k = Math.min(n * pixels, Math.max(1, Math.round(topFraction * n * pixels)));
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (bounds[b] as number) - (bounds[a] as number) || a - b,
  );
  const batch = options.batch ?? 64;
  const values = new Map<number, Float32Array>();
  const axes = new Map<string, { rows: AxisSamples; columns: AxisSamples }>();
  let mapSize: TopRegion['mapSize'];
  // The threshold never falls as scenes are added, so values below the last one can never be in the
  // top k again: only the values at or above it are kept to select from (about k of them).
  const pool = new GrowingArray();
  let floor = -Infinity;
  let seen = 0;
  let minimum = Infinity;
  let threshold = Number.NaN;
  let next = 0;
  while (next < n) {
    const indices = order.slice(next, next + batch);
    next += indices.length;
    const maps = await loadMaps(indices);
    indices.forEach((scene, j) => {
      const map = maps[j];
      if (!map) throw new Error(`no map came back for scene ${scene}`);
      mapSize ??= { width: map.width, height: map.height };
      const key = `${map.width}x${map.height}`;
      let axis = axes.get(key);
      if (!axis) {
        axis = { rows: linearAxis(map.height, height), columns: linearAxis(map.width, width) };
        axes.set(key, axis);
      }
      const out = sampleBilinear(map.map, map.width, axis.rows, axis.columns, new Float32Array(pixels));
      for (let p = 0; p < pixels; p++) {
        const v = out[p] as number;
        if (!Number.isFinite(v)) throw new InputError(`unit map has a non-finite value (${v})`);
        if (v < minimum) minimum = v;
        if (v >= floor) pool.push(v);
      }
      values.set(scene, out);
    });
    seen += indices.length * pixels;
    if (seen < k) continue;
    threshold = valueAtTopFraction(pool.view(), k / pool.length);
    floor = threshold;
    pool.keep((v) => v >= floor);
    const bound = next < n ? (bounds[order[next] as number] as number) : -Infinity;
    const cut = Math.max(threshold, options.floor ?? -Infinity);
    // A small margin: bilinear blends may round a hair above the map's own maximum.
    if (bound < cut - 1e-6 * Math.max(1, Math.abs(cut))) break;
  }
  if (Number.isNaN(threshold)) threshold = valueAtTopFraction(pool.view(), k / pool.length);
  const raised = options.floor !== undefined && threshold <= options.floor;
  if (raised) threshold = options.floor as number;
  // As NetDissect: values tied at the threshold are in M, unless the threshold is the minimum of all
  // values (a mostly silent unit), when only values strictly above count. Skipped scenes lie below the
  // threshold, so it can be the minimum only when every scene was visited.
  const strict = raised || (next >= n && !(threshold > minimum));
  const masks = new Map<number, Uint8Array>();
  let activeTotal = 0;
  for (const [scene, v] of values) {
    const mask = new Uint8Array(pixels);
    let any = 0;
    for (let p = 0; p < pixels; p++) {
      const on = strict ? (v[p] as number) > threshold : (v[p] as number) >= threshold;
      if (on) {
        mask[p] = 1;
        any++;
      }
    }
    if (any > 0) masks.set(scene, mask);
    activeTotal += any;
  }
  return {
    threshold,
    topFraction,
    activeTotal,
    activeFraction: activeTotal / (n * pixels),
    masks,
    mapped: values.size,
    mapSize,
    ...(raised ? { floor: threshold } : {}),
  };
}
