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
  const site = resolveProbeSite(probe, siteName);
  const n = set.n;
  const values = new Float32Array(n * site.units);
  const sums = new Float64Array(site.units);
  let positions = 0;
  const accept = (start: number, stats: SiteBatchStats) => {
    values.set(stats.values, start * site.units);
    stats.sums.forEach((s, u) => (sums[u] = (sums[u] ?? 0) + s));
    positions = stats.positions;
    onProgress?.(Math.min(n, start + stats.values.length / site.units), n);
  };
  const ranges = batches(n, probe instanceof SyntheticProbe ? SYNTHETIC_BATCH : ONNX_BATCH);

  if (probe instanceof OnnxProbe) {
    // Batch by batch, inflating on this thread. No pipelining: onnxruntime-node runs inference on the
    // main thread (its async run() is a synchronous call behind setImmediate), so nothing else can run
    // here meanwhile, and inflating on the libuv pool instead measured slower on 2 cores, its threads
    // competing with onnxruntime's.
    for (const range of ranges) {
      const images = range.map((i) => set.image(i));
      accept(range[0] ?? 0, await probe.batchStats(images, site.name));
    }
  } else if (probe instanceof SyntheticProbe) {
    for (const range of ranges) {
      accept(range[0] ?? 0, probe.sceneStats(probeSetAnnotatedScenes(set, range), site.name));
    }
  } else {
    for (const range of ranges) {
      accept(range[0] ?? 0, await genericStats(probe, await probeSetScenes(set, range), site.name));
    }
  }
  const means = Float32Array.from(sums, (s) => s / Math.max(1, n * positions));
  return {
    subjectHash: probe.hash,
    site: site.name,
    probeSetId: set.id,
    n,
    units: site.units,
    positions,
    values,
    means,
  };
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
