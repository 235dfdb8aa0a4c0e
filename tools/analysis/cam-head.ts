import type { ModelProto, NodeProto } from '../../subjects/onnx/proto.ts';
import { int64ToNumber } from '../../subjects/onnx/proto.ts';
import type { LinearWeights } from '../saliency/cam.ts';
import { ConstantReader } from './onnx-constants.ts';

/**
 * Finding a head that Class Activation Mapping (Zhou et al. 2016) applies to: the output is a linear
 * function of globally average-pooled feature maps,
 *
 *   F [N,C,H,W] → GlobalAveragePool | ReduceMean(axes 2,3) → (Flatten | Reshape | Squeeze)
 *     → Gemm | MatMul (+ Add bias) → (Softmax | LogSoftmax | Identity) → graph output,
 *
 * with the linear weights stored in the graph (initializers or Constant nodes). Then logit_k =
 * Σ_c w[k,c]·mean(F_c) + b_k and CAM_k = Σ_c w[k,c]·F_c. Anything else (a nonlinearity between pooling
 * and the linear layer, two linear layers, weights computed at run time) is reported as unavailable with
 * the reason, so a caller can say why CAM cannot be used and fall back to occlusion or RISE.
 */

export interface CamHead {
  /** The feature tensor F that is pooled (a site name). */
  features: string;
  /** The pooling node's op. */
  pooling: string;
  /** The tensor holding the linear layer's output (the logits, bias included). */
  logits: string;
  /** The graph output the head ends in. */
  output: string;
  /** w[k, c]: classes × channels. */
  weights: LinearWeights;
  /** b_k, when the head has a bias. */
  bias?: Float32Array;
}

export type CamHeadSearch = { available: true; head: CamHead } | { available: false; reason: string };

const AFTER_LOGITS = new Set(['Softmax', 'LogSoftmax', 'Identity']);
const FLATTENING = new Set(['Flatten', 'Reshape', 'Squeeze']);

/** Look for a CAM head ending in `outputName` (default: the graph's first output). */
export function findCamHead(model: ModelProto, outputName?: string): CamHeadSearch {
  const reader = new ConstantReader(model);
  const { producers } = reader.index;
  const output = outputName ?? reader.index.outputNames[0];
  if (output === undefined) return unavailable('the model has no outputs');
  const producerOf = (name: string): NodeProto | undefined => producers.get(name);
  const dynamicInput = (node: NodeProto): string | undefined =>
    (node.input ?? []).find((name) => name !== '' && !reader.isConstant(name));

  // Walk back from the output over softmax-like ops to the linear layer.
  let logits = output;
  let node = producerOf(logits);
  while (node && AFTER_LOGITS.has(node.op_type ?? '')) {
    logits = node.input?.[0] ?? '';
    node = producerOf(logits);
  }
  if (!node) return unavailable(`'${output}' is not computed by a node`);

  let bias: Float32Array | undefined;
  let linear = node;
  if (node.op_type === 'Add') {
    const biasName = (node.input ?? []).find((name) => reader.isConstant(name));
    const before = dynamicInput(node);
    const values = biasName === undefined ? undefined : reader.floatValues(biasName);
    if (!values || before === undefined)
      return unavailable(`the output comes from an Add that is not a constant bias`);
    bias = Float32Array.from(values.values);
    const producer = producerOf(before);
    if (!producer) return unavailable(`the bias Add's input '${before}' is not computed by a node`);
    linear = producer;
  }
  const linearOp = linear.op_type ?? '';
  if (linearOp !== 'Gemm' && linearOp !== 'MatMul') {
    return unavailable(
      `the output comes from ${linearOp}, not a linear layer (Gemm or MatMul) after pooling`,
    );
  }
  const linearWeights = readLinear(linear, reader);
  if ('reason' in linearWeights) return unavailable(linearWeights.reason);
  if (linearOp === 'Gemm' && linear.input?.[2]) {
    const c = reader.floatValues(linear.input[2]);
    if (!c) return unavailable(`the Gemm bias '${linear.input[2]}' is not a stored constant`);
    bias = Float32Array.from(c.values);
  }

  // Before the linear layer: optional flattening, then global average pooling.
  let pooledName = linearWeights.input;
  let pooling = producerOf(pooledName);
  while (pooling && FLATTENING.has(pooling.op_type ?? '')) {
    pooledName = pooling.input?.[0] ?? '';
    pooling = producerOf(pooledName);
  }
  if (!pooling) return unavailable(`the linear layer's input is not computed by a node`);
  const poolOp = pooling.op_type ?? '';
  if (poolOp === 'ReduceMean' && !reducesSpatialAxes(pooling, reader)) {
    return unavailable('the linear layer follows a ReduceMean that does not average over both spatial axes');
  }
  if (poolOp !== 'GlobalAveragePool' && poolOp !== 'ReduceMean') {
    return unavailable(
      `the linear layer's input comes from ${poolOp}, not global average pooling (CAM needs GAP → linear)`,
    );
  }
  const features = pooling.input?.[0];
  if (!features) return unavailable('the pooling node has no input');
  return {
    available: true,
    head: {
      features,
      pooling: poolOp,
      logits,
      output,
      weights: linearWeights.weights,
      ...(bias && bias.length === linearWeights.weights.classes ? { bias } : {}),
    },
  };
}

/** The weights of a Gemm/MatMul whose second operand is a stored constant, as w[class, channel]. */
function readLinear(
  node: NodeProto,
  reader: ConstantReader,
): { weights: LinearWeights; input: string } | { reason: string } {
  const [a, b] = node.input ?? [];
  const attribute = (name: string) => (node.attribute ?? []).find((x) => x.name === name);
  const transA = int64ToNumber(attribute('transA')?.i ?? 0);
  const transB = int64ToNumber(attribute('transB')?.i ?? 0);
  const alpha = attribute('alpha')?.f ?? 1;
  if (a === undefined || b === undefined || reader.isConstant(a) || transA !== 0) {
    return { reason: `the ${node.op_type} layer does not take the pooled features as its first input` };
  }
  const stored = reader.floatValues(b);
  if (!stored) return { reason: `the ${node.op_type} weights '${b}' are not a stored float constant` };
  if (stored.dims.length !== 2) {
    return { reason: `the ${node.op_type} weights have shape [${stored.dims.join(', ')}], not a matrix` };
  }
  // MatMul and Gemm (transB 0) store B as [channels, classes]; Gemm with transB 1 as [classes, channels].
  const transposed = node.op_type === 'Gemm' && transB === 1;
  const [rows, columns] = stored.dims as [number, number];
  const classes = transposed ? rows : columns;
  const channels = transposed ? columns : rows;
  const data = new Float32Array(classes * channels);
  for (let k = 0; k < classes; k++) {
    for (let c = 0; c < channels; c++) {
      const v = transposed ? stored.values[k * channels + c] : stored.values[c * classes + k];
      data[k * channels + c] = alpha * (v as number);
    }
  }
  return { weights: { data, classes, channels }, input: a };
}

/** ReduceMean over axes {2, 3} of a rank-4 tensor (from the attribute, or the opset-18 axes input). */
function reducesSpatialAxes(node: NodeProto, reader: ConstantReader): boolean {
  const attribute = (node.attribute ?? []).find((x) => x.name === 'axes');
  let axes = (attribute?.ints ?? []).map(int64ToNumber);
  const axesInput = node.input?.[1];
  if (axes.length === 0 && axesInput) {
    const producer = reader.index.producers.get(axesInput);
    const value = (producer?.attribute ?? []).find((x) => x.name === 'value')?.t;
    axes = (value?.int64_data ?? []).map(int64ToNumber);
    if (axes.length === 0 && value?.raw_data) {
      const raw = Uint8Array.from(value.raw_data);
      axes = Array.from(new BigInt64Array(raw.buffer), Number);
    }
  }
  const normalised = axes.map((axis) => (axis < 0 ? axis + 4 : axis)).sort();
  return normalised.length === 2 && normalised[0] === 2 && normalised[1] === 3;
}

function unavailable(reason: string): CamHeadSearch {
  return { available: false, reason };
}
