import { InputError } from '../../util/errors.ts';
import { ElemType, int64ToNumber, type ModelProto, type TensorProto } from '../onnx/proto.ts';

/** Reading float32 weights out of a model and writing trained values back as initializers. */

export interface Weight {
  dims: number[];
  values: Float32Array;
}

export function floatValues(t: TensorProto): Float32Array {
  if (t.data_type !== ElemType.FLOAT) throw new InputError(`tensor '${t.name}' is not float32`);
  if ((t.external_data ?? []).length > 0)
    throw new InputError(`tensor '${t.name}' keeps its data in an external file`);
  if (t.raw_data && t.raw_data.length > 0) {
    const raw = t.raw_data;
    return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  }
  return Float32Array.from(t.float_data ?? []);
}

/** The float32 initializers of a model by name (copies, free to update). */
export function readWeights(model: ModelProto, names?: readonly string[]): Map<string, Weight> {
  const all = model.graph?.initializer ?? [];
  const wanted = names ? new Set(names) : undefined;
  const out = new Map<string, Weight>();
  for (const t of all) {
    const name = t.name ?? '';
    if (wanted ? !wanted.has(name) : t.data_type !== ElemType.FLOAT) continue;
    out.set(name, { dims: (t.dims ?? []).map(int64ToNumber), values: floatValues(t) });
  }
  for (const name of wanted ?? [])
    if (!out.has(name)) throw new InputError(`the model has no weight '${name}'`);
  return out;
}

/** The model with the given weights written as its initializers (raw float32 data). */
export function withWeights(model: ModelProto, weights: ReadonlyMap<string, Weight>): ModelProto {
  const graph = model.graph ?? {};
  return {
    ...model,
    graph: {
      ...graph,
      initializer: (graph.initializer ?? []).map((t) => {
        const w = weights.get(t.name ?? '');
        if (!w) return t;
        const values = w.values;
        return {
          name: t.name,
          dims: [...w.dims],
          data_type: ElemType.FLOAT,
          raw_data: new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice(),
        };
      }),
    },
  };
}
