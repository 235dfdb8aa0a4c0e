import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../util/errors.ts';
import { createRandom, type Random } from '../../util/random.ts';
import { cacheDir } from '../files.ts';
import { loadSubject, type LoadOptions } from '../load.ts';
import type { SubjectManifestInput } from '../manifest.ts';
import { indexGraph } from './graph.ts';
import type { OnnxSubject } from './onnx-subject.ts';
import {
  ElemType,
  encodeModel,
  int64ToNumber,
  type ModelProto,
  type NodeProto,
  type TensorProto,
} from './proto.ts';

/**
 * Weight randomisation for saliency sanity checks (Adebayo et al., "Sanity Checks for Saliency Maps",
 * NeurIPS 2018): an explanation method that gives the same maps for a trained model and for the same
 * architecture with random weights explains the input, not the model.
 *
 * Every learned float tensor of a randomised layer is replaced by seeded Gaussian noise:
 * - weights and biases of Conv, ConvTranspose, Gemm and MatMul (and the bias of an Add right after one)
 *   get N(0, σ²), σ = the standard deviation of the trained tensor, so magnitudes stay comparable;
 * - scale and bias of a normalisation (BatchNormalization, InstanceNormalization, LayerNormalization)
 *   get N(μ, σ²) with the trained tensor's own mean and σ, so scales stay near their trained size
 *   instead of being centred on 0 (which would silence half the channels);
 * - BatchNormalization running mean and variance are statistics, not learned weights, and are kept
 *   (random variances could be negative, making NaN).
 * Scalars and structural constants (Clip bounds, shapes, the 3 and 6 of hard-swish) are never touched.
 *
 * A layer is a Conv/ConvTranspose/Gemm/MatMul with a constant weight; a normalisation or bias Add belongs
 * to the layer that feeds it. Layers are numbered in graph order, so scope `{ top: k }` randomises the k
 * layers nearest the output: the paper's cascading randomisation.
 */

export type RandomizeScope = 'all' | { top: number };

export interface RandomizeOptions {
  seed: number;
  /** Default 'all'. */
  scope?: RandomizeScope;
}

export type WeightRole = 'weight' | 'bias' | 'norm-scale' | 'norm-bias';

export interface WeightTensor {
  /** Name of the tensor the graph reads (an initializer or a Constant node's output). */
  name: string;
  role: WeightRole;
  elements: number;
}

export interface WeightLayer {
  /** The layer's node name (or its first output when unnamed). */
  name: string;
  op: string;
  tensors: WeightTensor[];
}

export interface RandomizationReport {
  seed: number;
  scope: RandomizeScope;
  /** Layers in the model, in graph order. */
  totalLayers: number;
  /** Names of the randomised layers, in graph order. */
  layers: string[];
  /** Every tensor replaced, with the trained values' statistics. */
  tensors: (WeightTensor & { layer: string; mean: number; std: number })[];
}

const LINEAR_OPS = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);
const NORM_OPS = new Set(['BatchNormalization', 'InstanceNormalization', 'LayerNormalization']);
/** Ops a constant may pass through on its way to a layer (Paddle exports reshape and cast weights). */
const PASS_THROUGH = new Set(['Cast', 'Identity', 'Reshape', 'Unsqueeze', 'Squeeze', 'Transpose', 'Flatten']);

/** Where a constant tensor's values are stored. */
type ConstantSource = { kind: 'initializer'; index: number } | { kind: 'node'; node: NodeProto };

/** The weight-bearing layers of a model, in graph order. */
export function weightLayers(model: ModelProto): WeightLayer[] {
  return findLayers(model).layers;
}

/**
 * A copy of the model with the weights of the chosen layers replaced by seeded Gaussian noise (see the
 * file comment). The input model is not modified. Same seed and scope → byte-identical output.
 */
export function randomizeModel(
  model: ModelProto,
  options: RandomizeOptions,
): { model: ModelProto; report: RandomizationReport } {
  const scope = options.scope ?? 'all';
  const { layers, sources } = findLayers(model);
  const chosen = chooseLayers(layers, scope);
  const random = createRandom(options.seed);
  const graph = model.graph ?? {};
  const initializers = [...(graph.initializer ?? [])];
  const replacedNodes = new Map<NodeProto, NodeProto>();
  const report: RandomizationReport = {
    seed: options.seed,
    scope,
    totalLayers: layers.length,
    layers: chosen.map((layer) => layer.name),
    tensors: [],
  };
  const done = new Set<string>();
  for (const layer of chosen) {
    for (const weight of layer.tensors) {
      if (done.has(weight.name)) continue; // a tensor shared by two layers is randomised once
      done.add(weight.name);
      const source = sources.get(weight.name);
      if (!source) continue;
      const original =
        source.kind === 'initializer' ? initializers[source.index] : constantValue(source.node);
      if (!original) continue;
      const values = floatValues(original);
      if (!values) continue;
      const { mean, std } = statistics(values);
      const centre = weight.role === 'norm-scale' || weight.role === 'norm-bias' ? mean : 0;
      const noisy = withValues(original, gaussian(random, values.length, centre, std));
      if (source.kind === 'initializer') initializers[source.index] = noisy;
      else replacedNodes.set(source.node, withConstantValue(source.node, noisy));
      report.tensors.push({ ...weight, layer: layer.name, mean, std });
    }
  }
  const nodes = (graph.node ?? []).map((node) => replacedNodes.get(node) ?? node);
  return { model: { ...model, graph: { ...graph, node: nodes, initializer: initializers } }, report };
}

export interface RandomizedSubject {
  subject: OnnxSubject;
  report: RandomizationReport;
}

/**
 * A subject like `subject` (same manifest, preprocessing and labels) whose chosen layers have random
 * weights. The randomised model is written once to `<cache>/randomized/<sha256>.onnx` (content-addressed,
 * so repeated calls reuse it) and loaded like any model file.
 */
export async function randomizeWeights(
  subject: OnnxSubject,
  options: RandomizeOptions,
  loadOptions: Omit<LoadOptions, 'manifest'> = {},
): Promise<RandomizedSubject> {
  const { model, report } = randomizeModel(subject.decodedModel(), options);
  const bytes = encodeModel(model);
  const hash = createHash('sha256').update(bytes).digest('hex');
  const dir = join(cacheDir(), 'randomized');
  const path = join(dir, `${hash}.onnx`);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    const temporary = `${path}.tmp-${process.pid}`;
    writeFileSync(temporary, bytes);
    renameSync(temporary, path); // atomic: a crash never leaves a half-written model under the final name
  }
  const scopeText = report.scope === 'all' ? 'all' : `top-${report.scope.top}`;
  const { model: _file, ...rest } = subject.manifest;
  const manifest: SubjectManifestInput = {
    ...rest,
    name: `${subject.name}~random(seed ${options.seed}, ${scopeText})`,
    // Labels from a file resolve relative to the manifest; the resolved list travels with the copy.
    output: rest.output && { ...rest.output, labels: subject.labels ? [...subject.labels] : undefined },
  };
  return { subject: await loadSubject(path, { ...loadOptions, manifest }), report };
}

function chooseLayers(layers: WeightLayer[], scope: RandomizeScope): WeightLayer[] {
  if (scope === 'all') return layers;
  const { top } = scope;
  if (!Number.isInteger(top) || top < 1 || top > layers.length) {
    throw new InputError(
      `scope top must be a whole number from 1 to ${layers.length} (the model's weight layers), got ${top}`,
    );
  }
  return layers.slice(layers.length - top);
}

function findLayers(model: ModelProto): { layers: WeightLayer[]; sources: Map<string, ConstantSource> } {
  const graph = model.graph ?? {};
  const index = indexGraph(graph);
  const sources = new Map<string, ConstantSource>();
  (graph.initializer ?? []).forEach((tensor, i) =>
    sources.set(tensor.name ?? '', { kind: 'initializer', index: i }),
  );
  for (const node of graph.node ?? []) {
    if (node.op_type === 'Constant' && constantValue(node))
      sources.set(node.output?.[0] ?? '', { kind: 'node', node });
  }

  /** The stored constant a node input reads, through casts and reshapes; undefined for dynamic tensors. */
  const constantBehind = (name: string | undefined): string | undefined => {
    for (let current = name, steps = 0; current !== undefined && steps < 8; steps++) {
      if (sources.has(current)) return current;
      if (!index.constants.has(current)) return undefined;
      const producer = index.producers.get(current);
      if (!producer || !PASS_THROUGH.has(producer.op_type ?? '')) return undefined;
      current = producer.input?.[0];
    }
    return undefined;
  };
  const isFloatTensor = (name: string) => {
    const source = sources.get(name);
    const tensor =
      source?.kind === 'initializer'
        ? graph.initializer?.[source.index]
        : source && constantValue(source.node);
    return tensor !== undefined && floatValues(tensor) !== undefined;
  };

  const layers: WeightLayer[] = [];
  const layerOfTensor = new Map<string, WeightLayer>(); // dynamic tensor → the layer that produced it
  const addTensor = (layer: WeightLayer, input: string | undefined, role: WeightRole) => {
    const name = constantBehind(input);
    if (name === undefined || !isFloatTensor(name)) return false;
    if (!layer.tensors.some((t) => t.name === name))
      layer.tensors.push({ name, role, elements: elementCount(name) });
    return true;
  };
  const elementCount = (name: string) => {
    const source = sources.get(name);
    const tensor =
      source?.kind === 'initializer'
        ? graph.initializer?.[source.index]
        : source && constantValue(source.node);
    return tensor ? (floatValues(tensor)?.length ?? 0) : 0;
  };

  for (const node of graph.node ?? []) {
    const op = node.op_type ?? '';
    const inputs = node.input ?? [];
    const output = node.output?.[0] ?? '';
    const name = node.name || output;
    if (LINEAR_OPS.has(op)) {
      const layer: WeightLayer = { name, op, tensors: [] };
      if (op === 'Conv' || op === 'ConvTranspose') {
        addTensor(layer, inputs[1], 'weight');
        addTensor(layer, inputs[2], 'bias');
      } else if (op === 'Gemm') {
        addTensor(layer, inputs[0], 'weight');
        addTensor(layer, inputs[1], 'weight');
        addTensor(layer, inputs[2], 'bias');
      } else {
        addTensor(layer, inputs[0], 'weight');
        addTensor(layer, inputs[1], 'weight');
      }
      if (layer.tensors.some((t) => t.role === 'weight')) {
        layers.push(layer);
        layerOfTensor.set(output, layer);
      }
    } else if (NORM_OPS.has(op)) {
      const feeding = layerOfTensor.get(inputs[0] ?? '');
      const layer = feeding ?? { name, op, tensors: [] };
      addTensor(layer, inputs[1], 'norm-scale');
      addTensor(layer, inputs[2], 'norm-bias');
      if (!feeding && layer.tensors.length > 0) layers.push(layer);
      if (layer.tensors.length > 0) layerOfTensor.set(output, layer);
    } else if (op === 'Add') {
      // A bias added after a linear layer: one operand produced by the layer, the other a constant vector.
      const [a, b] = inputs;
      const feeding = layerOfTensor.get(a ?? '') ?? layerOfTensor.get(b ?? '');
      if (!feeding) continue;
      const other = layerOfTensor.has(a ?? '') ? b : a;
      const constant = constantBehind(other);
      if (constant !== undefined && elementCount(constant) > 1 && addTensor(feeding, other, 'bias')) {
        layerOfTensor.set(output, feeding);
      }
    }
  }
  return { layers, sources };
}

function constantValue(node: NodeProto): TensorProto | undefined {
  const attribute = (node.attribute ?? []).find((a) => a.name === 'value');
  return attribute?.t ?? undefined;
}

function withConstantValue(node: NodeProto, tensor: TensorProto): NodeProto {
  return {
    ...node,
    attribute: (node.attribute ?? []).map((a) => (a.name === 'value' ? { ...a, t: tensor } : a)),
  };
}

/** The values of a float32/float64 tensor stored inline; undefined for other types or external data. */
function floatValues(tensor: TensorProto): Float64Array | undefined {
  const type = tensor.data_type;
  if (type !== ElemType.FLOAT && type !== ElemType.DOUBLE) return undefined;
  const count = (tensor.dims ?? []).reduce<number>((n, d) => n * int64ToNumber(d), 1);
  const raw = tensor.raw_data;
  if (raw && raw.length > 0) {
    const bytes = raw.byteOffset % 8 === 0 ? raw : Uint8Array.from(raw); // typed views need alignment
    const view =
      type === ElemType.FLOAT
        ? new Float32Array(bytes.buffer, bytes.byteOffset, raw.length / 4)
        : new Float64Array(bytes.buffer, bytes.byteOffset, raw.length / 8);
    return Float64Array.from(view);
  }
  const listed = type === ElemType.FLOAT ? tensor.float_data : tensor.double_data;
  if (listed && listed.length === count) return Float64Array.from(listed);
  return undefined;
}

/** The tensor with new values, stored as raw little-endian bytes of its own type. */
function withValues(tensor: TensorProto, values: Float64Array): TensorProto {
  const typed = tensor.data_type === ElemType.DOUBLE ? Float64Array.from(values) : Float32Array.from(values);
  const { float_data: _f, double_data: _d, raw_data: _r, ...rest } = tensor;
  return { ...rest, raw_data: new Uint8Array(typed.buffer) };
}

function statistics(values: Float64Array): { mean: number; std: number } {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / Math.max(1, values.length);
  let squares = 0;
  for (const v of values) squares += (v - mean) * (v - mean);
  return { mean, std: Math.sqrt(squares / Math.max(1, values.length)) };
}

/** n draws from N(mean, std²) by Box–Muller. */
function gaussian(random: Random, n: number, mean: number, std: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = 1 - random(); // (0, 1]: log never sees 0
    const v = random();
    const radius = Math.sqrt(-2 * Math.log(u));
    out[i] = mean + std * radius * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = mean + std * radius * Math.sin(2 * Math.PI * v);
  }
  return out;
}
