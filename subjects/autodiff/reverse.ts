import { InputError } from '../../util/errors.ts';
import { ElemType, int64ToNumber, type NodeProto } from '../onnx/proto.ts';
import { spreadable, type GraphBuilder } from './builder.ts';
import { NO_GRADIENT_OPS, ruleFor } from './rules/index.ts';
import type { GradContext } from './rules/types.ts';

/**
 * The reverse-mode pass: from an objective tensor back to the tensors differentiated against, over
 * the nodes that lie between them. A tensor carries gradient when it is float and computed from a
 * `wrt` tensor through ops with gradient rules; shape and integer paths carry none. Each node's rule
 * turns the gradients of its outputs into gradients of its inputs; a tensor read by several nodes
 * sums their contributions.
 */

/** What a probe run measured about every tensor. */
export interface TensorFacts {
  shape: number[];
  elemType: number;
  /** Values of integer tensors (shapes, axes, indices). */
  ints?: number[];
}

const FLOAT_TYPES: ReadonlySet<number> = new Set([
  ElemType.FLOAT,
  ElemType.DOUBLE,
  ElemType.FLOAT16,
  ElemType.BFLOAT16,
]);

interface Plan {
  /** Nodes between wrt and the objective, in graph order. */
  nodes: NodeProto[];
  carries: Set<string>;
}

/**
 * Which nodes the pass goes through. Without facts (before anything runs) every tensor counts as
 * float; with facts, integer tensors stop the gradient.
 */
function plan(
  nodes: readonly NodeProto[],
  objective: string,
  wrt: readonly string[],
  facts?: ReadonlyMap<string, TensorFacts>,
): Plan {
  const wrtSet = new Set(wrt);
  const carries = new Set(wrt);
  const isFloat = (name: string) => !facts || FLOAT_TYPES.has(facts.get(name)?.elemType ?? -1);
  for (const node of nodes) {
    const op = node.op_type ?? '';
    if (NO_GRADIENT_OPS.has(op)) continue;
    if (!(node.input ?? []).some((i) => i && carries.has(i))) continue;
    for (const o of node.output ?? []) if (o && !wrtSet.has(o) && isFloat(o)) carries.add(o);
  }
  // The walk goes on through a wrt tensor to whatever computed it: with both an input and a site
  // downstream of it asked for, the site's gradient is complete before its producer is reached (every
  // reader comes later in graph order), and the input's gradient must include the paths through the
  // site. Stopping there gave the input a silently partial (often zero) gradient.
  const needed = new Set([objective]);
  const between: NodeProto[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i] as NodeProto;
    if (!(node.output ?? []).some((o) => needed.has(o) && carries.has(o))) continue;
    const carried = (node.input ?? []).filter((n) => n && carries.has(n));
    if (carried.length === 0) continue;
    between.push(node);
    for (const n of carried) needed.add(n);
  }
  between.reverse();
  return { nodes: between, carries: new Set([...carries].filter((t) => needed.has(t))) };
}

/**
 * Check that every node the gradient must pass through has a rule, before anything runs. The error
 * names every op and node that lacks one.
 */
export function checkDifferentiable(
  nodes: readonly NodeProto[],
  objective: string,
  wrt: readonly string[],
): void {
  const { nodes: between } = plan(nodes, objective, wrt);
  const missing = between.filter((n) => !ruleFor(n.op_type ?? ''));
  if (missing.length > 0) {
    const list = missing.slice(0, 8).map((n) => `${n.op_type} (node '${n.name || n.output?.[0]}')`);
    throw new InputError(
      `no gradient rule for ${list.join(', ')}${missing.length > 8 ? ` and ${missing.length - 8} more` : ''}; ` +
        'these ops lie between the objective and the tensors to differentiate against',
    );
  }
}

function attribute(node: NodeProto, name: string) {
  return (node.attribute ?? []).find((a) => a.name === name);
}

/**
 * Emit the gradient nodes into `b`; returns the gradient tensor of each wrt name (a zeros tensor
 * where the objective does not depend on it).
 */
export function emitGradients(
  b: GraphBuilder,
  nodes: readonly NodeProto[],
  objective: string,
  wrt: readonly string[],
  facts: ReadonlyMap<string, TensorFacts>,
  /** Wrt tensors whose gradient is wanted summed over the batch (axis 0 kept, size 1). */
  batchSums: ReadonlySet<string> = new Set(),
): Map<string, string> {
  const fact = (name: string): TensorFacts => {
    const f = facts.get(name);
    if (!f) throw new Error(`no shape is known for tensor '${name}'`);
    return f;
  };
  const { nodes: between, carries } = plan(nodes, objective, wrt, facts);
  // A batch-summed tensor no gradient flows on from (a graph input, or a site nothing upstream is
  // asked about) sums each contribution as it arrives, and a Conv reading it takes its input
  // gradient of the summed output gradient (one example's worth instead of the batch).
  const produced = new Set(between.flatMap((n) => n.output ?? []));
  const summedEarly = new Set(
    [...batchSums].filter((name) => !produced.has(name) && (fact(name).shape[0] ?? 1) > 1),
  );
  const shapeOf = (name: string): number[] =>
    summedEarly.has(name) ? [1, ...fact(name).shape.slice(1)] : fact(name).shape;
  const contributions = new Map<string, string[]>();
  const contribute = (name: string, given: string) => {
    let grad = given;
    if (summedEarly.has(name) && !b.batchSummed.has(grad)) {
      const small = b.broadcasting.get(grad);
      grad = b.reduceSum(grad, [0], true);
      if (small) b.broadcasting.set(grad, [1, ...small.slice(1)]);
    }
    if (!b.broadcasting.has(grad)) b.declare(grad, shapeOf(name), fact(name).elemType);
    const list = contributions.get(name);
    if (list) list.push(grad);
    else contributions.set(name, [grad]);
  };
  const total = (name: string): string | undefined => {
    const list = contributions.get(name);
    if (!list) return undefined;
    const { elemType } = fact(name);
    const shape = shapeOf(name);
    // A per-channel term of an image-shaped tensor is spread to full size (see GraphBuilder.spread);
    // the rest go full-size first, so a broadcasting Add has the full shape as its first operand.
    const terms = list.map((t) => {
      const small = b.broadcasting.get(t);
      if (!small || !spreadable(small, shape, elemType)) return t;
      const spread = b.spread(t, shape);
      b.declare(spread, shape, elemType);
      return spread;
    });
    const ordered = terms.sort((p, q) => Number(b.broadcasting.has(p)) - Number(b.broadcasting.has(q)));
    let sum = b.sum(ordered);
    if (ordered.every((t) => b.broadcasting.has(t))) sum = b.op('Expand', [sum, b.int64(shape)]);
    b.declare(sum, shape, elemType);
    contributions.set(name, [sum]);
    return sum;
  };
  contribute(objective, b.onesLike(objective, fact(objective).elemType));

  for (let i = between.length - 1; i >= 0; i--) {
    const node = between[i] as NodeProto;
    const inputs = node.input ?? [];
    const outputs = node.output ?? [];
    const gradOut = outputs.map((o) => (carries.has(o) ? total(o) : undefined));
    if (gradOut.every((g) => g === undefined)) continue;
    const label = `${node.op_type} node '${node.name || outputs[0]}'`;
    const ctx: GradContext = {
      b,
      node,
      inputs,
      outputs,
      gradOut,
      needs: inputs.map((n) => n !== '' && carries.has(n)),
      sumsBatch: (i) => summedEarly.has(inputs[i] ?? ''),
      shape: (name) => fact(name).shape,
      elemType: (name) => fact(name).elemType,
      ints: (name) => {
        const values = b.intsOf(name) ?? fact(name).ints;
        if (!values) throw new Error(`${label}: the values of '${name}' are not known`);
        return values;
      },
      attrInt: (name, fallback) => {
        const a = attribute(node, name);
        return a ? int64ToNumber(a.i) : fallback;
      },
      attrInts: (name) => {
        const a = attribute(node, name);
        return a ? (a.ints ?? []).map(int64ToNumber) : undefined;
      },
      attrFloat: (name, fallback) => attribute(node, name)?.f ?? fallback,
      attrString: (name, fallback) => {
        const s = attribute(node, name)?.s;
        return s ? new TextDecoder().decode(s) : fallback;
      },
      unsupported: (why) => new InputError(`${label}: ${why}`),
    };
    const rule = ruleFor(node.op_type ?? '');
    if (!rule) throw new InputError(`no gradient rule for ${label}`);
    const start = b.nodes.length;
    const grads = rule(ctx);
    // Which forward node each backward node serves, for profiles of the emitted graph.
    for (const n of b.nodes.slice(start)) n.doc_string = `gradient of ${label}`;
    grads.forEach((grad, k) => {
      const name = inputs[k];
      if (grad !== undefined && name && carries.has(name)) contribute(name, grad);
    });
  }

  const result = new Map<string, string>();
  for (const name of wrt) {
    const f = fact(name);
    const batched = batchSums.has(name) && !summedEarly.has(name) && (f.shape[0] ?? 1) > 1;
    const grad = total(name);
    if (grad === undefined) {
      result.set(name, b.zeros(batchSums.has(name) ? [1, ...f.shape.slice(1)] : f.shape, f.elemType));
    } else result.set(name, batched ? b.reduceSum(grad, [0], true) : grad);
  }
  return result;
}
