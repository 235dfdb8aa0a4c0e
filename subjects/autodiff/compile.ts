import type ort from 'onnxruntime-node';
import { InputError } from '../../util/errors.ts';
import {
  ElemType,
  type GraphProto,
  int64ToNumber,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from '../onnx/proto.ts';
import { GraphBuilder } from './builder.ts';
import { emitObjective, OBJECTIVE_WEIGHTS_INPUT, type ObjectiveSpec } from './objective.ts';
import { foldBatchNorms, fuseHardSwish, padSqueezeChannels, scalarReader } from './fold.ts';
import { upgradeForGradients } from './opset.ts';
import { checkDifferentiable, emitGradients, type TensorFacts } from './reverse.ts';

/**
 * Forward graph + objective + reverse pass → one standard-ONNX model computing the objective, the
 * requested gradients and any sites, in one run. Shapes are measured by a probe run of the forward
 * graph at the feeds' shapes, so a compiled graph serves exactly those input shapes.
 */

export interface GradientGraphRequest {
  objective: ObjectiveSpec;
  /** Tensors to differentiate against: graph inputs, sites, weights (initializers or Constant outputs). */
  wrt: readonly string[];
  /** Tensors to return as they are (e.g. the site whose gradient Grad-CAM weighs). */
  read?: readonly string[];
  /** Each gradient summed over the batch (axis 0 kept), see GradientRequest.sumBatch. */
  sumBatch?: boolean;
  /**
   * Integrated Gradients' path inside the run: graph input `input` (fed at batch 1) is replaced by
   * PATH_POINTS = baseline + α·(input − baseline), one point per α, the baseline and the α fed as
   * PATH_BASELINE and PATH_ALPHAS ([points, 1, …]); a gradient asked of `input` is the points'
   * gradients, summed.
   */
  path?: { input: string };
}

export const PATH_BASELINE = 'aia.path.baseline';
export const PATH_ALPHAS = 'aia.path.alphas';
const PATH_POINTS = 'aia.path.points';

export interface GradientGraph {
  model: ModelProto;
  /** Output holding the per-example objective. */
  objectiveOutput: string;
  /** Output holding each wrt tensor's gradient. */
  gradientOutputs: Map<string, string>;
  /** The weights input of the objective, with its length (the tensor's unit count) and element type. */
  weights?: { input: string; units: number; double: boolean };
  /** The ai.onnx opset of the emitted graph. */
  opset: number;
}

/** Runs a model on the feeds and returns the fetched tensors (the caller owns sessions). */
export type ProbeRunner = (model: ModelProto, fetches: string[]) => Promise<Record<string, ort.Tensor>>;

const ELEM_TYPE_OF: Record<string, number> = {
  float32: ElemType.FLOAT,
  float64: ElemType.DOUBLE,
  float16: ElemType.FLOAT16,
  int64: ElemType.INT64,
  int32: ElemType.INT32,
  int8: ElemType.INT8,
  uint8: ElemType.UINT8,
  bool: ElemType.BOOL,
};

/** Integer tensors up to this size keep their values (shapes, axes, small index lists). */
const MAX_INT_VALUES = 1 << 16;

function factsOfTensor(tensor: ort.Tensor): TensorFacts {
  const elemType = ELEM_TYPE_OF[tensor.type] ?? -1;
  const facts: TensorFacts = { shape: [...tensor.dims], elemType };
  if ((elemType === ElemType.INT64 || elemType === ElemType.INT32) && tensor.size <= MAX_INT_VALUES) {
    facts.ints = Array.from(tensor.data as ArrayLike<number | bigint>, (v) => Number(v));
  }
  return facts;
}

function factsOfInitializer(t: TensorProto): TensorFacts {
  const shape = (t.dims ?? []).map(int64ToNumber);
  const facts: TensorFacts = { shape, elemType: t.data_type ?? -1 };
  if (t.data_type === ElemType.INT64) {
    if ((t.int64_data ?? []).length > 0) facts.ints = (t.int64_data ?? []).map(int64ToNumber);
    else if (t.raw_data) {
      const raw = t.raw_data;
      facts.ints = Array.from(
        new BigInt64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)),
        Number,
      );
    }
  }
  return facts;
}

function outputInfo(name: string, facts: TensorFacts | undefined): ValueInfoProto {
  return { name, type: { tensor_type: { elem_type: facts?.elemType ?? ElemType.FLOAT } } };
}

export async function buildGradientGraph(
  source: ModelProto,
  feeds: Readonly<Record<string, ort.Tensor>>,
  request: GradientGraphRequest,
  probe: ProbeRunner,
): Promise<GradientGraph> {
  const upgraded = upgradeForGradients(source);
  const { opset } = upgraded;
  const upgradedGraph = upgraded.model.graph ?? {};
  // Tensors the rewrites below must keep: what the request names and the graph's outputs.
  const keep = new Set([
    request.objective.tensor,
    ...request.wrt,
    ...(request.read ?? []),
    ...(upgradedGraph.output ?? []).map((o) => o.name ?? ''),
  ]);
  const fused = fuseHardSwish(upgradedGraph.node ?? [], keep, scalarReader(upgradedGraph));
  const weights = weightInfo(upgradedGraph);
  const padded = padSqueezeChannels(fused.nodes, keep, opset, (name) => weights(name));
  const folded = foldBatchNorms(padded.nodes, keep, opset, (name) => {
    const info = weights(name);
    return info && { rank: info.dims.length, elemType: info.elemType };
  });
  const pathInput = request.path?.input;
  const graph = {
    ...upgradedGraph,
    node: pathInput ? alongPath(folded.nodes, pathInput) : folded.nodes,
    initializer: [...(upgradedGraph.initializer ?? []), ...padded.initializers, ...folded.initializers],
    input: [
      ...(upgradedGraph.input ?? []),
      ...(pathInput
        ? [PATH_BASELINE, PATH_ALPHAS].map((name) => ({ name, type: inputType(upgradedGraph, pathInput) }))
        : []),
    ],
  };
  if (pathInput && (!feeds[PATH_BASELINE] || !feeds[PATH_ALPHAS]))
    throw new InputError(`a path gradient needs the feeds '${PATH_BASELINE}' and '${PATH_ALPHAS}'`);
  // On a path, the input's gradient is that of the points.
  const wrt = request.wrt.map((name) => (name === pathInput ? PATH_POINTS : name));
  const model: ModelProto = { ...upgraded.model, graph };
  const forwardNodes = graph.node;
  const known = new Set<string>([
    ...(graph.input ?? []).map((v) => v.name ?? ''),
    ...(graph.initializer ?? []).map((t) => t.name ?? ''),
    ...forwardNodes.flatMap((n) => n.output ?? []),
  ]);
  for (const name of [request.objective.tensor, ...wrt, ...(request.read ?? [])]) {
    if (!known.has(name)) throw new InputError(`the graph has no tensor '${name}'`);
  }
  if (wrt.length === 0)
    throw new InputError('nothing to differentiate against: give at least one wrt tensor');

  // Before anything runs: every op on the way must have a gradient rule. The objective's own nodes
  // are standard reductions, so checking against the objective tensor covers them.
  checkDifferentiable(forwardNodes, request.objective.tensor, wrt);

  const fetches = [...new Set(forwardNodes.flatMap((n) => n.output ?? []).filter((o) => o !== ''))];
  const measured = await probe(
    { ...model, graph: { ...graph, output: fetches.map((name) => ({ name })) } },
    fetches,
  );
  const facts = new Map<string, TensorFacts>();
  for (const t of graph.initializer ?? []) facts.set(t.name ?? '', factsOfInitializer(t));
  for (const [name, tensor] of Object.entries(feeds)) facts.set(name, factsOfTensor(tensor));
  for (const [name, tensor] of Object.entries(measured)) facts.set(name, factsOfTensor(tensor));

  const b = new GraphBuilder(opset);
  const target = facts.get(request.objective.tensor);
  if (!target) throw new InputError(`the probe run did not produce '${request.objective.tensor}'`);
  const objective = emitObjective(b, request.objective, target.shape, target.elemType);
  for (const [name, shape] of objective.shapes) facts.set(name, { shape, elemType: target.elemType });
  const objectiveNodes = [...b.nodes];
  const gradients = emitGradients(
    b,
    [...forwardNodes, ...objectiveNodes],
    objective.value,
    wrt,
    facts,
    new Set([...batchAxisTensors(graph, request), ...(pathInput ? [PATH_POINTS] : [])]),
  );

  // Name outputs after what they hold: the objective, and `<tensor>_grad` for each gradient.
  const taken = new Set(known);
  const unique = (name: string) => {
    let candidate = name;
    for (let i = 2; taken.has(candidate); i++) candidate = `${name}.${i}`;
    taken.add(candidate);
    return candidate;
  };
  const objectiveOutput = unique('aia.objective');
  b.nodes.push({
    op_type: 'Identity',
    name: objectiveOutput,
    input: [objective.value],
    output: [objectiveOutput],
  });
  const gradientOutputs = new Map<string, string>();
  for (const [tensor, grad] of gradients) {
    const name = tensor === PATH_POINTS ? (pathInput as string) : tensor;
    const out = unique(`${name}_grad`);
    b.nodes.push({ op_type: 'Identity', name: out, input: [grad], output: [out] });
    gradientOutputs.set(name, out);
  }
  const outputs: ValueInfoProto[] = [
    ...(graph.output ?? []),
    outputInfo(objectiveOutput, target),
    ...[...gradientOutputs].map(([name, out]) => outputInfo(out, facts.get(name))),
    ...(request.read ?? [])
      .filter((name) => !(graph.output ?? []).some((o) => o.name === name))
      .map((name) => outputInfo(name, facts.get(name))),
  ];
  // The graph serves exactly the feeds' shapes, so its inputs say so: with every dimension known,
  // onnxruntime's shape inference proves the forward activations and the gradients flowing back to
  // them the same shape, which its NCHWc layout pass needs before it keeps an elementwise op between
  // two blocked convolutions in the blocked layout (a symbolic batch on one side and the number on
  // the other, after a Reshape in the backward pass, made it reorder both to NCHW and back).
  const inputs = [
    ...(graph.input ?? []).map((v) => withShape(v, feeds[v.name ?? '']?.dims)),
    ...(objective.weightsInput ? [objective.weightsInput] : []),
  ];
  const units = facts.get(OBJECTIVE_WEIGHTS_INPUT)?.shape[0];
  return {
    model: {
      ...model,
      graph: {
        ...graph,
        node: [...forwardNodes.flatMap((n) => b.forwardRewrites.get(n) ?? [n]), ...b.nodes],
        initializer: [...(graph.initializer ?? []), ...b.initializers],
        input: inputs,
        output: dedupe(outputs),
        value_info: [...(graph.value_info ?? []), ...declaredShapes(b, new Set(outputs.map((o) => o.name)))],
      },
    },
    objectiveOutput,
    gradientOutputs,
    ...(objective.weightsInput && units !== undefined
      ? { weights: { input: OBJECTIVE_WEIGHTS_INPUT, units, double: target.elemType === ElemType.DOUBLE } }
      : {}),
    opset,
  };
}

/** Dims and element type of initializers and Constant outputs (the weights a rewrite may change). */
function weightInfo(graph: GraphProto): (name: string) => { dims: number[]; elemType: number } | undefined {
  const known = new Map<string, { dims: number[]; elemType: number }>();
  for (const t of graph.initializer ?? [])
    known.set(t.name ?? '', { dims: (t.dims ?? []).map(int64ToNumber), elemType: t.data_type ?? -1 });
  for (const node of graph.node ?? []) {
    if (node.op_type !== 'Constant') continue;
    const t = (node.attribute ?? []).find((a) => a.name === 'value')?.t;
    const out = node.output?.[0];
    if (t && out) known.set(out, { dims: (t.dims ?? []).map(int64ToNumber), elemType: t.data_type ?? -1 });
  }
  return (name) => known.get(name);
}

/**
 * Integrated Gradients' points, ahead of the forward graph: PATH_POINTS = baseline + α·(input −
 * baseline), broadcast over the α (axis 0), read by every node that read the input.
 */
function alongPath(nodes: readonly NodeProto[], input: string): NodeProto[] {
  const step = `${PATH_POINTS}/step`;
  const scaled = `${PATH_POINTS}/scaled`;
  return [
    { op_type: 'Sub', name: step, input: [input, PATH_BASELINE], output: [step] },
    { op_type: 'Mul', name: scaled, input: [PATH_ALPHAS, step], output: [scaled] },
    { op_type: 'Add', name: PATH_POINTS, input: [PATH_BASELINE, scaled], output: [PATH_POINTS] },
    ...nodes.map((n) => ({ ...n, input: (n.input ?? []).map((i) => (i === input ? PATH_POINTS : i)) })),
  ];
}

/** The type of a graph input (its element type; the shape is set from the feeds later). */
function inputType(graph: GraphProto, name: string): ValueInfoProto['type'] {
  const elemType = (graph.input ?? []).find((v) => v.name === name)?.type?.tensor_type?.elem_type;
  return { tensor_type: { elem_type: elemType ?? ElemType.FLOAT } };
}

/**
 * The wrt tensors whose gradient is summed over the batch when the request asks: graph inputs and
 * activations (their axis 0 is the batch), never weights (their gradient already sums the batch).
 */
function batchAxisTensors(graph: GraphProto, request: GradientGraphRequest): Set<string> {
  if (request.sumBatch !== true) return new Set();
  const inputs = new Set((graph.input ?? []).map((v) => v.name ?? ''));
  const activations = new Set(
    (graph.node ?? []).filter((n) => n.op_type !== 'Constant').flatMap((n) => n.output ?? []),
  );
  return new Set(request.wrt.filter((w) => inputs.has(w) || activations.has(w)));
}

/** The shapes the reverse pass declared, as value_info (graph outputs excluded: they have their own). */
function declaredShapes(b: GraphBuilder, outputs: ReadonlySet<string | undefined>): ValueInfoProto[] {
  return [...b.shapes]
    .filter(([name]) => !outputs.has(name))
    .map(([name, { shape, elemType }]) => ({
      name,
      type: { tensor_type: { elem_type: elemType, shape: { dim: shape.map((d) => ({ dim_value: d })) } } },
    }));
}

function withShape(value: ValueInfoProto, dims: readonly number[] | undefined): ValueInfoProto {
  const tensor = value.type?.tensor_type;
  if (!dims || !tensor) return value;
  return {
    ...value,
    type: { ...value.type, tensor_type: { ...tensor, shape: { dim: dims.map((d) => ({ dim_value: d })) } } },
  };
}

function dedupe(values: ValueInfoProto[]): ValueInfoProto[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    if (seen.has(v.name ?? '')) return false;
    seen.add(v.name ?? '');
    return true;
  });
}
