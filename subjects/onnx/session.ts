import { availableParallelism } from 'node:os';
import ort from 'onnxruntime-node';
import { InputError } from '../../util/errors.ts';
import { encodeModel, type ModelProto } from './proto.ts';

/**
 * Creating onnxruntime sessions, with one set of options for every session of a subject, so a
 * plain run and a run with extra outputs or edits differ only by the graph.
 */

export type SessionOptions = ort.InferenceSession.SessionOptions;

/**
 * Full graph optimisation (constant folding, Conv+BatchNorm fusion, NCHWc layouts) and one
 * intra-op thread per core. AIA_ORT_THREADS overrides the thread count (e.g. 1 in parallel tests).
 *
 * Thread spinning is off: a subject keeps several sessions (plain, per read set, per edit set), each
 * with its own thread pool, and threads of an idle session spinning after its run steal the cores
 * from the next session's run (on 2 cores, alternating two spinning sessions ran 3-4× slower).
 */
export function defaultSessionOptions(): SessionOptions {
  const threads = Number(process.env.AIA_ORT_THREADS ?? availableParallelism());
  return {
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: Number.isInteger(threads) && threads > 0 ? threads : 0,
    interOpNumThreads: 1,
    // Warnings about unused initializers and the like would drown the CLI's stderr.
    logSeverityLevel: 3,
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
}

/**
 * The default options with basic graph optimisation only, for transformers. onnxruntime 1.30's
 * transformer fusions (level extended and above: EmbedLayerNormalization, attention, GELU) crash the
 * process (a segmentation fault, not an error) when a tensor inside a fused pattern is also a graph
 * output — which is exactly what site discovery and reads do. Basic optimisation (constant folding,
 * redundant node removal) is safe; the extra fusions matter little on CPU at the sizes studied here.
 */
export function transformerSessionOptions(): SessionOptions {
  return { ...defaultSessionOptions(), graphOptimizationLevel: 'basic' };
}

/** Options plus where external tensor data files live (a model given as bytes has no folder). */
function withModelDir(options: SessionOptions, modelDir: string): SessionOptions {
  const extra = (options.extra ?? {}) as { session?: Record<string, unknown> };
  return {
    ...options,
    extra: {
      ...extra,
      session: { ...extra.session, model_external_initializers_file_folder_path: modelDir },
    },
  };
}

/**
 * A session for a model. `modelDir` is where external tensor data files are looked up, since the
 * model is handed over as bytes. Load failures become InputError: a file that protobuf could read
 * can still be an invalid graph.
 */
export async function createSession(
  model: ModelProto | Uint8Array,
  options: SessionOptions,
  modelDir: string,
  source: string,
): Promise<ort.InferenceSession> {
  const bytes = model instanceof Uint8Array ? model : encodeModel(model);
  try {
    return await ort.InferenceSession.create(bytes, withModelDir(options, modelDir));
  } catch (error) {
    throw new InputError(`onnxruntime cannot load ${source}: ${(error as Error).message}`, { cause: error });
  }
}

interface CacheEntry {
  session: Promise<ort.InferenceSession>;
  busy: number;
  evicted: boolean;
}

/**
 * Compiled sessions by key (the set of read and edited sites, never the values), least recently
 * used first out. A session evicted while a run uses it is released when that run ends.
 */
export class SessionCache {
  private readonly entries = new Map<string, CacheEntry>();
  /** How many sessions this cache has compiled (a test hook: reuse means this does not grow). */
  created = 0;

  constructor(
    private readonly create: (model: ModelProto | Uint8Array) => Promise<ort.InferenceSession>,
    private readonly limit = 8,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  async use<T>(
    key: string,
    model: () => ModelProto | Uint8Array,
    fn: (session: ort.InferenceSession) => Promise<T>,
  ): Promise<T> {
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    } else {
      entry = { session: this.create(model()), busy: 0, evicted: false };
      this.created++;
      this.entries.set(key, entry);
      const created = entry;
      // A failed compile must not stay cached: the next call should try again (and fail clearly).
      created.session.catch(() => {
        if (this.entries.get(key) === created) this.entries.delete(key);
      });
      this.evictOldest();
    }
    entry.busy++;
    try {
      return await fn(await entry.session);
    } finally {
      entry.busy--;
      if (entry.evicted && entry.busy === 0) await release(entry);
    }
  }

  private evictOldest(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.limit) break;
      this.entries.delete(key);
      entry.evicted = true;
      if (entry.busy === 0) void release(entry);
    }
  }

  async dispose(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const entry of entries) {
      entry.evicted = true;
      if (entry.busy === 0) await release(entry);
    }
  }
}

async function release(entry: CacheEntry): Promise<void> {
  try {
    await (await entry.session).release();
  } catch {
    // A session that failed to compile has nothing to release.
  }
}
