import { ElemType, type GraphProto, type NodeProto, type TensorProto } from '../onnx/proto.ts';
import { CHANNEL_BLOCK, GraphBuilder } from './builder.ts';

/**
 * Folds inference BatchNormalization into the Conv before it, in the forward part of a gradient
 * graph: Conv(x, W, B) → BN(scale, bias, mean, var) becomes Conv(x, W·f, (B − mean)·f + bias) with
 * f = scale / √(var + ε) per output channel, written as graph ops on the weights that onnxruntime
 * folds to constants when the session is created. onnxruntime fuses the pair in the forward pass
 * anyway; folding before differentiating also removes the normalisation's backward product (one
 * multiply over every normalised activation), since the input-gradient Conv then uses W·f directly.
 *
 * A pair is left alone where the Conv's output is read by anything but the normalisation, is a graph
 * output or a tensor the request names (a site, objective, or read), or where any weight is
 * differentiated against (its gradient must come out under its own name).
 */
export function foldBatchNorms(
  nodes: readonly NodeProto[],
  keep: ReadonlySet<string>,
  opset: number,
  /** The rank and element type of a weight tensor, where they are known before anything runs. */
  weightOf: (name: string) => { rank: number; elemType: number } | undefined,
): { nodes: NodeProto[]; folded: number; initializers: TensorProto[] } {
  const readers = new Map<string, number>();
  for (const node of nodes)
    for (const i of node.input ?? []) if (i) readers.set(i, (readers.get(i) ?? 0) + 1);
  const producer = new Map<string, NodeProto>();
  for (const node of nodes) for (const o of node.output ?? []) if (o) producer.set(o, node);

  const b = new GraphBuilder(opset, 'aia.fold');
  const replaced = new Map<NodeProto, NodeProto[]>();
  const dropped = new Set<NodeProto>();
  for (const bn of nodes) {
    if (bn.op_type !== 'BatchNormalization') continue;
    const attrs = bn.attribute ?? [];
    if (attrs.some((a) => a.name === 'training_mode' && Number(a.i ?? 0) !== 0)) continue;
    if ((bn.output ?? []).filter((o) => o).length !== 1) continue;
    const [x, scale, bias, mean, variance] = bn.input ?? [];
    if (!x || !scale || !bias || !mean || !variance) continue;
    const conv = producer.get(x);
    if (!conv || conv.op_type !== 'Conv' || dropped.has(conv)) continue;
    if (readers.get(x) !== 1 || keep.has(x)) continue;
    const [input, weight, convBias] = conv.input ?? [];
    if (!input || !weight) continue;
    const params = [weight, convBias, scale, bias, mean, variance].filter((p): p is string => !!p);
    if (params.some((p) => keep.has(p))) continue;
    const info = weightOf(weight);
    if (!info || info.rank < 3) continue;
    const { rank, elemType } = info;

    const epsilon = attrs.find((a) => a.name === 'epsilon')?.f ?? 1e-5;
    const start = b.nodes.length;
    const factor = b.div(scale, b.op('Sqrt', [b.add(variance, b.scalar(epsilon, elemType))]));
    const scaledWeight = b.mul(
      weight,
      b.op('Unsqueeze', [factor, b.int64(Array.from({ length: rank - 1 }, (_, i) => i + 1))]),
    );
    const centred = convBias ? b.sub(convBias, mean) : b.neg(mean);
    const newBias = b.add(b.mul(centred, factor), bias);
    const output = bn.output?.[0] as string;
    const folded: NodeProto = {
      ...conv,
      input: [input, scaledWeight, newBias],
      output: [output],
    };
    // In the normalisation's place: every parameter exists by then, and the Conv's only reader was it.
    replaced.set(bn, [...b.nodes.slice(start), folded]);
    dropped.add(conv);
  }
  if (dropped.size === 0) return { nodes: [...nodes], folded: 0, initializers: [] };
  const out: NodeProto[] = [];
  for (const node of nodes) {
    if (dropped.has(node)) continue;
    out.push(...(replaced.get(node) ?? [node]));
  }
  return { nodes: out, folded: dropped.size, initializers: b.initializers };
}

/** A float scalar's value (an initializer or Constant output of one element), if it is one. */
export type ScalarOf = (name: string, only?: number) => number | undefined;

export function scalarReader(graph: GraphProto): ScalarOf {
  const tensors = new Map<string, TensorProto>();
  for (const t of graph.initializer ?? []) tensors.set(t.name ?? '', t);
  for (const node of graph.node ?? []) {
    const t =
      node.op_type === 'Constant' ? (node.attribute ?? []).find((a) => a.name === 'value')?.t : undefined;
    if (t && node.output?.[0]) tensors.set(node.output[0], t);
  }
  return (name, only) => {
    const t = tensors.get(name);
    if (!t || (t.dims ?? []).some((d) => Number(d) !== 1)) return undefined;
    if (only !== undefined && t.data_type !== only) return undefined;
    if (t.data_type === ElemType.FLOAT) {
      if ((t.float_data ?? []).length === 1) return t.float_data?.[0];
      if (t.raw_data?.byteLength === 4)
        return new DataView(t.raw_data.buffer, t.raw_data.byteOffset).getFloat32(0, true);
    }
    if (t.data_type === ElemType.DOUBLE) {
      if ((t.double_data ?? []).length === 1) return t.double_data?.[0];
      if (t.raw_data?.byteLength === 8)
        return new DataView(t.raw_data.buffer, t.raw_data.byteOffset).getFloat64(0, true);
    }
    return undefined;
  };
}

/**
 * Hard-swish written out as x · Clip(x + 3, 0, 6) / 6 (how Paddle and older exporters write it)
 * becomes one HardSwish node (opset 14): one pass over the activation instead of four in the
 * forward part, and a backward that reads only x instead of x, x + 3 and the clipped value (fewer
 * activations kept alive for the backward pass). Left alone where an intermediate is read elsewhere
 * or named by the request.
 */
export function fuseHardSwish(
  nodes: readonly NodeProto[],
  keep: ReadonlySet<string>,
  scalarOf: ScalarOf,
): { nodes: NodeProto[]; fused: number } {
  const readers = new Map<string, NodeProto[]>();
  for (const node of nodes)
    for (const i of node.input ?? []) if (i) readers.set(i, [...(readers.get(i) ?? []), node]);
  const only = (tensor: string): NodeProto | undefined => {
    const list = readers.get(tensor) ?? [];
    return list.length === 1 && !keep.has(tensor) ? list[0] : undefined;
  };
  // float32 only: onnxruntime's HardSwish kernel has no float64 version.
  const near = (name: string | undefined, value: number) => {
    const v = name ? scalarOf(name, ElemType.FLOAT) : undefined;
    return v !== undefined && Math.abs(v - value) < 1e-6;
  };
  const dropped = new Set<NodeProto>();
  const replaced = new Map<NodeProto, NodeProto>();
  for (const add of nodes) {
    if (add.op_type !== 'Add' || dropped.has(add)) continue;
    const [p, q] = add.input ?? [];
    const x = near(q, 3) ? p : near(p, 3) ? q : undefined;
    const a = add.output?.[0];
    if (!x || !a) continue;
    const clip = only(a);
    if (clip?.op_type !== 'Clip' || !near(clip.input?.[1], 0) || !near(clip.input?.[2], 6)) continue;
    const c = clip.output?.[0];
    const mul = c ? only(c) : undefined;
    if (mul?.op_type !== 'Mul' || !(mul.input ?? []).includes(x) || !(mul.input ?? []).includes(c as string))
      continue;
    const m = mul.output?.[0];
    const div = m ? only(m) : undefined;
    if (
      !div ||
      !(
        (div.op_type === 'Div' && near(div.input?.[1], 6)) ||
        (div.op_type === 'Mul' && near(div.input?.[1], 1 / 6))
      )
    )
      continue;
    if (div.input?.[0] !== m) continue;
    for (const n of [add, clip, mul]) dropped.add(n);
    replaced.set(div, {
      op_type: 'HardSwish',
      name: div.name,
      input: [x],
      output: [div.output?.[0] as string],
    });
  }
  const out = nodes.filter((n) => !dropped.has(n)).map((n) => replaced.get(n) ?? n);
  return { nodes: out, fused: replaced.size };
}

/** Dims and element type of a weight (an initializer or Constant output), where known before anything runs. */
export type WeightShapeOf = (name: string) => { dims: number[]; elemType: number } | undefined;

/** Elementwise activations with one input, which map a zero channel to a constant channel. */
const UNARY_ACTIVATIONS = new Set([
  'Relu',
  'LeakyRelu',
  'HardSwish',
  'HardSigmoid',
  'Sigmoid',
  'Tanh',
  'Elu',
]);

/**
 * A 1×1 conv fed by a channel count that is not a whole number of blocks (see CHANNEL_BLOCK) runs in
 * plain NCHW (or, under one block, reads its input in NCHW), so the tensors around it reorder. Widens
 * the hidden layer of a squeeze-excitation block — 1×1 Conv → activation → 1×1 Conv over
 * [N, C, 1, 1] — to a whole number of channel blocks, with zero filters in the first conv and zero
 * weights for the new channels in the second, so the second conv (and the scale it makes, and the
 * products with that scale, forward and backward) stays in onnxruntime's blocked layout. The
 * result is unchanged: whatever the activation makes of the new channels, the second conv weighs it
 * by zero. Left alone where a tensor inside is read elsewhere or named by the request, or where a
 * weight is differentiated against.
 */
export function padSqueezeChannels(
  nodes: readonly NodeProto[],
  keep: ReadonlySet<string>,
  opset: number,
  weightOf: WeightShapeOf,
): { nodes: NodeProto[]; padded: number; initializers: TensorProto[] } {
  const readers = new Map<string, NodeProto[]>();
  for (const node of nodes)
    for (const i of node.input ?? []) if (i) readers.set(i, [...(readers.get(i) ?? []), node]);
  const only = (tensor: string | undefined): NodeProto | undefined => {
    const list = tensor ? (readers.get(tensor) ?? []) : [];
    return list.length === 1 && tensor && !keep.has(tensor) ? list[0] : undefined;
  };
  const pointwise = (conv: NodeProto | undefined) => {
    if (conv?.op_type !== 'Conv') return undefined;
    const group = (conv.attribute ?? []).find((a) => a.name === 'group');
    if (group && Number(group.i ?? 1) !== 1) return undefined;
    const weight = weightOf(conv.input?.[1] ?? '');
    if (!weight || weight.dims.length !== 4 || weight.dims[2] !== 1 || weight.dims[3] !== 1) return undefined;
    return weight;
  };
  const b = new GraphBuilder(opset, 'aia.pad');
  const replaced = new Map<NodeProto, NodeProto[]>();
  for (const first of nodes) {
    const w1 = pointwise(first);
    const hidden = w1?.dims[0] as number;
    if (!w1 || hidden % CHANNEL_BLOCK === 0) continue;
    const act = only(first.output?.[0]);
    if (!act || !UNARY_ACTIVATIONS.has(act.op_type ?? '') || (act.input ?? []).length !== 1) continue;
    const second = only(act.output?.[0]);
    const w2 = pointwise(second);
    if (!second || !w2 || w2.dims[1] !== hidden) continue;
    const params = [...(first.input ?? []).slice(1), ...(second.input ?? []).slice(1)].filter((p) => p);
    if (params.some((p) => keep.has(p)) || replaced.has(first) || replaced.has(second)) continue;
    const extra = Math.ceil(hidden / CHANNEL_BLOCK) * CHANNEL_BLOCK - hidden;
    const pad = (tensor: string, rank: number, axis: number) => {
      const pads = new Array<number>(2 * rank).fill(0);
      pads[rank + axis] = extra;
      return b.op('Pad', [tensor, b.int64(pads)]);
    };
    const start = b.nodes.length;
    const [x1, weight1, bias1] = first.input ?? [];
    const inputs1 = [x1 as string, pad(weight1 as string, 4, 0), ...(bias1 ? [pad(bias1, 1, 0)] : [])];
    replaced.set(first, [...b.nodes.slice(start), { ...first, input: inputs1 }]);
    const start2 = b.nodes.length;
    const [x2, weight2, ...rest2] = second.input ?? [];
    const inputs2 = [x2 as string, pad(weight2 as string, 4, 1), ...rest2];
    replaced.set(second, [...b.nodes.slice(start2), { ...second, input: inputs2 }]);
  }
  if (replaced.size === 0) return { nodes: [...nodes], padded: 0, initializers: [] };
  return {
    nodes: nodes.flatMap((n) => replaced.get(n) ?? [n]),
    padded: replaced.size / 2,
    initializers: b.initializers,
  };
}
