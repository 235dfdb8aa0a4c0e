import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { InputError } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import type { GraphIndex } from './graph.ts';
import type { ModelProto, NodeProto } from './proto.ts';
import { withExtraOutputs } from './surgery.ts';

/**
 * Site discovery. ONNX shape inference is not available in JS, so the model is run once with every
 * tensor that depends on the input exposed as a graph output: onnxruntime infers each output's
 * element type (no type rules of our own to keep in step with the opsets) and the run gives each
 * tensor's concrete shape for one example input. Float tensors become sites. The table is cached in
 * memory and on disk, keyed by the model's hash and the example input.
 */

/** Bump when the cached table's format or meaning changes. */
const TABLE_VERSION = 1;

export const FLOAT_TYPES = new Set(['float32', 'float16', 'float64']);

export interface TensorDescription {
  name: string;
  dtype: string;
  dims: (number | string)[];
}

export interface DiscoveredSite extends TensorDescription {
  op: string;
  node: string;
  shape: number[];
}

export interface SiteTable {
  version: number;
  inputs: TensorDescription[];
  outputs: TensorDescription[];
  /** The example input shapes the site shapes were measured with. */
  example: Record<string, number[]>;
  sites: DiscoveredSite[];
}

export interface DiscoverOptions {
  createSession: (model: ModelProto) => Promise<ort.InferenceSession>;
  /** Example shape for inputs, by input name (dynamic dims not given: batch 1, others 64). */
  exampleShapes?: Record<string, number[]>;
  /** Directory for the on-disk cache; none to skip it. */
  cacheDir?: string;
}

const memoryCache = new Map<string, SiteTable>();

/** Drop the in-memory site tables (the disk cache stays): frees memory, and lets tests reach the disk. */
export function forgetSiteTables(): void {
  memoryCache.clear();
}

export async function discoverSites(
  model: ModelProto,
  index: GraphIndex,
  modelHash: string,
  options: DiscoverOptions,
): Promise<SiteTable> {
  const key = cacheKey(modelHash, options.exampleShapes ?? {});
  const cached = memoryCache.get(key) ?? readDiskCache(options.cacheDir, key);
  if (cached) {
    memoryCache.set(key, cached);
    return cached;
  }
  const table = await measure(model, index, options);
  memoryCache.set(key, table);
  writeDiskCache(options.cacheDir, key, table);
  return table;
}

async function measure(model: ModelProto, index: GraphIndex, options: DiscoverOptions): Promise<SiteTable> {
  const candidates = index.dynamicTensors.filter((name) => !index.inputNames.includes(name));
  const probe = withExtraOutputs(
    model,
    candidates.map((name) => ({ name })),
  );
  const session = await options.createSession(probe);
  try {
    const inputs = session.inputMetadata.map(describe);
    const outputs = session.outputMetadata.map(describe);
    const example: Record<string, number[]> = {};
    const feeds: Record<string, ort.Tensor> = {};
    for (const input of inputs) {
      const shape =
        options.exampleShapes?.[input.name] ??
        input.dims.map((d, i) => (typeof d === 'number' ? d : i === 0 ? 1 : 64));
      example[input.name] = shape;
      feeds[input.name] = exampleTensor(input.dtype, shape);
    }
    let result: ort.InferenceSession.ReturnType;
    try {
      result = await session.run(feeds);
    } catch (error) {
      const shapes = Object.entries(example).map(([name, shape]) => `${name} ${shape.join('×')}`);
      throw new InputError(
        `the model failed on an example input (${shapes.join(', ')}) while listing its sites: ` +
          `${(error as Error).message}; give a valid input.exampleShape in the subject manifest`,
        { cause: error },
      );
    }
    const sites: DiscoveredSite[] = [];
    for (const output of outputs) {
      if (!FLOAT_TYPES.has(output.dtype) || !index.producers.has(output.name)) continue;
      const producer = index.producers.get(output.name) as NodeProto;
      const tensor = result[output.name];
      sites.push({
        ...output,
        op: producer.op_type ?? '',
        node: producer.name ?? '',
        shape: tensor ? [...tensor.dims] : [],
      });
    }
    // Graph order, which is topological: the order a reader follows the network in.
    const order = new Map(candidates.map((name, i) => [name, i]));
    sites.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
    const graphOutputs = new Set(index.outputNames);
    return {
      version: TABLE_VERSION,
      inputs,
      outputs: outputs.filter((o) => graphOutputs.has(o.name)),
      example,
      sites,
    };
  } finally {
    await session.release();
  }
}

function describe(meta: ort.InferenceSession.ValueMetadata): TensorDescription {
  if (!meta.isTensor) return { name: meta.name, dtype: 'non-tensor', dims: [] };
  return { name: meta.name, dtype: meta.type, dims: meta.shape.map((d) => (d === '' ? '?' : d)) };
}

/** A deterministic, non-constant example input (so no op sees a degenerate all-equal tensor). */
function exampleTensor(dtype: string, shape: number[]): ort.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  switch (dtype) {
    case 'float32':
      return new ort.Tensor(
        'float32',
        Float32Array.from({ length: size }, (_, i) => ((i * 7919) % 1000) / 1000),
        shape,
      );
    case 'float64':
      return new ort.Tensor(
        'float64',
        Float64Array.from({ length: size }, (_, i) => ((i * 7919) % 1000) / 1000),
        shape,
      );
    case 'int64':
      return new ort.Tensor('int64', new BigInt64Array(size), shape);
    case 'int32':
      return new ort.Tensor('int32', new Int32Array(size), shape);
    case 'bool':
      return new ort.Tensor('bool', new Uint8Array(size), shape);
    case 'uint8':
      return new ort.Tensor('uint8', new Uint8Array(size), shape);
    default:
      throw new Error(`cannot build an example input of type ${dtype}`);
  }
}

function cacheKey(modelHash: string, example: Record<string, number[]>): string {
  const exampleText = JSON.stringify(Object.entries(example).sort(([a], [b]) => a.localeCompare(b)));
  const exampleHash = createHash('sha256').update(exampleText).digest('hex').slice(0, 12);
  return `sites-v${TABLE_VERSION}-${modelHash.slice(0, 32)}-${exampleHash}`;
}

function readDiskCache(dir: string | undefined, key: string): SiteTable | undefined {
  if (!dir) return undefined;
  const path = join(dir, 'subjects', `${key}.json`);
  if (!existsSync(path)) return undefined;
  try {
    const table = JSON.parse(readFileSync(path, 'utf8')) as SiteTable;
    return table.version === TABLE_VERSION && Array.isArray(table.sites) ? table : undefined;
  } catch (error) {
    log.debug({ err: error, path }, 'ignoring unreadable site cache');
    return undefined;
  }
}

function writeDiskCache(dir: string | undefined, key: string, table: SiteTable): void {
  if (!dir) return;
  try {
    const folder = join(dir, 'subjects');
    mkdirSync(folder, { recursive: true });
    // Write then rename, so a concurrent reader never sees half a file.
    const path = join(folder, `${key}.json`);
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(table));
    renameSync(temporary, path);
  } catch (error) {
    log.debug({ err: error, dir }, 'could not write the site cache');
  }
}
