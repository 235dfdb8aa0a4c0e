import type { NodeProto } from '../onnx/proto.ts';

/**
 * The PyTorch module a node was exported from, as a dotted path (`transformer.h.0.attn`), read the
 * way each exporter records it:
 * - the dynamo exporter: node metadata `pkg.torch.onnx.name_scopes`, a Python list repr of the
 *   module stack ending with the FX node's own name (`['', 'transformer', 'transformer.h.0', …,
 *   'softmax_3']`);
 * - the TorchScript exporter: the node name, `/transformer/h.0/attn/Softmax_1`.
 * Undefined when the node carries neither (a hand-made or optimised graph).
 */
export function moduleScope(node: NodeProto): string | undefined {
  const scopes = (node.metadata_props ?? []).find((p) => p.key === 'pkg.torch.onnx.name_scopes')?.value;
  if (scopes) {
    const fromMetadata = scopeFromNameScopes(scopes);
    if (fromMetadata !== undefined) return fromMetadata;
  }
  const name = node.name ?? '';
  if (!name.startsWith('/')) return undefined;
  const segments = name.split('/').filter(Boolean);
  segments.pop(); // the op's own name
  return segments.join('.');
}

/** The module path from a name_scopes list: its last module entry (entries are cumulative paths). */
export function scopeFromNameScopes(text: string): string | undefined {
  const items = [...text.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)].map((m) =>
    (m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1'),
  );
  if (items.length === 0) return undefined;
  items.pop(); // the FX node's own name
  const modules = items.map(normalisePath).filter((s) => s !== '');
  if (modules.length === 0) return '';
  // Some torch versions record each module's own name rather than its full path: join them then.
  const cumulative = modules.every((m, i) => i === 0 || m.startsWith(`${modules[i - 1]}.`));
  return cumulative ? (modules.at(-1) as string) : modules.join('.');
}

/** `L['self'].transformer.h[0]` and `transformer.h.0` alike → `transformer.h.0`. */
function normalisePath(path: string): string {
  return path
    .replace(/^L\['self'\]\.?/, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/^\.+|\.+$/g, '');
}
