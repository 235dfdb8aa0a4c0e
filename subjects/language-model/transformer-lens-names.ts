import type { GraphIndex } from '../onnx/graph.ts';
import type { NodeProto } from '../onnx/proto.ts';
import { moduleScope } from './module-scopes.ts';

/**
 * TransformerLens names for the sites of a transformer exported from PyTorch, found from each node's
 * module scope and op type — never from tensor names, which differ between exporters:
 *
 * | name                       | tensor                                                             |
 * | -------------------------- | ------------------------------------------------------------------ |
 * | `hook_embed`               | output of the token embedding module (wte, embed_tokens)           |
 * | `hook_pos_embed`           | output of the position embedding module (wpe)                      |
 * | `blocks.L.hook_resid_pre`  | the residual stream entering block L (its first outside input)     |
 * | `blocks.L.attn.hook_pattern` | the Softmax inside block L's attention: [batch, head, query, key] |
 * | `blocks.L.attn.hook_z`     | the pattern times the values, per head: [batch, head, query, d_head] |
 * | `blocks.L.hook_attn_out`   | the attention module's output                                      |
 * | `blocks.L.hook_resid_mid`  | the first residual Add in the block's own scope                    |
 * | `blocks.L.mlp.hook_pre`    | the activation function's input (the first MLP linear's output)    |
 * | `blocks.L.mlp.hook_post`   | the activation function's output                                   |
 * | `blocks.L.hook_mlp_out`    | the MLP module's output                                            |
 * | `blocks.L.hook_resid_post` | the last residual Add in the block's own scope                     |
 * | `ln_final`                 | the final LayerNorm's output (ln_f, norm)                          |
 *
 * Blocks are modules named `h.L`, `layers.L`, `blocks.L` or `layer.L` (GPT-2, Llama/OPT, GPT-NeoX…).
 * Names that cannot be found are left out; `sites` limits the answer to tensors that are sites. A
 * graph with no attention Softmax in any block gets no names at all: it is not a transformer.
 */
export function transformerLensNames(index: GraphIndex, sites: ReadonlySet<string>): Map<string, string> {
  const groups = groupByScope(index);
  const names = new Map<string, string>();
  const set = (name: string, tensor: string | undefined) => {
    if (tensor !== undefined && sites.has(tensor) && !names.has(name)) names.set(name, tensor);
  };

  const outside = groups.filter((g) => g.block === undefined);
  const module = (pattern: RegExp) =>
    outside.filter((g) => pattern.test(lastSegment(g.scope))).flatMap((g) => g.nodes);
  set(
    'hook_embed',
    lastOutput(index, module(/^(wte|embed_tokens|word_embeddings|embed_in|tok_embeddings)$/)),
  );
  set('hook_pos_embed', lastOutput(index, module(/^(wpe|embed_positions|position_embeddings)$/)));

  const layers = [...new Set(groups.flatMap((g) => (g.block === undefined ? [] : [g.block.layer])))].sort(
    (a, b) => a - b,
  );
  for (const layer of layers) {
    const inBlock = groups.filter((g) => g.block?.layer === layer);
    const all = inBlock.flatMap((g) => g.nodes);
    const within = (pattern: RegExp) =>
      inBlock.filter((g) => pattern.test(g.block?.inner ?? '')).flatMap((g) => g.nodes);
    const b = `blocks.${layer}`;

    set(`${b}.hook_resid_pre`, externalInput(index, all));

    const attention = within(/^(attn|self_attn|attention|self_attention)(\.|$)/);
    const softmax = attention.find((n) => n.op_type === 'Softmax');
    const pattern = softmax?.output?.[0];
    set(`${b}.attn.hook_pattern`, pattern);
    if (pattern !== undefined) {
      const z = (index.consumers.get(pattern) ?? []).find((n) => n.op_type === 'MatMul');
      set(`${b}.attn.hook_z`, z?.output?.[0]);
    }
    const attnOut = lastOutput(index, attention);
    set(`${b}.hook_attn_out`, attnOut);

    const mlp = within(/^(mlp|feed_forward|ffn)(\.|$)/);
    const activation = within(/^(mlp|feed_forward|ffn)\.(act|act_fn|activation_fn|gelu)$/);
    if (activation.length > 0) {
      set(`${b}.mlp.hook_pre`, externalInput(index, activation));
      set(`${b}.mlp.hook_post`, lastOutput(index, activation));
    } else {
      // No activation module (a functional GELU): between the MLP's two linear layers.
      set(
        `${b}.mlp.hook_pre`,
        lastOutput(index, within(/^(mlp|feed_forward|ffn)\.(c_fc|fc1|fc_in|up_proj|dense_h_to_4h)$/)),
      );
      set(
        `${b}.mlp.hook_post`,
        externalInput(index, within(/^(mlp|feed_forward|ffn)\.(c_proj|fc2|fc_out|down_proj|dense_4h_to_h)$/)),
      );
    }
    set(`${b}.hook_mlp_out`, lastOutput(index, mlp));

    // Residual additions are written in the block's own scope (not inside a submodule).
    const adds = inBlock
      .filter((g) => g.block?.inner === '')
      .flatMap((g) => g.nodes)
      .filter((n) => n.op_type === 'Add');
    if (adds.length >= 2) set(`${b}.hook_resid_mid`, adds[0]?.output?.[0]);
    set(`${b}.hook_resid_post`, adds.at(-1)?.output?.[0] ?? lastOutput(index, all));
  }

  set('ln_final', lastOutput(index, module(/^(ln_f|norm|final_layer_norm|final_layernorm|ln_final)$/)));
  // Without an attention pattern this is no transformer (a CNN may have modules named layers.0).
  const attention = [...names.keys()].some((name) => name.endsWith('.attn.hook_pattern'));
  return attention ? names : new Map();
}

interface ScopeGroup {
  scope: string;
  /** The block the scope lies in, and the path inside it ('' for the block's own nodes). */
  block: { layer: number; inner: string } | undefined;
  nodes: NodeProto[];
}

const BLOCK = /(?:^|\.)(?:h|layers|blocks|layer)\.(\d+)(?:\.(.*))?$/;

/** Nodes by module scope, each group in graph order. */
function groupByScope(index: GraphIndex): ScopeGroup[] {
  const groups = new Map<string, ScopeGroup>();
  for (const node of index.nodeOrder.keys()) {
    const scope = moduleScope(node);
    if (scope === undefined) continue;
    let group = groups.get(scope);
    if (!group) {
      const match = BLOCK.exec(scope);
      group = {
        scope,
        block: match ? { layer: Number(match[1]), inner: match[2] ?? '' } : undefined,
        nodes: [],
      };
      groups.set(scope, group);
    }
    group.nodes.push(node);
  }
  return [...groups.values()];
}

function lastSegment(scope: string): string {
  return scope.split('.').at(-1) ?? '';
}

/** The output of the last node (graph order) of a set of nodes; undefined for none. */
function lastOutput(index: GraphIndex, nodes: readonly NodeProto[]): string | undefined {
  let last: NodeProto | undefined;
  for (const node of nodes) {
    if (!last || (index.nodeOrder.get(node) ?? 0) > (index.nodeOrder.get(last) ?? 0)) last = node;
  }
  return last?.output?.[0];
}

/** The first input-dependent tensor the nodes read that none of them produces (graph order). */
function externalInput(index: GraphIndex, nodes: readonly NodeProto[]): string | undefined {
  const inside = new Set(nodes);
  const ordered = [...nodes].sort((a, b) => (index.nodeOrder.get(a) ?? 0) - (index.nodeOrder.get(b) ?? 0));
  for (const node of ordered) {
    for (const input of node.input ?? []) {
      if (input === '' || index.constants.has(input)) continue;
      const producer = index.producers.get(input);
      if (!producer || !inside.has(producer)) return input;
    }
  }
  return undefined;
}
