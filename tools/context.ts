import { resolve, join } from 'node:path';
import type { LoadOptions } from '../subjects/index.ts';
import {
  makeProbeSet,
  MAX_PROBESET_SCENES,
  type ProbeSet,
  type ProbeSetDistribution,
} from '../stimuli/probeset.ts';
import type { RenderedScene } from '../stimuli/render.ts';
import { InputError } from '../util/errors.ts';
import { parseFormula, printFormula } from '../subjects/synthetic/index.ts';
import type { InvestigationContext } from './investigation/state.ts';
import { Progress } from '../util/progress.ts';
import { ActivationCache, type SiteActivations } from './cache/activation-cache.ts';
import { probeSetScenes } from './cache/probe-scenes.ts';
import { loadProbe } from './probe/load.ts';
import { OnnxProbe } from './probe/onnx-probe.ts';
import type { Probe } from './probe/types.ts';

/**
 * What every vision tool runs against: the probe (the subject), its default probe set (made or loaded
 * lazily, seeded), the activation cache over that set, and the investigation's running record of
 * hypotheses and answer (investigation/state.ts). One context per investigation; tools mutate only
 * `hypotheses` and `answer`.
 */

export type { AnswerRecord, HypothesisRecord, HypothesisStatus } from './investigation/state.ts';

export interface ToolContext extends InvestigationContext {
  readonly modality: 'vision';
  probe: Probe;
  /** The subject's default probe set: made (or loaded from the cache) on first use, then kept open. */
  probeSet(): Promise<ProbeSet>;
  /** A site's activations over the probe set, from the activation cache (computed on first use). */
  activations(site: string): Promise<SiteActivations>;
  /** Probe-set scenes materialised as RenderedScenes (image, masks, item map). */
  probeScenes(indices: readonly number[]): Promise<RenderedScene[]>;
  /**
   * The same session over a probe set of another size (same seed and distribution: the first scenes
   * are the same), for tools asked for a larger set (`probe_set_size`). Made and cached on first use;
   * disposing this context closes it too.
   */
  withProbeSetSize(n: number): ToolContext;
}

/** Where long work stands: `done` of `total` items of the work named by `label`. */
export interface WorkProgress {
  label: string;
  done: number;
  total: number;
}

export interface ToolContextOptions {
  /** Cache root (default: AIA_CACHE_DIR, else `.cache`). */
  cacheDir?: string;
  /** Seeds the probe set and every seeded tool (default 1). */
  seed?: number;
  /** Scenes in the default probe set (default DEFAULT_PROBE_SET_SIZE). */
  probeSetSize?: number;
  /** Worker threads for rendering the probe set (default: the probe-set default). */
  workers?: number;
  /** Side of a synthetic unit's map (default 14). */
  grid?: number;
  /** Show progress of long work on stderr (TTY only; default true). */
  progress?: boolean;
  /**
   * Told of progress in long work (probe-set rendering, activations over the probe set), e.g. to
   * forward it to an MCP client. It may throw to stop the work: activations stop at their next batch
   * and nothing of them is cached; a probe set, which later calls reuse, is finished first and the
   * error is thrown once it is stored.
   */
  onProgress?: (update: WorkProgress) => void;
  /** Options for loading an ONNX subject. */
  subject?: LoadOptions;
}

/** Scenes in a default probe set: enough for stable exemplars and statistics, quick to make. */
export const DEFAULT_PROBE_SET_SIZE = 1000;
export const DEFAULT_SEED = 1;

export function defaultCacheRoot(): string {
  return resolve(process.env.AIA_CACHE_DIR ?? '.cache');
}

/**
 * Load a subject (see `loadProbe` for the reference syntax: a zoo name, an ONNX file, or
 * `synthetic:maia`, `synthetic:maia/<mode|id>`, `synthetic:<file.json>`, inline JSON) and build its
 * tool context.
 */
export async function createToolContext(
  subjectRef: string,
  options: ToolContextOptions = {},
): Promise<ToolContext> {
  const cacheDir = resolve(options.cacheDir ?? defaultCacheRoot());
  const probe = await loadProbe(subjectRef, {
    ...(options.grid !== undefined ? { grid: options.grid } : {}),
    subject: { cacheDir, ...options.subject },
  });
  return createContextForProbe(probe, { ...options, cacheDir });
}

/**
 * The probe-set distribution a probe's scenes come from: text lines for text models that read
 * line-shaped crops (the orientation classifier, the recogniser), else general scenes.
 */
export function probeSetDistribution(probe: Probe): ProbeSetDistribution {
  const { width, height } = probe.sceneSize;
  const textTask = probe instanceof OnnxProbe && /\btext\b/i.test(probe.subject.manifest.task ?? '');
  return textTask && width >= 2 * height ? 'text-lines' : 'scenes';
}

/** A context around an already loaded probe. */
export function createContextForProbe(probe: Probe, options: ToolContextOptions = {}): ToolContext {
  const cacheDir = resolve(options.cacheDir ?? defaultCacheRoot());
  const seed = options.seed ?? DEFAULT_SEED;
  const n = options.probeSetSize ?? DEFAULT_PROBE_SET_SIZE;
  if (!Number.isInteger(seed) || seed < 0)
    throw new InputError(`seed must be a non-negative integer, got ${seed}`);
  const showProgress = options.progress ?? true;
  const activationCache = new ActivationCache(join(cacheDir, 'activations'));
  let probeSetPromise: Promise<ProbeSet> | undefined;
  const listener = options.onProgress;

  const probeSet = (): Promise<ProbeSet> => {
    if (!probeSetPromise) {
      const progress = showProgress ? new Progress('rendering probe set', n) : undefined;
      // Rendering workers call back from their message handlers, where a throw would escape every
      // promise: a listener's stop is kept and thrown once the set is complete and stored.
      let stopped: { error: unknown } | undefined;
      probeSetPromise = makeProbeSet({
        n,
        seed,
        size: probe.sceneSize.width,
        height: probe.sceneSize.height,
        distribution: probeSetDistribution(probe),
        cacheDir: join(cacheDir, 'probesets'),
        ...(options.workers !== undefined ? { workers: options.workers } : {}),
        onProgress: (done) => {
          progress?.update(done);
          if (listener && !stopped) {
            try {
              listener({ label: 'rendering probe set', done, total: n });
            } catch (error) {
              stopped = { error };
            }
          }
        },
      }).then((set) => {
        progress?.done();
        if (stopped) {
          set.close();
          throw stopped.error;
        }
        return set;
      });
      probeSetPromise.catch(() => (probeSetPromise = undefined));
    }
    return probeSetPromise;
  };

  const activations = async (site: string): Promise<SiteActivations> => {
    const set = await probeSet();
    const label = `activations of ${site}`;
    const progress = showProgress ? new Progress(label, set.n) : undefined;
    const result = await activationCache.get(probe, set, site, (done) => {
      progress?.update(done);
      listener?.({ label, done, total: set.n });
    });
    if (!result.fromCache) progress?.done();
    return result;
  };

  // Mean ablation sets units to their mean over the probe set, read from the same cache.
  probe.setReferenceMeans(async (site) => (await activations(site)).means);

  const sized = new Map<number, ToolContext>();
  const context: ToolContext = {
    modality: 'vision',
    probe,
    probeSet,
    cacheDir,
    seed,
    hypotheses: [],
    answer: undefined,
    canonicalUnit: (text) => probe.parseUnit(text).id,
    canonicalFormula: (text) => printFormula(parseFormula(text)),
    activations,
    probeScenes: async (indices) => probeSetScenes(await probeSet(), indices),
    withProbeSetSize: (size) => {
      if (size === n) return context;
      if (!Number.isInteger(size) || size < 1 || size > MAX_PROBESET_SCENES)
        throw new InputError(
          `probe_set_size must be an integer from 1 to ${MAX_PROBESET_SCENES}, got ${size}`,
        );
      let other = sized.get(size);
      if (!other) {
        // Shares the probe (and its reference means, which stay those of the default set).
        const made = createContextForProbe(probe, { ...options, cacheDir, seed, probeSetSize: size });
        probe.setReferenceMeans(async (site) => (await activations(site)).means);
        other = { ...made, hypotheses: context.hypotheses, withProbeSetSize: context.withProbeSetSize };
        sized.set(size, other);
      }
      return other;
    },
    dispose: async () => {
      if (probeSetPromise) (await probeSetPromise.catch(() => undefined))?.close();
      // Larger sets made for tools: close their sets only (the probe is this context's).
      for (const other of sized.values()) (await other.probeSet().catch(() => undefined))?.close();
      await probe.dispose();
    },
  };
  return context;
}
