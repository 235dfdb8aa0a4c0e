import { InputError } from '../../util/errors.ts';
import { createRandom, type Random } from '../../util/random.ts';
import { attr } from '../autodiff/builder.ts';
import { ElemType, type ModelProto, type NodeProto, type TensorProto } from '../onnx/proto.ts';

/**
 * The small CNN of the Explanation Alignment experiments (2 conv + 2 fully connected), written as
 * an ONNX graph with the project's proto code: conv 3×3 → ReLU → max-pool 2, once per conv layer
 * (two for the paper's CNN; more where units must see larger objects, as the planted CNN's), then
 * flatten → dense → ReLU → dense to class logits. Weights are initializers, drawn seeded with
 * PyTorch's default initialisation (uniform ±1/√fan_in for weights and biases), so a model
 * definition and a seed give the same network on every machine. Tensor names are the sites the
 * tools address (`conv2_relu` is the last conv activation Grad-CAM weighs).
 */

export interface SmallCnnOptions {
  /** Input [channels, height, width]; height and width must be divisible by 2^(conv layers). */
  input: [number, number, number];
  classes: number;
  /** Channels of each conv layer (`conv1`, `conv2`, …), at least one. */
  conv: readonly number[];
  /** Width of the hidden dense layer. */
  hidden: number;
  seed: number;
}

export const SMALL_CNN_INPUT = 'image';
export const SMALL_CNN_OUTPUT = 'logits';

/**
 * The manifest's `input` for a small CNN trained here: RGB pixels 0–255 scaled to 0–1, no resizing
 * (what every organism recipe feeds its training set). `shape` is one example's [channels, height, width].
 */
export function smallCnnManifestInput(shape: readonly number[]) {
  return {
    name: SMALL_CNN_INPUT,
    exampleShape: [1, ...shape],
    preprocess: {
      channelOrder: 'RGB' as const,
      resize: { mode: 'none' as const },
      scale: 1 / 255,
      mean: [0, 0, 0],
      std: [1, 1, 1],
    },
  };
}

/** The manifest's site aliases for the two-layer net: its last conv map, its features, its logits. */
export const SMALL_CNN_ALIASES = {
  last_conv: 'conv2_relu',
  features: 'fc1_relu',
  class_logits: SMALL_CNN_OUTPUT,
} as const;

/** Friendly names of the two-layer net's sites (all are the tensors' own names; conv<k>, conv<k>_relu, pool<k> per layer). */
export const SMALL_CNN_SITES = [
  'conv1',
  'conv1_relu',
  'pool1',
  'conv2',
  'conv2_relu',
  'pool2',
  'fc1',
  'fc1_relu',
  'logits',
] as const;

function uniformTensor(name: string, dims: number[], bound: number, random: Random): TensorProto {
  const size = dims.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = (2 * random() - 1) * bound;
  return floatTensor(name, dims, values);
}

/** A float32 initializer holding the values (copied). */
export function floatTensor(name: string, dims: readonly number[], values: Float32Array): TensorProto {
  return {
    name,
    dims: [...dims],
    data_type: ElemType.FLOAT,
    raw_data: new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice(),
  };
}

export function smallCnn(options: SmallCnnOptions): ModelProto {
  const [channels, height, width] = options.input;
  const layers = options.conv.length;
  if (layers === 0) throw new InputError('the small CNN needs at least one conv layer');
  const scale = 2 ** layers;
  if (height % scale !== 0 || width % scale !== 0) {
    throw new InputError(
      `a small CNN with ${layers} conv layers needs height and width divisible by ${scale}, got ${height}×${width}`,
    );
  }
  const random = createRandom(options.seed);
  const last = options.conv[layers - 1] as number;
  const flat = last * (height / scale) * (width / scale);
  // Drawn in layer order (weight, then bias), so the two-layer net's weights are those it always had.
  const initializers = options.conv.flatMap((out, i) => {
    const fanIn = (i === 0 ? channels : (options.conv[i - 1] as number)) * 9;
    const bound = 1 / Math.sqrt(fanIn);
    return [
      uniformTensor(`conv${i + 1}.weight`, [out, fanIn / 9, 3, 3], bound, random),
      uniformTensor(`conv${i + 1}.bias`, [out], bound, random),
    ];
  });
  initializers.push(
    uniformTensor('fc1.weight', [options.hidden, flat], 1 / Math.sqrt(flat), random),
    uniformTensor('fc1.bias', [options.hidden], 1 / Math.sqrt(flat), random),
    uniformTensor('fc2.weight', [options.classes, options.hidden], 1 / Math.sqrt(options.hidden), random),
    uniformTensor('fc2.bias', [options.classes], 1 / Math.sqrt(options.hidden), random),
    { name: 'flatten.shape', dims: [2], data_type: ElemType.INT64, int64_data: [0, flat] },
  );
  const conv = (name: string, input: string): NodeProto => ({
    op_type: 'Conv',
    name,
    input: [input, `${name}.weight`, `${name}.bias`],
    output: [name],
    attribute: [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1])],
  });
  const pool = (name: string, input: string): NodeProto => ({
    op_type: 'MaxPool',
    name,
    input: [input],
    output: [name],
    attribute: [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2])],
  });
  const relu = (name: string, input: string): NodeProto => ({
    op_type: 'Relu',
    name,
    input: [input],
    output: [name],
  });
  // Gemm with transB=1 keeps PyTorch's [out, in] weight layout.
  const dense = (name: string, input: string): NodeProto => ({
    op_type: 'Gemm',
    name,
    input: [input, `${name}.weight`, `${name}.bias`],
    output: [name],
    attribute: [attr.int('transB', 1)],
  });
  const nodes: NodeProto[] = options.conv.flatMap((_, i) => [
    conv(`conv${i + 1}`, i === 0 ? SMALL_CNN_INPUT : `pool${i}`),
    relu(`conv${i + 1}_relu`, `conv${i + 1}`),
    pool(`pool${i + 1}`, `conv${i + 1}_relu`),
  ]);
  nodes.push(
    // Reshape with 0 keeps the batch dimension whatever it is at run time.
    { op_type: 'Reshape', name: 'flatten', input: [`pool${layers}`, 'flatten.shape'], output: ['flatten'] },
    { ...dense('fc1', 'flatten'), output: ['fc1'] },
    relu('fc1_relu', 'fc1'),
    { ...dense('fc2', 'fc1_relu'), output: [SMALL_CNN_OUTPUT] },
  );
  return {
    ir_version: 8,
    opset_import: [{ domain: '', version: 17 }],
    producer_name: 'aia',
    graph: {
      name: 'small-cnn',
      node: nodes,
      initializer: initializers,
      input: [
        {
          name: SMALL_CNN_INPUT,
          type: {
            tensor_type: {
              elem_type: ElemType.FLOAT,
              shape: {
                dim: [
                  { dim_param: 'batch' },
                  { dim_value: channels },
                  { dim_value: height },
                  { dim_value: width },
                ],
              },
            },
          },
        },
      ],
      output: [
        {
          name: SMALL_CNN_OUTPUT,
          type: {
            tensor_type: {
              elem_type: ElemType.FLOAT,
              shape: { dim: [{ dim_param: 'batch' }, { dim_value: options.classes }] },
            },
          },
        },
      ],
    },
  };
}
