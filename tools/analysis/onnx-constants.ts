import { indexGraph, type GraphIndex } from '../../subjects/onnx/graph.ts';
import { ElemType, int64ToNumber, type ModelProto, type TensorProto } from '../../subjects/onnx/proto.ts';

/**
 * Reading weight values out of an ONNX graph, whichever way the exporter stored them: as initializers
 * (PyTorch) or as Constant nodes (Paddle), possibly behind a Cast/Reshape/Identity evaluated at run time.
 */

export interface FloatConstant {
  dims: number[];
  values: Float64Array;
}

/** Ops a weight may pass through unchanged in value (only shape or type change). */
const VALUE_PRESERVING = new Set(['Cast', 'Identity', 'Reshape', 'Unsqueeze', 'Squeeze', 'Flatten']);

export class ConstantReader {
  readonly index: GraphIndex;
  private readonly stored = new Map<string, TensorProto>();

  constructor(readonly model: ModelProto) {
    const graph = model.graph ?? {};
    this.index = indexGraph(graph);
    for (const tensor of graph.initializer ?? []) this.stored.set(tensor.name ?? '', tensor);
    for (const node of graph.node ?? []) {
      if (node.op_type !== 'Constant') continue;
      const value = (node.attribute ?? []).find((a) => a.name === 'value')?.t;
      if (value) this.stored.set(node.output?.[0] ?? '', value);
    }
  }

  /** Whether the tensor's value does not depend on any graph input. */
  isConstant(name: string): boolean {
    return this.index.constants.has(name);
  }

  /**
   * The float values of a constant tensor, following value-preserving ops back to the stored tensor
   * (the dims reported are the stored tensor's). Undefined when the tensor is not such a constant.
   */
  floatValues(name: string): FloatConstant | undefined {
    let current: string | undefined = name;
    for (let steps = 0; current !== undefined && steps < 8; steps++) {
      const tensor = this.stored.get(current);
      if (tensor) return decodeFloats(tensor);
      const producer = this.index.producers.get(current);
      if (!producer || !this.isConstant(current) || !VALUE_PRESERVING.has(producer.op_type ?? ''))
        return undefined;
      current = producer.input?.[0];
    }
    return undefined;
  }
}

function decodeFloats(tensor: TensorProto): FloatConstant | undefined {
  const type = tensor.data_type;
  if (type !== ElemType.FLOAT && type !== ElemType.DOUBLE) return undefined;
  const dims = (tensor.dims ?? []).map(int64ToNumber);
  const count = dims.reduce((n, d) => n * d, 1);
  const raw = tensor.raw_data;
  if (raw && raw.length > 0) {
    const bytes = Uint8Array.from(raw); // a fresh, aligned buffer for the typed view
    const view = type === ElemType.FLOAT ? new Float32Array(bytes.buffer) : new Float64Array(bytes.buffer);
    return view.length === count ? { dims, values: Float64Array.from(view) } : undefined;
  }
  const listed = type === ElemType.FLOAT ? tensor.float_data : tensor.double_data;
  return listed && listed.length === count ? { dims, values: Float64Array.from(listed) } : undefined;
}
