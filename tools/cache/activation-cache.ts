import { join } from 'node:path';
import type { ProbeSet } from '../../stimuli/probeset.ts';
import { log } from '../../util/log.ts';
import { OnnxProbe, ONNX_BATCH } from '../probe/onnx-probe.ts';
import { resolveProbeSite } from '../probe/sites.ts';
import { SyntheticProbe } from '../probe/synthetic-probe.ts';
import type { Probe, SiteBatchStats } from '../probe/types.ts';
import { readCacheFile, writeCacheFile, type CachedActivations } from './cache-file.ts';
import { probeSetAnnotatedScenes, probeSetScenes } from './probe-scenes.ts';

/**
 * Activations of a site over a probe set, computed once and kept on disk (cache-file.ts), keyed by
 * subject hash, site and probe-set id. What dataset exemplars, unit statistics and mean ablation read.
 *
 * Computing: an ONNX probe runs the set's images in batches of ONNX_BATCH, each run reading the site
 * and reduced at once to per-unit maxima and sums; a synthetic probe evaluates its units on the set's
 * scenes (it needs their masks, not pixels).
 */

export interface SiteActivations extends CachedActivations {
  /** Whether this came from the disk cache (false: computed now). */
  fromCache: boolean;
}

export type ProgressFn = (done: number, total: number) => void;

/** Scenes per synthetic batch: masks are materialised per batch, so memory stays bounded. */
const SYNTHETIC_BATCH = 50;

export class ActivationCache {
  private readonly memo = new Map<string, Promise<SiteActivations>>();

  constructor(readonly dir: string) {}

  /** Where a site's activations over a probe set are stored. */
  path(subjectHash: string, probeSetId: string, site: string): string {
    return join(this.dir, subjectHash.slice(0, 16), probeSetId, `${encodeURIComponent(site)}.bin`);
  }

  /**
   * The site's activations over the probe set: from memory, else from disk, else computed and stored.
   * A corrupt or mismatched file is logged and rebuilt.
   */
  async get(
    probe: Probe,
    set: ProbeSet,
    siteName: string,
    onProgress?: ProgressFn,
  ): Promise<SiteActivations> {
    const site = resolveProbeSite(probe, siteName).name;
    const path = this.path(probe.hash, set.id, site);
    let pending = this.memo.get(path);
    if (!pending) {
      pending = this.load(probe, set, site, path, onProgress);
      this.memo.set(path, pending);
      pending.catch(() => this.memo.delete(path));
    }
    return pending;
  }

  /**
   * Activations of many sites over the probe set, as `get` gives each: sites already in memory or on
   * disk are read back, and the rest are computed together in one pass over the set (one forward
   * pass per batch for all of them, pooled inside the graph for ONNX subjects).
   */
  async getMany(
    probe: Probe,
    set: ProbeSet,
    siteNames: readonly string[],
    onProgress?: ProgressFn,
  ): Promise<SiteActivations[]> {
    const sites = [...new Set(siteNames.map((name) => resolveProbeSite(probe, name).name))];
    const missing: string[] = [];
    for (const site of sites) {
      const path = this.path(probe.hash, set.id, site);
      if (this.memo.has(path)) continue;
      const stored = readCacheFile(path, { subjectHash: probe.hash, site, probeSetId: set.id });
      if (stored.ok && stored.record.n === set.n) {
        this.memo.set(path, Promise.resolve({ ...stored.record, fromCache: true }));
      } else missing.push(site);
    }
    if (missing.length > 0) {
      const computing = computeManySiteActivations(probe, set, missing, onProgress);
      missing.forEach((site, k) => {
        const path = this.path(probe.hash, set.id, site);
        const pending = computing.then((records) => {
          const record = records[k] as CachedActivations;
          writeCacheFile(path, record);
          return { ...record, fromCache: false };
        });
        this.memo.set(path, pending);
        pending.catch(() => this.memo.delete(path));
      });
    }
    return Promise.all(siteNames.map((name) => this.get(probe, set, name)));
  }

  private async load(
    probe: Probe,
    set: ProbeSet,
    site: string,
    path: string,
    onProgress?: ProgressFn,
  ): Promise<SiteActivations> {
    const key = { subjectHash: probe.hash, site, probeSetId: set.id };
    const stored = readCacheFile(path, key);
    if (stored.ok && stored.record.n === set.n) return { ...stored.record, fromCache: true };
    if (!stored.ok && stored.reason !== 'missing') {
      log.warn({ path, reason: stored.reason }, 'activation cache file unusable; rebuilding it');
    }
    const record = await computeSiteActivations(probe, set, site, onProgress);
    writeCacheFile(path, record);
    return { ...record, fromCache: false };
  }
}

/** Compute a site's activations over a whole probe set (no cache). */
export async function computeSiteActivations(
  probe: Probe,
  set: ProbeSet,
  siteName: string,
  onProgress?: ProgressFn,
): Promise<CachedActivations> {
  return (await computeManySiteActivations(probe, set, [siteName], onProgress))[0] as CachedActivations;
}

/**
 * Compute several sites' activations over a whole probe set (no cache). An ONNX probe runs each
 * batch once for all the sites (pooled inside the graph when the scenes fill the input); other probes
 * compute site by site.
 */
export async function computeManySiteActivations(
  probe: Probe,
  set: ProbeSet,
  siteNames: readonly string[],
  onProgress?: ProgressFn,
): Promise<CachedActivations[]> {
  const accumulators = siteNames.map((name) => new SiteAccumulator(probe, set, name));
  const n = set.n;
  const ranges = batches(n, probe instanceof SyntheticProbe ? SYNTHETIC_BATCH : ONNX_BATCH);

  if (probe instanceof OnnxProbe) {
    // Batch by batch, inflating on this thread. No pipelining: onnxruntime-node runs inference on the
    // main thread (its async run() is a synchronous call behind setImmediate), so nothing else can run
    // here meanwhile, and inflating on the libuv pool instead measured slower on 2 cores, its threads
    // competing with onnxruntime's.
    const names = accumulators.map((a) => a.site);
    for (const range of ranges) {
      const images = range.map((i) => set.image(i));
      const stats = await probe.batchStatsMany(images, names);
      accumulators.forEach((a, k) => a.accept(range[0] ?? 0, stats[k] as SiteBatchStats));
      onProgress?.(Math.min(n, (range[0] ?? 0) + range.length), n);
    }
  } else {
    for (const [k, accumulator] of accumulators.entries()) {
      for (const range of ranges) {
        const stats =
          probe instanceof SyntheticProbe
            ? probe.sceneStats(probeSetAnnotatedScenes(set, range), accumulator.site)
            : await genericStats(probe, await probeSetScenes(set, range), accumulator.site);
        accumulator.accept(range[0] ?? 0, stats);
        const done = Math.min(n, (range[0] ?? 0) + range.length);
        onProgress?.(Math.round((k * n + done) / accumulators.length), n);
      }
    }
  }
  return accumulators.map((a) => a.record());
}

/** One site's values and sums, filled batch by batch. */
class SiteAccumulator {
  readonly site: string;
  private readonly units: number;
  private readonly values: Float32Array;
  private readonly sums: Float64Array;
  private positions = 0;

  constructor(
    private readonly probe: Probe,
    private readonly set: ProbeSet,
    siteName: string,
  ) {
    const site = resolveProbeSite(probe, siteName);
    this.site = site.name;
    this.units = site.units;
    this.values = new Float32Array(set.n * site.units);
    this.sums = new Float64Array(site.units);
  }

  accept(start: number, stats: SiteBatchStats): void {
    this.values.set(stats.values, start * this.units);
    stats.sums.forEach((s, u) => (this.sums[u] = (this.sums[u] ?? 0) + s));
    this.positions = stats.positions;
  }

  record(): CachedActivations {
    const { n } = this.set;
    return {
      subjectHash: this.probe.hash,
      site: this.site,
      probeSetId: this.set.id,
      n,
      units: this.units,
      positions: this.positions,
      values: this.values,
      means: Float32Array.from(this.sums, (s) => s / Math.max(1, n * this.positions)),
    };
  }
}

/** Any other probe: values from sceneValues, sums from unitMeans (two passes). */
async function genericStats(
  probe: Probe,
  scenes: Parameters<Probe['sceneValues']>[0],
  site: string,
): Promise<SiteBatchStats> {
  const values = await probe.sceneValues(scenes, site);
  const means = await probe.unitMeans(scenes, site);
  return { values, sums: Float64Array.from(means, (m) => m * scenes.length), positions: 1 };
}

function batches(n: number, size: number): number[][] {
  const out: number[][] = [];
  for (let start = 0; start < n; start += size) {
    out.push(Array.from({ length: Math.min(size, n - start) }, (_, k) => start + k));
  }
  return out;
}
