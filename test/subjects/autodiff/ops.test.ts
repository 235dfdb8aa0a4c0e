import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { attr } from '../../../subjects/autodiff/builder.ts';
import { GradientSessions, GRADIENT_RULES } from '../../../subjects/autodiff/index.ts';
import type { ModelProto } from '../../../subjects/onnx/proto.ts';
import { SessionCache } from '../../../subjects/onnx/session.ts';
import { checkGradients, createTestSession, floatTensor, int64Tensor, opNode, type OpCase } from './check.ts';

/**
 * Every op with a gradient rule, checked against central finite differences on random inputs,
 * broadcasting cases included. Each case names the op it checks; the last test makes sure no rule
 * goes unchecked.
 */

const { int, ints, float, string } = attr;
const x = (dims: number[], extra: Partial<OpCase['inputs'][string]> = {}) => ({ dims, ...extra });

const CASES: [op: string, label: string, c: OpCase][] = [
  [
    'Add',
    'broadcast [2,3,4] + [4]',
    { nodes: [opNode('Add', ['a', 'b'], ['y'])], inputs: { a: x([2, 3, 4]), b: x([4]) } },
  ],
  [
    'Sub',
    'broadcast [2,3,4] − [3,1]',
    { nodes: [opNode('Sub', ['a', 'b'], ['y'])], inputs: { a: x([2, 3, 4]), b: x([3, 1]) } },
  ],
  [
    'Mul',
    'broadcast [2,1,4] · [3,1]',
    { nodes: [opNode('Mul', ['a', 'b'], ['y'])], inputs: { a: x([2, 1, 4]), b: x([3, 1]) } },
  ],
  ['Mul', 'the same tensor twice', { nodes: [opNode('Mul', ['a', 'a'], ['y'])], inputs: { a: x([3, 4]) } }],
  [
    'Mul',
    'an image [2,3,4,5] by a per-channel scale [2,3,1,1] (squeeze-excitation)',
    { nodes: [opNode('Mul', ['a', 'b'], ['y'])], inputs: { a: x([2, 3, 4, 5]), b: x([2, 3, 1, 1]) } },
  ],
  [
    'Mul',
    'the per-channel scale first',
    { nodes: [opNode('Mul', ['b', 'a'], ['y'])], inputs: { a: x([2, 3, 4, 5]), b: x([2, 3, 1, 1]) } },
  ],
  [
    'Div',
    'broadcast [2,3] / [3]',
    { nodes: [opNode('Div', ['a', 'b'], ['y'])], inputs: { a: x([2, 3]), b: x([3], { positive: true }) } },
  ],
  [
    'Sum',
    'three operands, broadcast',
    { nodes: [opNode('Sum', ['a', 'b', 'c'], ['y'])], inputs: { a: x([2, 3]), b: x([3]), c: x([2, 1]) } },
  ],
  ['Neg', '', { nodes: [opNode('Neg', ['a'], ['y'])], inputs: { a: x([5]) } }],
  [
    'Pow',
    'tensor exponent, broadcast',
    { nodes: [opNode('Pow', ['a', 'b'], ['y'])], inputs: { a: x([2, 3], { positive: true }), b: x([3]) } },
  ],
  ['Sqrt', '', { nodes: [opNode('Sqrt', ['a'], ['y'])], inputs: { a: x([6], { positive: true }) } }],
  ['Exp', '', { nodes: [opNode('Exp', ['a'], ['y'])], inputs: { a: x([6]) } }],
  ['Log', '', { nodes: [opNode('Log', ['a'], ['y'])], inputs: { a: x([6], { positive: true }) } }],
  ['Abs', '', { nodes: [opNode('Abs', ['a'], ['y'])], inputs: { a: x([6], { awayFromZero: 0.05 }) } }],
  ['Relu', '', { nodes: [opNode('Relu', ['a'], ['y'])], inputs: { a: x([2, 5], { awayFromZero: 0.05 }) } }],
  [
    'LeakyRelu',
    'alpha 0.1',
    {
      nodes: [opNode('LeakyRelu', ['a'], ['y'], [float('alpha', 0.1)])],
      inputs: { a: x([8], { awayFromZero: 0.05 }) },
    },
  ],
  ['Sigmoid', '', { nodes: [opNode('Sigmoid', ['a'], ['y'])], inputs: { a: x([8]) } }],
  [
    'HardSigmoid',
    'alpha 0.3 beta 0.4',
    {
      nodes: [opNode('HardSigmoid', ['a'], ['y'], [float('alpha', 0.3), float('beta', 0.4)])],
      inputs: { a: x([12]) },
    },
  ],
  // Inputs on all three pieces, none within 0.3 of the kinks at ±3.
  [
    'HardSwish',
    'inputs across the three pieces',
    {
      nodes: [opNode('HardSwish', ['a'], ['y'])],
      inputs: { a: x([12], { data: Float32Array.from({ length: 12 }, (_, i) => -5.2 + (i * 10.4) / 11) }) },
    },
  ],
  ['Tanh', '', { nodes: [opNode('Tanh', ['a'], ['y'])], inputs: { a: x([8]) } }],
  ['Erf', '', { nodes: [opNode('Erf', ['a'], ['y'])], inputs: { a: x([8]) } }],
  ['Gelu', 'exact (opset 20)', { nodes: [opNode('Gelu', ['a'], ['y'])], inputs: { a: x([8]) }, opset: 20 }],
  [
    'Gelu',
    'tanh approximation (opset 20)',
    {
      nodes: [opNode('Gelu', ['a'], ['y'], [string('approximate', 'tanh')])],
      inputs: { a: x([8]) },
      opset: 20,
    },
  ],
  [
    'Clip',
    'bounds as inputs',
    {
      nodes: [opNode('Clip', ['a', 'lo', 'hi'], ['y'])],
      inputs: { a: x([12]) },
      initializers: [floatTensor('lo', [-0.5], []), floatTensor('hi', [0.7], [])],
    },
  ],
  [
    'Clip',
    'attributes, opset 9 (upgraded)',
    {
      nodes: [opNode('Clip', ['a'], ['y'], [float('min', -0.5), float('max', 0.7)])],
      inputs: { a: x([12]) },
      opset: 9,
    },
  ],
  [
    'Softmax',
    'axis 1 of [2,3,4]',
    { nodes: [opNode('Softmax', ['a'], ['y'], [int('axis', 1)])], inputs: { a: x([2, 3, 4]) } },
  ],
  [
    'Softmax',
    'opset 9: flattens at axis 1',
    { nodes: [opNode('Softmax', ['a'], ['y'], [int('axis', 1)])], inputs: { a: x([2, 3, 2]) }, opset: 9 },
  ],
  ['LogSoftmax', 'last axis', { nodes: [opNode('LogSoftmax', ['a'], ['y'])], inputs: { a: x([3, 5]) } }],
  [
    'BatchNormalization',
    'every input',
    {
      nodes: [opNode('BatchNormalization', ['a', 's', 'b', 'm', 'v'], ['y'], [float('epsilon', 1e-3)])],
      inputs: { a: x([2, 3, 2, 2]), s: x([3]), b: x([3]), m: x([3]), v: x([3], { positive: true }) },
    },
  ],
  [
    'LayerNormalization',
    'last axis',
    {
      nodes: [opNode('LayerNormalization', ['a', 's', 'b'], ['y'])],
      inputs: { a: x([2, 3, 5]), s: x([5]), b: x([5]) },
    },
  ],
  [
    'LayerNormalization',
    'axis 1',
    {
      nodes: [opNode('LayerNormalization', ['a', 's', 'b'], ['y'], [int('axis', 1)])],
      inputs: { a: x([2, 3, 4]), s: x([3, 4]), b: x([3, 4]) },
    },
  ],
  [
    'MatMul',
    'batched, broadcast [2,1,3,4] @ [3,4,5]',
    { nodes: [opNode('MatMul', ['a', 'b'], ['y'])], inputs: { a: x([2, 1, 3, 4]), b: x([3, 4, 5]) } },
  ],
  [
    'MatMul',
    'vector @ matrix',
    { nodes: [opNode('MatMul', ['a', 'b'], ['y'])], inputs: { a: x([4]), b: x([4, 3]) } },
  ],
  [
    'MatMul',
    'batched matrix @ vector',
    { nodes: [opNode('MatMul', ['a', 'b'], ['y'])], inputs: { a: x([2, 3, 4]), b: x([4]) } },
  ],
  [
    'Gemm',
    'no transposes, bias [N]',
    {
      nodes: [opNode('Gemm', ['a', 'b', 'c'], ['y'], [float('alpha', 0.7), float('beta', 1.3)])],
      inputs: { a: x([3, 4]), b: x([4, 5]), c: x([5]) },
    },
  ],
  [
    'Gemm',
    'transA and transB, bias [M,1]',
    {
      nodes: [opNode('Gemm', ['a', 'b', 'c'], ['y'], [int('transA', 1), int('transB', 1)])],
      inputs: { a: x([4, 3]), b: x([5, 4]), c: x([3, 1]) },
    },
  ],
  [
    'Conv',
    'stride 2, pads, bias',
    {
      nodes: [opNode('Conv', ['a', 'w', 'b'], ['y'], [ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1])])],
      inputs: { a: x([2, 3, 7, 6]), w: x([4, 3, 3, 3]), b: x([4]) },
    },
  ],
  [
    'Conv',
    'groups 2, stride [2,1], dilation 2, uneven pads',
    {
      nodes: [
        opNode(
          'Conv',
          ['a', 'w'],
          ['y'],
          [int('group', 2), ints('strides', [2, 1]), ints('dilations', [2, 2]), ints('pads', [1, 0, 2, 1])],
        ),
      ],
      inputs: { a: x([2, 4, 8, 7]), w: x([6, 2, 3, 2]) },
    },
  ],
  [
    'Conv',
    'depthwise',
    {
      nodes: [opNode('Conv', ['a', 'w'], ['y'], [int('group', 3), ints('pads', [1, 1, 1, 1])])],
      inputs: { a: x([1, 3, 5, 5]), w: x([3, 1, 3, 3]) },
    },
  ],
  [
    'Conv',
    'auto_pad SAME_UPPER, stride 2',
    {
      nodes: [opNode('Conv', ['a', 'w'], ['y'], [string('auto_pad', 'SAME_UPPER'), ints('strides', [2, 2])])],
      inputs: { a: x([1, 2, 6, 5]), w: x([3, 2, 2, 3]) },
    },
  ],
  [
    'Conv',
    '1-D',
    {
      nodes: [opNode('Conv', ['a', 'w'], ['y'], [ints('strides', [3])])],
      inputs: { a: x([2, 2, 11]), w: x([3, 2, 4]) },
    },
  ],
  [
    'ConvTranspose',
    'stride 2, pads, output_padding, groups 2, bias',
    {
      nodes: [
        opNode(
          'ConvTranspose',
          ['a', 'w', 'b'],
          ['y'],
          [
            ints('strides', [2, 2]),
            ints('pads', [1, 0, 1, 1]),
            ints('output_padding', [1, 0]),
            int('group', 2),
          ],
        ),
      ],
      inputs: { a: x([2, 4, 3, 3]), w: x([4, 3, 3, 3]), b: x([6]) },
    },
  ],
  [
    'ConvTranspose',
    'dilation 2',
    {
      nodes: [opNode('ConvTranspose', ['a', 'w'], ['y'], [ints('dilations', [2, 2])])],
      inputs: { a: x([1, 2, 3, 4]), w: x([2, 2, 2, 2]) },
    },
  ],
  [
    'MaxPool',
    '2×2 stride 2',
    {
      nodes: [opNode('MaxPool', ['a'], ['y'], [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])])],
      inputs: { a: x([2, 3, 4, 6]) },
    },
  ],
  [
    'MaxPool',
    '2×2 stride 3, windows apart',
    {
      nodes: [opNode('MaxPool', ['a'], ['y'], [ints('kernel_shape', [2, 2]), ints('strides', [3, 3])])],
      inputs: { a: x([1, 2, 5, 8]) },
    },
  ],
  [
    'MaxPool',
    'overlapping 3×3 stride 1 pad 1',
    {
      nodes: [opNode('MaxPool', ['a'], ['y'], [ints('kernel_shape', [3, 3]), ints('pads', [1, 1, 1, 1])])],
      inputs: { a: x([1, 2, 4, 5]) },
    },
  ],
  [
    'AveragePool',
    '3×3 stride 2 pad 1, padding not counted',
    {
      nodes: [
        opNode(
          'AveragePool',
          ['a'],
          ['y'],
          [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1])],
        ),
      ],
      inputs: { a: x([2, 2, 5, 6]) },
    },
  ],
  [
    'AveragePool',
    'padding counted',
    {
      nodes: [
        opNode(
          'AveragePool',
          ['a'],
          ['y'],
          [ints('kernel_shape', [2, 3]), ints('pads', [1, 1, 0, 1]), int('count_include_pad', 1)],
        ),
      ],
      inputs: { a: x([1, 2, 4, 4]) },
    },
  ],
  [
    'GlobalAveragePool',
    '',
    { nodes: [opNode('GlobalAveragePool', ['a'], ['y'])], inputs: { a: x([2, 3, 4, 5]) } },
  ],
  // The pooled gradient stays [N, C, 1, 1] and is added to the product's by broadcasting.
  [
    'GlobalAveragePool',
    'beside the product it scales (squeeze-excitation)',
    {
      nodes: [opNode('GlobalAveragePool', ['a'], ['p']), opNode('Mul', ['a', 'p'], ['y'])],
      inputs: { a: x([2, 3, 4, 5]) },
    },
  ],
  ['GlobalMaxPool', '', { nodes: [opNode('GlobalMaxPool', ['a'], ['y'])], inputs: { a: x([2, 3, 4, 5]) } }],
  [
    'ReduceSum',
    'keepdims 0, beside another reader of its input',
    {
      nodes: [
        opNode('ReduceSum', ['a', 'axes'], ['s'], [int('keepdims', 0)]),
        opNode('Unsqueeze', ['s', 'axes'], ['u']),
        opNode('Mul', ['a', 'u'], ['y']),
      ],
      inputs: { a: x([2, 3, 4]) },
      initializers: [int64Tensor('axes', [2])],
    },
  ],
  [
    'ReduceMean',
    'axes [1], keepdims 0 (attribute, opset 17)',
    {
      nodes: [opNode('ReduceMean', ['a'], ['y'], [ints('axes', [1]), int('keepdims', 0)])],
      inputs: { a: x([2, 3, 4]) },
    },
  ],
  [
    'ReduceMean',
    'axes as input (opset 18)',
    {
      nodes: [opNode('ReduceMean', ['a', 'axes'], ['y'])],
      inputs: { a: x([2, 3, 4]) },
      initializers: [int64Tensor('axes', [-1, 0])],
      opset: 18,
    },
  ],
  [
    'ReduceSum',
    'axes as input, keepdims 1',
    {
      nodes: [opNode('ReduceSum', ['a', 'axes'], ['y'])],
      inputs: { a: x([2, 3, 4]) },
      initializers: [int64Tensor('axes', [0, 2])],
    },
  ],
  [
    'ReduceSum',
    'axes attribute (opset 11, upgraded)',
    {
      nodes: [opNode('ReduceSum', ['a'], ['y'], [ints('axes', [1]), int('keepdims', 0)])],
      inputs: { a: x([2, 3, 4]) },
      opset: 11,
    },
  ],
  [
    'ReduceMax',
    'all axes',
    { nodes: [opNode('ReduceMax', ['a'], ['y'], [int('keepdims', 0)])], inputs: { a: x([3, 4]) } },
  ],
  [
    'ReduceMax',
    'axis 1',
    { nodes: [opNode('ReduceMax', ['a'], ['y'], [ints('axes', [1])])], inputs: { a: x([2, 5, 3]) } },
  ],
  [
    'Reshape',
    'shape computed from Shape (an integer path)',
    {
      nodes: [
        opNode('Shape', ['a'], ['s']),
        opNode('Gather', ['s', 'i0'], ['n']),
        opNode('Concat', ['n', 'rest'], ['shape'], [int('axis', 0)]),
        opNode('Reshape', ['a', 'shape'], ['y']),
      ],
      inputs: { a: x([2, 3, 4]) },
      initializers: [int64Tensor('i0', [0]), int64Tensor('rest', [-1])],
    },
  ],
  [
    'Flatten',
    'axis 2',
    { nodes: [opNode('Flatten', ['a'], ['y'], [int('axis', 2)])], inputs: { a: x([2, 3, 4]) } },
  ],
  [
    'Transpose',
    'perm [2,0,1]',
    { nodes: [opNode('Transpose', ['a'], ['y'], [ints('perm', [2, 0, 1])])], inputs: { a: x([2, 3, 4]) } },
  ],
  [
    'Concat',
    'axis 1, three inputs',
    {
      nodes: [opNode('Concat', ['a', 'b', 'c'], ['y'], [int('axis', 1)])],
      inputs: { a: x([2, 1, 3]), b: x([2, 3, 3]), c: x([2, 2, 3]) },
    },
  ],
  [
    'Split',
    'one output unused',
    {
      nodes: [opNode('Split', ['a', 'sizes'], ['y', 'unused'], [int('axis', 1)])],
      inputs: { a: x([2, 5]) },
      initializers: [int64Tensor('sizes', [2, 3])],
    },
  ],
  [
    'Split',
    'both outputs used',
    {
      nodes: [opNode('Split', ['a'], ['p', 'q'], [int('axis', 0)]), opNode('Mul', ['p', 'q'], ['y'])],
      inputs: { a: x([4, 3]) },
    },
  ],
  [
    'Slice',
    'axes with a negative step',
    {
      nodes: [opNode('Slice', ['a', 'st', 'en', 'ax', 'sp'], ['y'])],
      inputs: { a: x([3, 6, 5]) },
      initializers: [
        int64Tensor('st', [1, -1]),
        int64Tensor('en', [6, 0]),
        int64Tensor('ax', [1, 2]),
        int64Tensor('sp', [2, -2]),
      ],
    },
  ],
  [
    'Slice',
    'attributes, opset 9 (upgraded)',
    {
      nodes: [
        opNode('Slice', ['a'], ['y'], [ints('starts', [0, 1]), ints('ends', [1, 100]), ints('axes', [0, 1])]),
      ],
      inputs: { a: x([3, 4]) },
      opset: 9,
    },
  ],
  [
    'Gather',
    'axis 1, 2-D indices with repeats and negatives',
    {
      nodes: [opNode('Gather', ['a', 'idx'], ['y'], [int('axis', 1)])],
      inputs: { a: x([2, 4, 3]) },
      initializers: [int64Tensor('idx', [0, 3, -1, 0, 2, 0], [2, 3])],
    },
  ],
  [
    'Gather',
    'scalar index, axis 0',
    {
      nodes: [opNode('Gather', ['a', 'idx'], ['y'])],
      inputs: { a: x([4, 3]) },
      initializers: [int64Tensor('idx', [2], [])],
    },
  ],
  [
    'GatherElements',
    'axis 2, repeats and a negative index (the next-token loss pick)',
    {
      nodes: [opNode('GatherElements', ['a', 'idx'], ['y'], [int('axis', 2)])],
      inputs: { a: x([2, 3, 4]) },
      initializers: [int64Tensor('idx', [0, 3, 3, -1, 1, 1, 2, 0, 0, 2, 1, 3], [2, 3, 2])],
    },
  ],
  [
    'Squeeze',
    '',
    {
      nodes: [opNode('Squeeze', ['a', 'ax'], ['y'])],
      inputs: { a: x([2, 1, 3]) },
      initializers: [int64Tensor('ax', [1])],
    },
  ],
  [
    'Unsqueeze',
    'attribute, opset 11 (upgraded)',
    {
      nodes: [opNode('Unsqueeze', ['a'], ['y'], [ints('axes', [0, 3])])],
      inputs: { a: x([2, 3]) },
      opset: 11,
    },
  ],
  [
    'Expand',
    '[3,1] → [2,3,4]',
    {
      nodes: [opNode('Expand', ['a', 'shape'], ['y'])],
      inputs: { a: x([3, 1]) },
      initializers: [int64Tensor('shape', [2, 3, 4])],
    },
  ],
  [
    'Where',
    'condition computed from an input, broadcast',
    {
      nodes: [opNode('Greater', ['a', 'zero'], ['c']), opNode('Where', ['c', 'a', 'b'], ['y'])],
      inputs: { a: x([2, 3], { awayFromZero: 0.05 }), b: x([3]) },
      initializers: [floatTensor('zero', [0], [])],
    },
  ],
  ['Identity', '', { nodes: [opNode('Identity', ['a'], ['y'])], inputs: { a: x([3]) } }],
  ['Dropout', 'inference: the identity', { nodes: [opNode('Dropout', ['a'], ['y'])], inputs: { a: x([3]) } }],
  [
    'Cast',
    'float → double → float',
    {
      nodes: [
        opNode('Cast', ['a'], ['d'], [int('to', 11)]),
        opNode('Mul', ['d', 'd'], ['dd']),
        opNode('Cast', ['dd'], ['y'], [int('to', 1)]),
      ],
      inputs: { a: x([4]) },
    },
  ],
  [
    'Constant',
    'a Constant node as an operand',
    {
      nodes: [
        opNode('Constant', [], ['k'], [attr.tensor('value', floatTensor('k', [1, -2, 3], [3]))]),
        opNode('Mul', ['a', 'k'], ['y']),
      ],
      inputs: { a: x([2, 3]) },
    },
  ],
];

describe('gradient rules at their kinks', () => {
  // Exact slopes where finite differences cannot look: PyTorch's one-sided choices at hard-swish's
  // ±3 (the closed interval takes x/3 + 1/2), the floats next to them and far out, where the rule's
  // steps are HardSigmoids with a steep slope; ReLU's mask for tiny and zero outputs.
  const slopes = async (op: string, values: number[], image = false) => {
    const dims = image ? [1, values.length, 1, 1] : [1, values.length];
    const create = (p: ModelProto | Uint8Array) => createTestSession(p);
    const cache = new SessionCache(create, 2);
    const model: ModelProto = {
      ir_version: 8,
      opset_import: [{ domain: '', version: 17 }],
      graph: {
        name: 'kinks',
        node: [opNode(op, ['a'], ['y'])],
        input: [
          {
            name: 'a',
            type: {
              tensor_type: { elem_type: 1, shape: { dim: dims.map((d) => ({ dim_value: d })) } },
            },
          },
        ],
        output: [{ name: 'y' }],
      },
    };
    const gradients = new GradientSessions(model, cache, create);
    const a = new ort.Tensor('float32', Float32Array.from(values), dims);
    const run = await gradients.run(
      { a },
      { objective: { tensor: 'y', unitAxis: -1, pool: 'sum' }, wrt: ['a'] },
    );
    await cache.dispose();
    return Array.from(run.gradients.a?.data as Float32Array);
  };
  const below = (v: number) => v - 2 ** -22;
  const above = (v: number) => v + 2 ** -22;

  it('HardSwish: 0 below -3, x/3 + 1/2 on [-3, 3], 1 above 3', async () => {
    const xs = [-1e30, -4, below(-3), -3, above(-3), -1.5, 0, 1.5, below(3), 3, above(3), 4, 1e30];
    const expected = xs.map((v) => (v < -3 ? 0 : v <= 3 ? v / 3 + 0.5 : 1));
    // A vector, and an image [1, C, 1, 1] (where the rule's middle term is a depthwise 1×1 Conv).
    for (const image of [false, true]) {
      const got = await slopes('HardSwish', xs, image);
      got.forEach((g, i) => expect(g, `slope at ${xs[i]}`).toBeCloseTo(expected[i] as number, 5));
    }
  });

  it('HardSigmoid: alpha while the output is strictly between 0 and 1, 0 at and beyond them', async () => {
    // Default alpha 0.2, beta 0.5: the output is 0 at x = -2.5 and 1 at x = 2.5.
    const xs = [-1e30, -3, -2.5, -2.5 + 1e-3, 0, 2.5 - 1e-3, 2.5, 3, 1e30];
    expect(await slopes('HardSigmoid', xs)).toEqual(
      xs.map((v) => (v > -2.5 && v < 2.5 ? Math.fround(0.2) : 0)),
    );
  });

  it('Relu: 1 for every positive output however small, 0 at 0', async () => {
    const xs = [-1, -1e-30, 0, 1e-30, 2e-38, 1e-3, 3, 1e30];
    expect(await slopes('Relu', xs)).toEqual([0, 0, 0, 1, 1, 1, 1, 1]);
  });
});

describe('gradient rules against central finite differences', () => {
  it.each(CASES)('%s %s', async (_op, _label, c) => {
    const { worst, analytic, numeric } = await checkGradients(c);
    expect(
      analytic.some((v) => Math.abs(v) > 1e-3),
      'a direction with a non-zero derivative',
    ).toBe(true);
    expect(worst, `analytic ${analytic.join(', ')} vs numeric ${numeric.join(', ')}`).toBeLessThan(
      c.tolerance ?? 1e-2,
    );
  });

  it('checks every op that has a rule', () => {
    const checked = new Set(CASES.map(([op]) => op));
    expect(Object.keys(GRADIENT_RULES).filter((op) => !checked.has(op))).toEqual([]);
  });
});
