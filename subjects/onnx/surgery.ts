import type { ModelProto, NodeProto, ValueInfoProto } from './proto.ts';

/**
 * Graph surgery on decoded models. Every function returns a new model that shares unchanged parts
 * with its argument, which is never modified (the subject keeps one decoded model for all sessions).
 */

/** A tensor to expose as a graph output, with its element type when known. */
export interface OutputRequest {
  name: string;
  elemType?: number;
}

/**
 * Add graph outputs. ONNX wants an element type on graph outputs but onnxruntime infers it when it
 * is missing, which is how site discovery learns the types of every tensor in one session.
 */
export function withExtraOutputs(model: ModelProto, outputs: readonly OutputRequest[]): ModelProto {
  const graph = model.graph ?? {};
  const existing = new Set((graph.output ?? []).map((v) => v.name));
  const added: ValueInfoProto[] = [];
  for (const { name, elemType } of outputs) {
    if (existing.has(name)) continue;
    existing.add(name);
    added.push(elemType === undefined ? { name } : { name, type: { tensor_type: { elem_type: elemType } } });
  }
  if (added.length === 0) return model;
  return { ...model, graph: { ...graph, output: [...(graph.output ?? []), ...added] } };
}

/** A site to make editable: `y = x * scale + shift` with scale and shift fed per run. */
export interface EditableSite {
  name: string;
  elemType: number;
  /** Shape of the scale and shift inputs: 1 everywhere except the unit axis (the unit count). */
  paramShape: readonly number[];
}

export interface EditInputs {
  scale: string;
  shift: string;
}

/** Names of the scale and shift inputs of the index-th edited site (fixed, so feeds need no surgery). */
export function editInputNames(index: number): EditInputs {
  return { scale: `aia.edit${index}.scale`, shift: `aia.edit${index}.shift` };
}

/**
 * Insert `x * scale + shift` right after the node producing each site. The producer's output is
 * renamed and the Add writes the site's original name, so every consumer — later nodes, graph
 * outputs, subgraphs that capture it by name — sees the edited tensor, and reading the site returns
 * the edited values. scale and shift become graph inputs, so one compiled session serves any values.
 */
export function withEdits(
  model: ModelProto,
  sites: readonly EditableSite[],
): { model: ModelProto; inputs: Map<string, EditInputs> } {
  const graph = model.graph ?? {};
  const nodes = [...(graph.node ?? [])];
  const newInputs: ValueInfoProto[] = [];
  const inputs = new Map<string, EditInputs>();
  sites.forEach((site, index) => {
    const prefix = `aia.edit${index}`;
    const producerIndex = nodes.findIndex((n) => (n.output ?? []).includes(site.name));
    const producer = nodes[producerIndex];
    if (!producer) throw new Error(`site '${site.name}' is not produced by any node`);
    const original = `${prefix}.original`;
    const scaled = `${prefix}.scaled`;
    const names = editInputNames(index);
    const renamed: NodeProto = {
      ...producer,
      output: (producer.output ?? []).map((o) => (o === site.name ? original : o)),
    };
    const mul: NodeProto = {
      op_type: 'Mul',
      name: `${prefix}.mul`,
      input: [original, names.scale],
      output: [scaled],
    };
    const add: NodeProto = {
      op_type: 'Add',
      name: `${prefix}.add`,
      input: [scaled, names.shift],
      output: [site.name],
    };
    nodes.splice(producerIndex, 1, renamed, mul, add);
    const dims = site.paramShape.map((d) => ({ dim_value: d }));
    for (const name of [names.scale, names.shift]) {
      newInputs.push({ name, type: { tensor_type: { elem_type: site.elemType, shape: { dim: dims } } } });
    }
    inputs.set(site.name, names);
  });
  return {
    model: { ...model, graph: { ...graph, node: nodes, input: [...(graph.input ?? []), ...newInputs] } },
    inputs,
  };
}

/**
 * Keep only the named graph outputs and the nodes they depend on. A read that does not want the
 * model's outputs then skips the work after its sites (a language model's unembedding is often the
 * largest matrix product of all). A node with subgraphs may read tensors its inputs do not list, so
 * when one would be dropped nothing is pruned beyond the outputs.
 */
export function withOutputsOnly(model: ModelProto, names: readonly string[]): ModelProto {
  const graph = model.graph ?? {};
  const wanted = new Set(names);
  const outputs = (graph.output ?? []).filter((v) => wanted.has(v.name ?? ''));
  const needed = new Set(names);
  const nodes = graph.node ?? [];
  const keep = new Array<boolean>(nodes.length).fill(false);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i] as NodeProto;
    if (!(node.output ?? []).some((o) => needed.has(o))) continue;
    keep[i] = true;
    for (const input of node.input ?? []) if (input) needed.add(input);
  }
  const dropsSubgraph = nodes.some(
    (n, i) => !keep[i] && (n.attribute ?? []).some((a) => a.g != null || (a.graphs ?? []).length > 0),
  );
  const node = dropsSubgraph ? nodes : nodes.filter((_, i) => keep[i]);
  const initializer = dropsSubgraph
    ? graph.initializer
    : (graph.initializer ?? []).filter((t) => needed.has(t.name ?? ''));
  return { ...model, graph: { ...graph, node, initializer, output: outputs } };
}
