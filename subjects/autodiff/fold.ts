import type { NodeProto, TensorProto } from '../onnx/proto.ts';
import { GraphBuilder } from './builder.ts';

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
