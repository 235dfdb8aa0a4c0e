/**
 * Probe sets: N seeded scenes (distribution in probeset-specs.ts, docs/probe-sets.md), generated once
 * and stored content-addressed under .cache/probesets/<id>/, where id hashes (generator version, n,
 * seed, size). Stored compactly: specs, annotations and per-label concepts in one JSON; images and
 * label maps as compressed blobs in two binary files. Masks and itemMaps are re-derived exactly from
 * the labels on demand (masks.ts), so nothing approximate is ever stored.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InputError } from '../util/errors.ts';
import type { RgbImage } from '../util/image.ts';
import { decodeImagePixels, decodeImagePixelsAsync, decodeLabels } from './probeset-codec.ts';
import {
  renderProbeScene,
  renderSpecScene,
  type EncodedProbeScene,
  type ProbeSetDistribution,
} from './probeset-render.ts';

export type { ProbeSetDistribution } from './probeset-render.ts';
import { PROBESET_GENERATOR_VERSION } from './probeset-specs.ts';
import type { WorkerBatch } from './probeset-worker.ts';
import { conceptMask, deriveItemMap, LabelMasks } from './masks.ts';
import type { SceneAnnotation, SceneLabels } from './render.ts';
import { MAX_IMAGE_SIDE, MIN_IMAGE_SIDE, type SceneSpec } from './spec.ts';
import { siblingModule } from '../util/paths.ts';

export const MAX_PROBESET_SCENES = 100_000;
const FORMAT_VERSION = 2;
const BATCH = 25;

export interface ProbeSetParams {
  n: number;
  seed: number;
  /** Image width in pixels; also the height unless `height` is given (a square by default). */
  size: number;
  /** Image height in pixels, for non-square sets (default: `size`). */
  height?: number;
  /** Which generator the scenes come from (default 'scenes'; 'text-lines' for text models). */
  distribution?: ProbeSetDistribution;
  /**
   * Scenes given as specs, appended after the generated ones: scenes [n - extra.length, n) are these
   * (contrastive held-out sets: scenes built to satisfy a rule and minimal pairs that break it).
   */
  extra?: SceneSpec[];
}

export interface ProbeScene {
  spec: SceneSpec;
  annotation: SceneAnnotation;
}

interface StoredScene extends ProbeScene {
  labelConcepts: string[][];
  labelItem: number[];
  /** [offset, length] in images.bin / labels.bin. */
  image: [number, number];
  labels: [number, number];
}

interface StoredIndex extends ProbeSetParams {
  id: string;
  format: number;
  generatorVersion: number;
  scenes: StoredScene[];
}

export interface ProbeSet extends ProbeSetParams {
  id: string;
  dir: string;
  /** Image size of every scene. */
  width: number;
  height: number;
  distribution: ProbeSetDistribution;
  scenes: ProbeScene[];
  image(i: number): RgbImage;
  /** Several images decoded in parallel (zlib on the thread pool): the fast way to read a whole set. */
  images(indices: number[]): Promise<RgbImage[]>;
  /** The label map and per-label concepts that masks and itemMap derive from. */
  labels(i: number): SceneLabels;
  /** The concepts true at each label of scene i (stored in the index: nothing is decoded). */
  labelConcepts(i: number): string[][];
  itemMap(i: number): Uint8Array;
  masks(i: number): Map<string, Uint8Array>;
  /** One concept's mask (all zeros when the concept is absent from the scene). */
  mask(i: number, concept: string): Uint8Array;
  /** Release the open data files. */
  close(): void;
}

export interface MakeProbeSetOptions extends ProbeSetParams {
  /** Root of the cache (default .cache/probesets under the working directory). */
  cacheDir?: string;
  /** Worker threads (default: available cores, capped at 4; 0 renders in this thread). */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

export function defaultCacheDir(): string {
  return resolve(process.env.AIA_CACHE_DIR ?? '.cache', 'probesets');
}

export function validateProbeSetParams(params: ProbeSetParams): void {
  const { n, seed, size } = params;
  const height = params.height ?? size;
  if (!Number.isInteger(height) || height < MIN_IMAGE_SIDE || height > MAX_IMAGE_SIDE)
    throw new InputError(
      `image height must be an integer from ${MIN_IMAGE_SIDE} to ${MAX_IMAGE_SIDE} pixels, got ${height}`,
    );
  if (params.distribution !== undefined && !['scenes', 'text-lines'].includes(params.distribution))
    throw new InputError(
      `probe set distribution must be 'scenes' or 'text-lines', got '${params.distribution}'`,
    );
  if (params.extra !== undefined && params.extra.length > n)
    throw new InputError(`a probe set of ${n} scenes cannot hold ${params.extra.length} given scenes`);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PROBESET_SCENES)
    throw new InputError(`probe set size n must be an integer from 1 to ${MAX_PROBESET_SCENES}, got ${n}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new InputError(`probe set seed must be an integer from 0 to ${0xffffffff}, got ${seed}`);
  if (!Number.isInteger(size) || size < MIN_IMAGE_SIDE || size > MAX_IMAGE_SIDE)
    throw new InputError(
      `image size must be an integer from ${MIN_IMAGE_SIDE} to ${MAX_IMAGE_SIDE} pixels, got ${size}`,
    );
}

/** The content address of a probe set: a hash of everything that determines its bytes. */
export function probeSetId(params: ProbeSetParams): string {
  const { height, distribution, ...base } = normalisedParams(params);
  // Square 'scenes' sets keep the key they had before height and distribution existed.
  const key = JSON.stringify({
    generator: PROBESET_GENERATOR_VERSION,
    format: FORMAT_VERSION,
    ...base,
    ...(height !== undefined ? { height } : {}),
    ...(distribution !== undefined ? { distribution } : {}),
  });
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** Params with defaults dropped (height equal to size, distribution 'scenes'), as stored and hashed. */
function normalisedParams(params: ProbeSetParams): ProbeSetParams {
  const out: ProbeSetParams = { n: params.n, seed: params.seed, size: params.size };
  if (params.height !== undefined && params.height !== params.size) out.height = params.height;
  if (params.distribution !== undefined && params.distribution !== 'scenes')
    out.distribution = params.distribution;
  if (params.extra !== undefined && params.extra.length > 0) out.extra = params.extra;
  return out;
}

/**
 * A worker running probeset-worker. Compiled, it is plain JavaScript; from source (tests, tsx) it needs
 * the TypeScript loader, so a small JavaScript bootstrap registers tsx's loader, then imports it.
 */
function startWorker(): Worker {
  const entryFile = siblingModule(import.meta.url, 'probeset-worker');
  if (entryFile.endsWith('.js')) return new Worker(entryFile);
  const require = createRequire(import.meta.url);
  const tsxApi = pathToFileURL(require.resolve('tsx/esm/api')).href;
  const entry = pathToFileURL(entryFile).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true });
}

/** Render scenes [0, n) with a pool of workers, handing each finished scene to `accept` in index order. */
async function renderWithWorkers(
  params: ProbeSetParams,
  workers: number,
  accept: (scene: EncodedProbeScene) => void,
): Promise<void> {
  const { n, seed, size, height, distribution } = params;
  const pending = new Map<number, EncodedProbeScene>();
  let nextToAccept = 0;
  let nextBatch = 0;
  const pool = Array.from({ length: Math.min(workers, Math.ceil(n / BATCH)) }, startWorker);
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolveWorker, reject) => {
            const sendNext = () => {
              if (nextBatch >= n) return resolveWorker();
              const batch: WorkerBatch = {
                seed,
                size,
                ...(height !== undefined ? { height } : {}),
                ...(distribution !== undefined ? { distribution } : {}),
                start: nextBatch,
                end: Math.min(n, nextBatch + BATCH),
              };
              nextBatch = batch.end;
              worker.postMessage(batch);
            };
            worker.on(
              'message',
              (reply: { ok: true; scenes: EncodedProbeScene[] } | { ok: false; error: string }) => {
                if (!reply.ok) return reject(new Error(`probe-set worker failed: ${reply.error}`));
                for (const scene of reply.scenes) pending.set(scene.index, scene);
                for (let s = pending.get(nextToAccept); s; s = pending.get(nextToAccept)) {
                  pending.delete(nextToAccept);
                  accept(s);
                  nextToAccept++;
                }
                sendNext();
              },
            );
            worker.on('error', reject);
            sendNext();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  if (nextToAccept !== n) throw new Error(`probe-set generation stopped at scene ${nextToAccept} of ${n}`);
}

/**
 * Generate the probe set for (n, seed, size), or reuse it if already stored. Returns it opened.
 * Scenes are identical whatever the number of workers.
 */
export async function makeProbeSet(options: MakeProbeSetOptions): Promise<ProbeSet & { reused: boolean }> {
  const params = normalisedParams(options);
  validateProbeSetParams(params);
  const root = options.cacheDir ?? defaultCacheDir();
  const id = probeSetId(params);
  const dir = join(root, id);
  if (existsSync(join(dir, 'index.json'))) return { ...openProbeSet(dir), reused: true };

  const staging = join(root, `${id}.tmp-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const images = openSync(join(staging, 'images.bin'), 'w');
  const labels = openSync(join(staging, 'labels.bin'), 'w');
  const scenes: StoredScene[] = [];
  let imageOffset = 0;
  let labelOffset = 0;
  const accept = (scene: EncodedProbeScene) => {
    writeSync(images, scene.image);
    writeSync(labels, scene.labels);
    scenes.push({
      spec: scene.spec,
      annotation: scene.annotation,
      labelConcepts: scene.labelConcepts,
      labelItem: scene.labelItem,
      image: [imageOffset, scene.image.length],
      labels: [labelOffset, scene.labels.length],
    });
    imageOffset += scene.image.length;
    labelOffset += scene.labels.length;
    options.onProgress?.(scenes.length, params.n);
  };
  try {
    const workers = options.workers ?? Math.min(4, availableParallelism());
    // Small sets are not worth the workers' start-up (each loads its own sprites).
    const extra = params.extra ?? [];
    const generated = { ...params, n: params.n - extra.length };
    const { extra: _given, ...baseParams } = generated;
    const baseDir = join(root, probeSetId(baseParams));
    if (extra.length > 0 && generated.n > 0 && existsSync(join(baseDir, 'index.json')))
      // The generated scenes of a set with given scenes are those of the plain set of the same
      // parameters: copy its stored bytes instead of rendering them again (one per contrastive task).
      copyStoredScenes(baseDir, generated.n, accept);
    else if (workers > 0 && generated.n >= 100) await renderWithWorkers(generated, workers, accept);
    else
      for (let i = 0; i < generated.n; i++)
        accept(await renderProbeScene(params.seed, i, params.size, params.height, params.distribution));
    for (const [k, spec] of extra.entries())
      accept(
        await renderSpecScene(generated.n + k, {
          ...spec,
          width: params.size,
          height: params.height ?? params.size,
        }),
      );
  } catch (error) {
    closeSync(images);
    closeSync(labels);
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  closeSync(images);
  closeSync(labels);
  const index: StoredIndex = {
    id,
    format: FORMAT_VERSION,
    generatorVersion: PROBESET_GENERATOR_VERSION,
    ...params,
    scenes,
  };
  const file = openSync(join(staging, 'index.json'), 'w');
  writeSync(file, JSON.stringify(index));
  closeSync(file);
  // Publish atomically: readers see either no set or a complete one.
  // Another process may publish the same set between the check and the rename (two benchmark
  // workers on a cold cache): the sets are identical by construction, so keep theirs.
  if (existsSync(dir)) rmSync(staging, { recursive: true, force: true });
  else {
    try {
      renameSync(staging, dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || !existsSync(join(dir, 'index.json'))) throw error;
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return { ...openProbeSet(dir), reused: false };
}

/**
 * Reads byte ranges of a file through a 4 MiB window, so reading a set's scenes in order costs one
 * system call per window rather than one per scene. A read that jumps (not starting where the last one
 * ended: exemplars, a few scenes picked from a large set) fetches only its own bytes, since a window
 * there would mostly be thrown away.
 */
class RangeReader {
  private window = new Uint8Array(0);
  private windowStart = 0;
  private lastEnd = 0;

  constructor(private readonly fd: number) {}

  read([offset, length]: [number, number]): Uint8Array {
    const end = offset + length;
    const sequential = offset === this.lastEnd;
    this.lastEnd = end;
    if (offset < this.windowStart || end > this.windowStart + this.window.length) {
      const size = sequential ? Math.max(length, 4 << 20) : length;
      const buffer = new Uint8Array(size);
      const got = readSync(this.fd, buffer, 0, size, offset);
      this.window = buffer.subarray(0, got);
      this.windowStart = offset;
      if (got < length) throw new Error(`probe-set data ends at byte ${offset + got}, expected ${end}`);
    }
    return this.window.subarray(offset - this.windowStart, end - this.windowStart);
  }
}

/** Hand the first `n` stored scenes of the set in `dir` to `accept`, as stored (no decoding). */
function copyStoredScenes(dir: string, n: number, accept: (scene: EncodedProbeScene) => void): void {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as StoredIndex;
  const imagesFd = openSync(join(dir, 'images.bin'), 'r');
  const labelsFd = openSync(join(dir, 'labels.bin'), 'r');
  try {
    const read = (fd: number, [offset, length]: [number, number]) => {
      const bytes = new Uint8Array(length);
      readSync(fd, bytes, 0, length, offset);
      return bytes;
    };
    index.scenes.slice(0, n).forEach((s, i) =>
      accept({
        index: i,
        spec: s.spec,
        annotation: s.annotation,
        labelConcepts: s.labelConcepts,
        labelItem: s.labelItem,
        image: read(imagesFd, s.image),
        labels: read(labelsFd, s.labels),
      }),
    );
  } finally {
    closeSync(imagesFd);
    closeSync(labelsFd);
  }
}

function openProbeSet(dir: string): ProbeSet {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as StoredIndex;
  if (index.format !== FORMAT_VERSION)
    throw new InputError(
      `probe set in ${dir} has format ${index.format}; this version reads ${FORMAT_VERSION}: remake it`,
    );
  const imagesFd = openSync(join(dir, 'images.bin'), 'r');
  const labelsFd = openSync(join(dir, 'labels.bin'), 'r');
  const images = new RangeReader(imagesFd);
  const labelReader = new RangeReader(labelsFd);
  const width = index.size;
  const height = index.height ?? index.size;
  const pixels = width * height;
  const scene = (i: number): StoredScene => {
    const s = index.scenes[i];
    if (!s)
      throw new InputError(`probe set ${index.id} has scenes 0..${index.scenes.length - 1}; no scene ${i}`);
    return s;
  };
  const labelsOf = (i: number): SceneLabels => {
    const s = scene(i);
    return {
      labels: decodeLabels(labelReader.read(s.labels), pixels),
      labelConcepts: s.labelConcepts,
      labelItem: s.labelItem,
    };
  };
  return {
    id: index.id,
    dir,
    n: index.n,
    seed: index.seed,
    size: index.size,
    width,
    height,
    distribution: index.distribution ?? 'scenes',
    scenes: index.scenes.map((s) => ({ spec: s.spec, annotation: s.annotation })),
    image: (i) => ({
      width,
      height,
      data: decodeImagePixels(images.read(scene(i).image), pixels * 3),
    }),
    images: (indices) =>
      Promise.all(
        indices.map(async (i) => ({
          width,
          height,
          data: await decodeImagePixelsAsync(images.read(scene(i).image), pixels * 3),
        })),
      ),
    labels: labelsOf,
    labelConcepts: (i) => scene(i).labelConcepts,
    itemMap: (i) => {
      const l = labelsOf(i);
      return deriveItemMap(l.labels, l.labelItem);
    },
    masks: (i) => new LabelMasks(scene(i).labelConcepts, () => labelsOf(i).labels),
    mask: (i, concept) => {
      const l = labelsOf(i);
      return conceptMask(l.labels, l.labelConcepts, concept);
    },
    close: () => {
      closeSync(imagesFd);
      closeSync(labelsFd);
    },
  };
}

/** Open a stored probe set by id (or by a unique id prefix). */
export function loadProbeSet(id: string, cacheDir = defaultCacheDir()): ProbeSet {
  if (!/^[0-9a-f]{4,16}$/.test(id))
    throw new InputError(`probe set id '${id}' is not a hex id (4 to 16 characters)`);
  const dir = join(cacheDir, id);
  if (existsSync(join(dir, 'index.json'))) return openProbeSet(dir);
  const matches = existsSync(cacheDir)
    ? readdirSync(cacheDir).filter((name) => name.startsWith(id) && !name.includes('.tmp'))
    : [];
  if (matches.length === 1 && matches[0] !== undefined) return openProbeSet(join(cacheDir, matches[0]));
  if (matches.length > 1) throw new InputError(`probe set id '${id}' is ambiguous: ${matches.join(', ')}`);
  throw new InputError(
    `no probe set '${id}' in ${cacheDir}; make one with: aia probeset make --n <count> --seed <seed>`,
  );
}
