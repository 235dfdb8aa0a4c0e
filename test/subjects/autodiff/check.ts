import ort from 'onnxruntime-node';
import { GradientSessions } from '../../../subjects/autodiff/index.ts';
import type { ObjectiveSpec } from '../../../subjects/autodiff/objective.ts';
import {
  encodeModel,
  type ModelProto,
  type NodeProto,
  type TensorProto,
} from '../../../subjects/onnx/proto.ts';
import { SessionCache } from '../../../subjects/onnx/session.ts';
import { createRandom, type Random } from '../../../util/random.ts';

/**
 * Gradient checks against central finite differences. A test graph computes y from float inputs;
 * the check weighs y with fixed random weights R (so every element of y matters differently),
 * differentiates f = Σ R⊙y against the inputs, and compares ⟨∇f, v⟩ with (f(x+εv) − f(x−εv)) / 2ε
 * along random directions v, accumulating f in float64.
 */

export const FLOAT = 1;
export const INT64 = 7;

export interface InputSpec {
  dims: number[];
  /** Values; random normal when absent. */
  data?: Float32Array;
  /** Keep values at least this far from 0 (for ops with a kink at 0), default 0. */
  awayFromZero?: number;
  /** Only positive values (Log, Sqrt, Pow bases). */
  positive?: boolean;
}

export interface OpCase {
  nodes: NodeProto[];
  /** Float inputs, differentiated against. */
  inputs: Record<string, InputSpec>;
  /** Constant tensors (int64 shapes, axes, indices; fixed float tensors). */
  initializers?: TensorProto[];
  /** The tensor to check (default 'y'). */
  output?: string;
  opset?: number;
  seed?: number;
  epsilon?: number;
  tolerance?: number;
}

export interface CheckResult {
  /** Worst |fd − analytic| / max(1, |analytic|) over the directions. */
  worst: number;
  analytic: number[];
  numeric: number[];
}

function normal(random: Random): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export function int64Tensor(name: string, values: number[], dims = [values.length]): TensorProto {
  return { name, dims, data_type: INT64, int64_data: values };
}

export function floatTensor(name: string, values: ArrayLike<number>, dims: number[]): TensorProto {
  return { name, dims, data_type: FLOAT, raw_data: new Uint8Array(Float32Array.from(values).buffer) };
}

export function opNode(
  op: string,
  input: string[],
  output: string[],
  attribute: NodeProto['attribute'] = [],
): NodeProto {
  return { op_type: op, name: `${op}_${output[0]}`, input, output, attribute };
}

const sessionOptions: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  logSeverityLevel: 3,
};

export const createTestSession = (model: ModelProto | Uint8Array) =>
  ort.InferenceSession.create(model instanceof Uint8Array ? model : encodeModel(model), sessionOptions);

function modelOf(c: OpCase, nodes: NodeProto[], initializers: TensorProto[], outputs: string[]): ModelProto {
  return {
    ir_version: 8,
    opset_import: [{ domain: '', version: c.opset ?? 17 }],
    producer_name: 'aia-gradcheck',
    graph: {
      name: 'gradcheck',
      node: nodes,
      initializer: initializers,
      input: Object.entries(c.inputs).map(([name, spec]) => ({
        name,
        type: { tensor_type: { elem_type: FLOAT, shape: { dim: spec.dims.map((d) => ({ dim_value: d })) } } },
      })),
      output: outputs.map((name) => ({ name })),
    },
  };
}

/** Random input values per the spec. */
export function inputValues(c: OpCase, random: Random): Record<string, Float32Array> {
  const values: Record<string, Float32Array> = {};
  for (const [name, spec] of Object.entries(c.inputs)) {
    const size = spec.dims.reduce((p, d) => p * d, 1);
    values[name] =
      spec.data ??
      Float32Array.from({ length: size }, () => {
        const v = normal(random);
        if (spec.positive) return 0.2 + Math.abs(v);
        const away = spec.awayFromZero ?? 0;
        return away > 0 ? Math.sign(v || 1) * (away + Math.abs(v)) : v;
      });
  }
  return values;
}

function feedsOf(c: OpCase, values: Record<string, Float32Array>): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, spec] of Object.entries(c.inputs))
    feeds[name] = new ort.Tensor('float32', values[name] as Float32Array, spec.dims);
  return feeds;
}

export async function checkGradients(c: OpCase): Promise<CheckResult> {
  const random = createRandom(c.seed ?? 7);
  const output = c.output ?? 'y';
  const initializers = c.initializers ?? [];
  const values = inputValues(c, random);
  // Measure y's shape, then weigh it with fixed random weights.
  const plain = await createTestSession(modelOf(c, c.nodes, initializers, [output]));
  const shape = [...((await plain.run(feedsOf(c, values)))[output] as ort.Tensor).dims];
  await plain.release();
  const size = shape.reduce((p, d) => p * d, 1);
  const weights = floatTensor(
    'aia.test.R',
    Array.from({ length: size }, () => normal(random)),
    shape,
  );
  const flat = int64Tensor('aia.test.flat', [1, -1]);
  const nodes = [
    ...c.nodes,
    opNode('Mul', [output, 'aia.test.R'], ['aia.test.weighted']),
    opNode('Reshape', ['aia.test.weighted', 'aia.test.flat'], ['aia.test.z']),
  ];
  const model = modelOf(c, nodes, [...initializers, weights, flat], ['aia.test.z']);
  const cache = new SessionCache(createTestSession, 4);
  const gradients = new GradientSessions(model, cache, createTestSession);
  const objective: ObjectiveSpec = { tensor: 'aia.test.z', unitAxis: -1, pool: 'sum' };
  const wrt = Object.keys(c.inputs);
  const f = async (v: Record<string, Float32Array>) => {
    const run = await gradients.run(feedsOf(c, v), { objective, wrt });
    let total = 0;
    for (const x of run.objective.data as Float32Array) total += x;
    return { total, run };
  };
  const base = await f(values);
  const epsilon = c.epsilon ?? 1e-3;
  const analytic: number[] = [];
  const numeric: number[] = [];
  let worst = 0;
  for (let d = 0; d < 3; d++) {
    const direction: Record<string, Float32Array> = {};
    let dot = 0;
    for (const name of wrt) {
      const x = values[name] as Float32Array;
      const v = Float32Array.from(x, () => normal(random));
      direction[name] = v;
      const g = base.run.gradients[name]?.data as Float32Array;
      for (let i = 0; i < v.length; i++) dot += (g[i] as number) * (v[i] as number);
    }
    const shifted = (sign: number) =>
      Object.fromEntries(
        wrt.map((name) => [
          name,
          Float32Array.from(
            values[name] as Float32Array,
            (x, i) => x + sign * epsilon * ((direction[name] as Float32Array)[i] as number),
          ),
        ]),
      );
    const fd = ((await f(shifted(1))).total - (await f(shifted(-1))).total) / (2 * epsilon);
    analytic.push(dot);
    numeric.push(fd);
    worst = Math.max(worst, Math.abs(fd - dot) / Math.max(1, Math.abs(dot)));
  }
  await cache.dispose();
  return { worst, analytic, numeric };
}
