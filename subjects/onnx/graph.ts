import type { GraphProto, NodeProto } from './proto.ts';

/**
 * What the main graph's structure says about its tensors: who produces each one, and which are
 * weights. A weight is an initializer, a Constant output, or anything computed from weights alone
 * (Paddle exports keep their weights in Constant nodes, sometimes behind a Cast or Reshape), so
 * weights are excluded from sites whichever style the exporter used.
 */
export interface GraphIndex {
  inputNames: string[];
  outputNames: string[];
  /** Producing node of every node output, by tensor name. */
  producers: Map<string, NodeProto>;
  /** Position of each node in graph order (topological in valid ONNX). */
  nodeOrder: Map<NodeProto, number>;
  /** Consumers of each tensor, in graph order. */
  consumers: Map<string, NodeProto[]>;
  /** Tensors whose values do not depend on any graph input. */
  constants: Set<string>;
  /** Node outputs that depend on a graph input: the candidate sites, in graph order. */
  dynamicTensors: string[];
}

// Ops whose output varies from run to run even with constant inputs: never folded into weights.
const NONDETERMINISTIC = new Set([
  'RandomNormal',
  'RandomUniform',
  'RandomNormalLike',
  'RandomUniformLike',
  'Multinomial',
  'Bernoulli',
]);

export function indexGraph(graph: GraphProto): GraphIndex {
  const initializerNames = new Set([
    ...(graph.initializer ?? []).map((t) => t.name ?? ''),
    ...(graph.sparse_initializer ?? []).map((t) => t.values?.name ?? ''),
  ]);
  // Before IR 4 initializers were also listed as inputs; those are weights, not real inputs.
  const inputNames = (graph.input ?? [])
    .map((v) => v.name ?? '')
    .filter((n) => n && !initializerNames.has(n));
  const outputNames = (graph.output ?? []).map((v) => v.name ?? '');
  const constants = new Set(initializerNames);
  const producers = new Map<string, NodeProto>();
  const consumers = new Map<string, NodeProto[]>();
  const nodeOrder = new Map<NodeProto, number>();
  const dynamicTensors: string[] = [];

  (graph.node ?? []).forEach((node, index) => {
    nodeOrder.set(node, index);
    const inputs = (node.input ?? []).filter((name) => name !== '');
    for (const name of inputs) {
      const list = consumers.get(name);
      if (list) list.push(node);
      else consumers.set(name, [node]);
    }
    const opType = node.op_type ?? '';
    // A node with subgraphs (If, Loop, Scan) may read outer tensors we cannot see from its inputs.
    // (protobufjs leaves unset message fields null, hence `!= null`.)
    const hasSubgraph = (node.attribute ?? []).some((a) => a.g != null || (a.graphs ?? []).length > 0);
    const isConstant =
      !NONDETERMINISTIC.has(opType) && !hasSubgraph && inputs.every((name) => constants.has(name));
    for (const name of node.output ?? []) {
      if (name === '') continue;
      producers.set(name, node);
      if (isConstant) constants.add(name);
      else dynamicTensors.push(name);
    }
  });
  return { inputNames, outputNames, producers, nodeOrder, consumers, constants, dynamicTensors };
}
