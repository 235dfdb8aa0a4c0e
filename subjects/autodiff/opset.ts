import { InputError } from '../../util/errors.ts';
import { int64ToNumber, type AttributeProto, type ModelProto, type NodeProto } from '../onnx/proto.ts';
import { attr, GraphBuilder } from './builder.ts';

/**
 * Gradient graphs are written in one opset: the model's own when it is 17 or newer, else 17. Older
 * models are first rewritten to 17 where an op's signature changed since (Clip bounds, Slice starts,
 * Reduce/Squeeze/Unsqueeze axes and Split sizes moved from attributes to inputs; Softmax stopped
 * flattening to 2-D in 13; Pad took its pads as an input in 11). Dropout becomes Identity (inference).
 * Tensor names are kept, so sites and outputs mean the same in the rewritten graph.
 */

export const MIN_GRADIENT_OPSET = 17;

export function modelOpset(model: ModelProto): number {
  const entry = (model.opset_import ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  return int64ToNumber(entry?.version) || 1;
}

function findAttr(node: NodeProto, name: string): AttributeProto | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

function without(node: NodeProto, ...names: string[]): AttributeProto[] {
  return (node.attribute ?? []).filter((a) => !names.includes(a.name ?? ''));
}

function ints(a: AttributeProto | undefined): number[] | undefined {
  return a ? (a.ints ?? []).map(int64ToNumber) : undefined;
}

/** Inputs padded to a position, so an optional input can be placed after omitted ones. */
function withInputs(node: NodeProto, extra: (string | undefined)[]): string[] {
  const inputs = [...(node.input ?? [])];
  const placed = extra.map((e) => e ?? '');
  while (placed.length > 0 && placed[placed.length - 1] === '') placed.pop();
  return [...inputs, ...placed];
}

export interface UpgradedModel {
  model: ModelProto;
  opset: number;
}

export function upgradeForGradients(model: ModelProto): UpgradedModel {
  const from = modelOpset(model);
  const opset = Math.max(from, MIN_GRADIENT_OPSET);
  const nonStandard = (model.graph?.node ?? []).find((n) => n.domain && n.domain !== 'ai.onnx');
  if (nonStandard) {
    throw new InputError(
      `node '${nonStandard.name}' (${nonStandard.op_type}) is in domain '${nonStandard.domain}'; gradients are built for standard ONNX ops only`,
    );
  }
  const b = new GraphBuilder(opset, 'aia.upgrade');
  const nodes: NodeProto[] = [];
  for (const node of model.graph?.node ?? []) {
    if (from < opset) nodes.push(...upgradeNode(node, from, b));
    else nodes.push(node.op_type === 'Dropout' ? toIdentity(node) : node);
  }
  const imports = (model.opset_import ?? []).map((o) =>
    !o.domain || o.domain === 'ai.onnx' ? { ...o, version: opset } : o,
  );
  const graph = model.graph ?? {};
  return {
    opset,
    model: {
      ...model,
      ir_version: Math.max(int64ToNumber(model.ir_version), 8),
      opset_import: imports,
      graph: {
        ...graph,
        node: nodes,
        initializer: [...(graph.initializer ?? []), ...b.initializers],
      },
    },
  };
}

function toIdentity(node: NodeProto): NodeProto {
  if ((node.output ?? []).length > 1 && node.output?.[1]) {
    throw new InputError(
      `Dropout node '${node.name}' uses its mask output; gradients treat Dropout as the identity`,
    );
  }
  return {
    ...node,
    op_type: 'Identity',
    input: [(node.input ?? [])[0] ?? ''],
    output: [(node.output ?? [])[0] ?? ''],
    attribute: [],
  };
}

/** One node in the target opset (several nodes where its meaning needs them). */
function upgradeNode(node: NodeProto, from: number, b: GraphBuilder): NodeProto[] {
  const op = node.op_type ?? '';
  const input = node.input ?? [];
  switch (op) {
    case 'Dropout':
      return [toIdentity(node)];
    case 'Clip': {
      if (from >= 11) return [node];
      const min = findAttr(node, 'min')?.f;
      const max = findAttr(node, 'max')?.f;
      return [
        {
          ...node,
          input: withInputs(node, [
            min === undefined || min === null ? undefined : b.scalar(min),
            max === undefined || max === null ? undefined : b.scalar(max),
          ]),
          attribute: without(node, 'min', 'max'),
        },
      ];
    }
    case 'Slice': {
      if (from >= 10) return [node];
      const starts = ints(findAttr(node, 'starts')) ?? [];
      const ends = ints(findAttr(node, 'ends')) ?? [];
      const axes = ints(findAttr(node, 'axes'));
      return [
        {
          ...node,
          input: [input[0] ?? '', b.int64(starts), b.int64(ends), ...(axes ? [b.int64(axes)] : [])],
          attribute: without(node, 'starts', 'ends', 'axes'),
        },
      ];
    }
    case 'ReduceSum':
    case 'Squeeze':
    case 'Unsqueeze': {
      if (from >= 13) return [node];
      const axes = ints(findAttr(node, 'axes'));
      return [
        {
          ...node,
          input: withInputs(node, [axes ? b.int64(axes) : undefined]),
          attribute: without(node, 'axes'),
        },
      ];
    }
    case 'Split': {
      if (from >= 13) return [node];
      const split = ints(findAttr(node, 'split'));
      return [
        {
          ...node,
          input: withInputs(node, [split ? b.int64(split) : undefined]),
          attribute: without(node, 'split'),
        },
      ];
    }
    case 'Pad': {
      if (from >= 11) return [node];
      const pads = ints(findAttr(node, 'pads')) ?? [];
      const value = findAttr(node, 'value')?.f ?? 0;
      return [
        {
          ...node,
          input: [input[0] ?? '', b.int64(pads), b.scalar(value)],
          attribute: without(node, 'pads', 'value'),
        },
      ];
    }
    case 'Softmax':
    case 'LogSoftmax': {
      if (from >= 13) return [node];
      // Before 13 the op flattened to 2-D at `axis` (default 1) and normalised each row.
      const axis = int64ToNumber(findAttr(node, 'axis')?.i ?? 1);
      const x = input[0] ?? '';
      const y = (node.output ?? [])[0] ?? '';
      const flat = b.fresh('flat');
      const soft = b.fresh('softmax');
      const shape = b.fresh('shape');
      return [
        { op_type: 'Flatten', name: flat, input: [x], output: [flat], attribute: [attr.int('axis', axis)] },
        { op_type: op, name: node.name, input: [flat], output: [soft], attribute: [attr.int('axis', -1)] },
        { op_type: 'Shape', name: shape, input: [x], output: [shape] },
        { op_type: 'Reshape', name: y, input: [soft, shape], output: [y] },
      ];
    }
    case 'BatchNormalization':
      return [{ ...node, attribute: without(node, 'spatial', 'is_test', 'consumed_inputs', 'momentum') }];
    default:
      return [node];
  }
}
