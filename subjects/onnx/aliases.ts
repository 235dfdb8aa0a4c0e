import { InputError } from '../../util/errors.ts';
import { nearNames } from '../../util/names.ts';
import type { DiscoveredSite } from './discover.ts';
import type { GraphIndex } from './graph.ts';
import type { NodeProto } from './proto.ts';
import { transformerLensNames } from '../language-model/transformer-lens-names.ts';

/**
 * Friendly site names. The manifest's aliases come first; then generated ones:
 * - `conv<k>`: the output of the k-th convolution (1-based, graph order);
 * - `conv<k>.out`: the end of its block — the last tensor of the same shape computed from it before
 *   the next convolution (after BatchNorm and the activation, e.g. Paddle's decomposed hardswish);
 * - `gemm<k>` / `matmul<k>`: outputs of fully connected layers;
 * - `logits`: the input of a Softmax that produces a graph output;
 * - TransformerLens names (`blocks.0.mlp.hook_post`, …) for transformers exported from PyTorch,
 *   found from module scopes (language-model/transformer-lens-names.ts).
 * A generated alias is skipped where it would shadow a tensor name or a manifest alias.
 */
export function buildAliases(
  sites: readonly DiscoveredSite[],
  index: GraphIndex,
  manifestAliases: Readonly<Record<string, string>>,
): Map<string, string> {
  const siteNames = new Set(sites.map((s) => s.name));
  const aliases = new Map<string, string>();
  const structural = transformerLensNames(index, siteNames);
  for (const [alias, named] of Object.entries(manifestAliases)) {
    // A manifest alias may name a tensor or a TransformerLens name (`blocks.3.mlp.hook_post`).
    const target = siteNames.has(named) ? named : (structural.get(named) ?? named);
    if (!siteNames.has(target)) {
      const near = nearNames(target, siteNames);
      throw new InputError(
        `manifest alias '${alias}' points to '${target}', which is not a site` +
          (near.length ? `; did you mean ${near.join(', ')}?` : ''),
      );
    }
    if (siteNames.has(alias) && alias !== target) {
      throw new InputError(
        `manifest alias '${alias}' is already the name of another tensor; choose another alias`,
      );
    }
    aliases.set(alias, target);
  }
  const add = (alias: string, target: string | undefined) => {
    if (target === undefined || !siteNames.has(target) || siteNames.has(alias) || aliases.has(alias)) return;
    aliases.set(alias, target);
  };

  for (const [alias, target] of structural) add(alias, target);

  const shapeOf = new Map(sites.map((s) => [s.name, JSON.stringify(s.shape)]));
  const nodes = [...index.nodeOrder.keys()];
  const counters = new Map<string, number>();
  const next = (prefix: string) => {
    const k = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, k);
    return `${prefix}${k}`;
  };
  nodes.forEach((node, position) => {
    const op = node.op_type ?? '';
    const output = node.output?.[0];
    if (output === undefined || !siteNames.has(output)) return;
    if (op === 'Conv' || op === 'ConvTranspose') {
      const name = next('conv');
      add(name, output);
      const end = blockEnd(nodes, position, output, shapeOf);
      if (end !== output) add(`${name}.out`, end);
    } else if (op === 'Gemm') add(next('gemm'), output);
    else if (op === 'MatMul') add(next('matmul'), output);
  });
  for (const name of index.outputNames) {
    const producer = index.producers.get(name);
    if (producer?.op_type === 'Softmax') add('logits', producer.input?.[0]);
  }
  return aliases;
}

/** Follow a conv output through same-shape nodes that consume it, up to the next convolution. */
function blockEnd(
  nodes: readonly NodeProto[],
  position: number,
  start: string,
  shapeOf: ReadonlyMap<string, string>,
): string {
  const shape = shapeOf.get(start);
  const chain = new Set([start]);
  let end = start;
  for (const node of nodes.slice(position + 1)) {
    const op = node.op_type ?? '';
    if (op === 'Conv' || op === 'ConvTranspose') break;
    if (!(node.input ?? []).some((i) => chain.has(i))) continue;
    for (const output of node.output ?? []) {
      if (shapeOf.get(output) === shape) {
        chain.add(output);
        end = output;
      }
    }
  }
  return end;
}
