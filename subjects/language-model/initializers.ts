import { InputError } from '../../util/errors.ts';
import { ElemType, int64ToNumber, type ModelProto, type TensorProto } from '../onnx/proto.ts';

/**
 * Reading and writing a float32 weight of an ONNX graph by its initializer name
 * (`transformer.h.1.mlp.c_fc.weight`, as build-gpt2.ts and PyTorch's exporters write GPT-2): what a
 * recipe that edits a trained model's weights (planted neurons) needs, without rebuilding the graph.
 */

export interface FloatWeight {
  dims: number[];
  values: Float32Array;
}

function initializerIndex(model: ModelProto, name: string): number {
  const index = (model.graph?.initializer ?? []).findIndex((t) => t.name === name);
  if (index < 0) throw new InputError(`the model has no initializer '${name}'`);
  return index;
}

/** A float32 initializer's shape and a copy of its values. */
export function readFloatWeight(model: ModelProto, name: string): FloatWeight {
  const tensor = model.graph?.initializer?.[initializerIndex(model, name)] as TensorProto;
  if (tensor.data_type !== ElemType.FLOAT) throw new InputError(`initializer '${name}' is not float32`);
  const dims = (tensor.dims ?? []).map(int64ToNumber);
  const count = dims.reduce((a, d) => a * d, 1);
  const raw = tensor.raw_data;
  let values: Float32Array;
  if (raw && raw.length > 0)
    values = new Float32Array(Uint8Array.from(raw).buffer, 0, raw.length / 4).slice();
  else values = Float32Array.from(tensor.float_data ?? []);
  if (values.length !== count)
    throw new InputError(`initializer '${name}' holds ${values.length} values for shape ${dims.join('×')}`);
  return { dims, values };
}

/** The model with one float32 initializer's values replaced (same shape); the input model is unchanged. */
export function writeFloatWeight(model: ModelProto, name: string, values: Float32Array): ModelProto {
  const index = initializerIndex(model, name);
  const initializers = [...(model.graph?.initializer ?? [])];
  const tensor = initializers[index] as TensorProto;
  const count = (tensor.dims ?? []).map(int64ToNumber).reduce((a, d) => a * d, 1);
  if (values.length !== count)
    throw new InputError(`initializer '${name}' has ${count} values; ${values.length} were given`);
  const { float_data: _f, raw_data: _r, ...rest } = tensor;
  initializers[index] = { ...rest, raw_data: new Uint8Array(Float32Array.from(values).buffer) };
  return { ...model, graph: { ...model.graph, initializer: initializers } };
}
