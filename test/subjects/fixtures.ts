import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeModel, type ModelProto, type NodeProto, type TensorProto } from '../../subjects/onnx/proto.ts';

/**
 * Tiny ONNX models built with our own protobuf schema, in the two weight styles exporters use:
 * weights as graph initializers (PyTorch) or as Constant nodes (Paddle), the Constant style also
 * reshaping a weight at run time. Both compute the same function, small enough to check by hand:
 *
 *   x [N,2,2,2] → Conv 1×1 (W, B) → conv [N,3,2,2] → Relu → relu → GlobalAveragePool → pool [N,3,1,1]
 *     → Flatten → flat [N,3] → Gemm (W2ᵀ, B2) → logits [N,2] → Softmax → probs (output)
 *   conv → Reshape [N,3,4] → Transpose → seq [N,4,3] → ReduceMean over axis 1 → seqmean [N,3] (output)
 *   x → Shape → xshape (int64, not a site)
 */

export const W = [
  [1, 0],
  [0, 1],
  [1, -1],
];
export const B = [0, 0.5, -1];
export const W2 = [
  [1, 2, 0],
  [0, -1, 1],
];
export const B2 = [0.1, -0.1];

export type WeightStyle = 'initializer' | 'constant';

const FLOAT = 1;
const INT64 = 7;

function floatTensor(name: string, dims: number[], values: number[], raw = false): TensorProto {
  if (raw) {
    const bytes = new Uint8Array(Float32Array.from(values).buffer);
    return { name, dims, data_type: FLOAT, raw_data: bytes };
  }
  return { name, dims, data_type: FLOAT, float_data: values };
}

function int64Tensor(name: string, dims: number[], values: number[]): TensorProto {
  return { name, dims, data_type: INT64, int64_data: values };
}

function node(
  op: string,
  input: string[],
  output: string[],
  attribute: NodeProto['attribute'] = [],
): NodeProto {
  return { op_type: op, name: `${op.toLowerCase()}_${output[0]}`, input, output, attribute };
}

function valueInfo(name: string, elemType: number, dims: (number | string)[]) {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

export function tinyModel(style: WeightStyle): ModelProto {
  const weights: TensorProto[] = [
    floatTensor('W2', [2, 3], W2.flat()),
    floatTensor('B2', [2], B2, true),
    floatTensor('B', [3], B),
    int64Tensor('seq_shape', [3], [0, 3, 4]),
  ];
  const nodes: NodeProto[] = [];
  const initializer: TensorProto[] = [];
  if (style === 'initializer') {
    initializer.push(floatTensor('W', [3, 2, 1, 1], W.flat(), true), ...weights);
  } else {
    // Paddle style: every weight is a Constant node; W is even reshaped from a flat constant at run time.
    nodes.push(
      node('Constant', [], ['W_flat'], [{ name: 'value', type: 4, t: floatTensor('W_flat', [6], W.flat()) }]),
      node(
        'Constant',
        [],
        ['W_shape'],
        [{ name: 'value', type: 4, t: int64Tensor('W_shape', [4], [3, 2, 1, 1]) }],
      ),
      node('Reshape', ['W_flat', 'W_shape'], ['W']),
      ...weights.map((t) => node('Constant', [], [t.name ?? ''], [{ name: 'value', type: 4, t }])),
    );
  }
  nodes.push(
    node('Conv', ['x', 'W', 'B'], ['conv'], [{ name: 'kernel_shape', type: 7, ints: [1, 1] }]),
    node('Relu', ['conv'], ['relu']),
    node('GlobalAveragePool', ['relu'], ['pool']),
    node('Flatten', ['pool'], ['flat'], [{ name: 'axis', type: 2, i: 1 }]),
    node('Gemm', ['flat', 'W2', 'B2'], ['logits'], [{ name: 'transB', type: 2, i: 1 }]),
    node('Softmax', ['logits'], ['probs'], [{ name: 'axis', type: 2, i: 1 }]),
    node('Reshape', ['conv', 'seq_shape'], ['seq_nct']),
    node('Transpose', ['seq_nct'], ['seq'], [{ name: 'perm', type: 7, ints: [0, 2, 1] }]),
    node(
      'ReduceMean',
      ['seq'],
      ['seqmean'],
      [
        { name: 'axes', type: 7, ints: [1] },
        { name: 'keepdims', type: 2, i: 0 },
      ],
    ),
    node('Shape', ['x'], ['xshape']),
  );
  return {
    ir_version: 8,
    opset_import: [{ domain: '', version: 13 }],
    producer_name: `aia-test-${style}`,
    graph: {
      name: `tiny-${style}`,
      node: nodes,
      initializer,
      input: [valueInfo('x', FLOAT, ['N', 2, 2, 2])],
      output: [
        valueInfo('probs', FLOAT, ['N', 2]),
        valueInfo('seqmean', FLOAT, ['N', 3]),
        valueInfo('xshape', INT64, [4]),
      ],
    },
  };
}

/**
 * Write a tiny model (and optionally a manifest beside it) to a fresh temp directory. A `variant`
 * string goes into producer_version, giving a file with a hash no other test has loaded.
 */
export function writeTinyModel(style: WeightStyle, manifest?: unknown, variant?: string): string {
  const dir = mkdtempSync(join(tmpdir(), `aia-tiny-${style}-`));
  const path = join(dir, 'tiny.onnx');
  const model = tinyModel(style);
  if (variant !== undefined) model.producer_version = variant;
  writeFileSync(path, encodeModel(model));
  if (manifest !== undefined) writeFileSync(join(dir, 'tiny.subject.json'), JSON.stringify(manifest));
  return path;
}

/** The tiny model's function computed by hand, with per-channel edits of conv applied as `c*s + b`. */
export interface Reference {
  conv: number[][][][];
  relu: number[][][][];
  pool: number[][];
  logits: number[][];
  probs: number[][];
  seq: number[][][];
  seqmean: number[][];
}

export function reference(x: number[][][][], convEdit?: { scale: number[]; shift: number[] }): Reference {
  const conv = x.map((item) =>
    W.map((row, o) =>
      [0, 1].map((h) =>
        [0, 1].map((w) => {
          const value =
            row.reduce((sum, weight, i) => sum + weight * (item[i]?.[h]?.[w] ?? 0), 0) + (B[o] ?? 0);
          return convEdit ? value * (convEdit.scale[o] ?? 1) + (convEdit.shift[o] ?? 0) : value;
        }),
      ),
    ),
  );
  const relu = conv.map((item) => item.map((ch) => ch.map((row) => row.map((v) => Math.max(0, v)))));
  const pool = relu.map((item) => item.map((ch) => ch.flat().reduce((a, b) => a + b, 0) / 4));
  const logits = pool.map((f) =>
    W2.map((row, j) => row.reduce((s, w, i) => s + w * (f[i] ?? 0), 0) + (B2[j] ?? 0)),
  );
  const probs = logits.map((l) => {
    const e = l.map((v) => Math.exp(v - Math.max(...l)));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / sum);
  });
  // seq[n][t][c] = conv[n][c][t / 2][t % 2]
  const seq = conv.map((item) =>
    [0, 1, 2, 3].map((t) => item.map((ch) => ch[Math.floor(t / 2)]?.[t % 2] ?? 0)),
  );
  const seqmean = seq.map((item) => [0, 1, 2].map((c) => item.reduce((s, row) => s + (row[c] ?? 0), 0) / 4));
  return { conv, relu, pool, logits, probs, seq, seqmean };
}

/** Two example inputs [2,2,2,2] with positive and negative values, as nested arrays. */
export const X: number[][][][] = [
  [
    [
      [1, -2],
      [0.5, 3],
    ],
    [
      [0, 1],
      [-1, 2],
    ],
  ],
  [
    [
      [-1, 0.25],
      [2, -0.5],
    ],
    [
      [1.5, -1],
      [0, 0.75],
    ],
  ],
];
