import { ElemType } from '../../onnx/proto.ts';
import { attr } from '../builder.ts';
import { convGeometry } from './linear.ts';
import { gradOf, normAxis, range, type GradContext, type GradRule } from './types.ts';

/**
 * Gradients of pooling and reductions. MaxPool routes each output's gradient to the input position
 * it took (its Indices output: unpooled where windows do not overlap, else scattered with addition
 * so overlapping windows accumulate); average pooling spreads it evenly over the window (a
 * transposed convolution with a ones kernel, divided by each window's count); maxima over axes go to
 * every position equal to the maximum.
 */

function x(ctx: GradContext): string {
  return ctx.inputs[0] as string;
}

const maxPool: GradRule = (ctx) => {
  if (!ctx.needs[0]) return [undefined];
  const g = gradOf(ctx);
  const { b } = ctx;
  if (ctx.attrInt('storage_order', 0) !== 0)
    throw ctx.unsupported('MaxPool with storage_order 1 has no gradient rule');
  const shape = ctx.shape(x(ctx));
  // Recompute the pool with its Indices output: flat positions in the whole input tensor.
  const keep = (ctx.node.attribute ?? []).filter((a) => a.name !== 'storage_order');
  const [, indices] = b.opMulti('MaxPool', [x(ctx)], 2, keep);
  const kernel = ctx.attrInts('kernel_shape') ?? [];
  const strides = ctx.attrInts('strides') ?? kernel.map(() => 1);
  const apart = kernel.every((k, i) => (strides[i] as number) >= k);
  const dilated = (ctx.attrInts('dilations') ?? []).some((d) => d !== 1);
  if (apart && !dilated && ctx.elemType(x(ctx)) === ElemType.FLOAT) {
    // Windows that do not overlap each route to a position no other window takes, so MaxUnpool's
    // plain writes (no accumulation) are exact, and several times faster than ScatterElements.
    return [
      b.op(
        'MaxUnpool',
        [g, indices as string, b.int64(shape)],
        [attr.ints('kernel_shape', kernel), attr.ints('strides', strides)],
      ),
    ];
  }
  const total = shape.reduce((p, d) => p * d, 1);
  const scattered = b.op(
    'ScatterElements',
    [b.zeros([total], ctx.elemType(x(ctx))), b.reshape(indices as string, [-1]), b.reshape(g, [-1])],
    [attr.int('axis', 0), attr.string('reduction', 'add')],
  );
  return [b.reshape(scattered, shape)];
};

const averagePool: GradRule = (ctx) => {
  if (!ctx.needs[0]) return [undefined];
  const g = gradOf(ctx);
  const { b } = ctx;
  const shape = ctx.shape(x(ctx));
  const gShape = ctx.shape(ctx.outputs[0] as string);
  const channels = shape[1] as number;
  const kernel = ctx.attrInts('kernel_shape') ?? [];
  const geo = convGeometry(ctx, shape.slice(2), kernel);
  const n = kernel.length;
  if (ctx.attrInt('ceil_mode', 0) !== 0)
    throw ctx.unsupported('AveragePool with ceil_mode has no gradient rule');
  const includePad = ctx.attrInt('count_include_pad', 0) !== 0;
  // How many input values each output averaged: the window size, less the padding it covers.
  const outSpatial = gShape.slice(2);
  const counts = new Float32Array(outSpatial.reduce((p, d) => p * d, 1));
  counts.forEach((_, flat) => {
    let rest = flat;
    let count = 1;
    for (let i = n - 1; i >= 0; i--) {
      const o = rest % (outSpatial[i] as number);
      rest = Math.floor(rest / (outSpatial[i] as number));
      const start = o * (geo.strides[i] as number) - (geo.pads[i] as number);
      const end = start + (kernel[i] as number);
      const size = shape[i + 2] as number;
      count *= includePad ? (kernel[i] as number) : Math.min(end, size) - Math.max(start, 0);
    }
    counts[flat] = count;
  });
  const scaled = b.div(g, b.float(counts, outSpatial));
  const ones = b.float(new Float32Array(channels * kernel.reduce((p, d) => p * d, 1)).fill(1), [
    channels,
    1,
    ...kernel,
  ]);
  const outputPadding = shape.slice(2).map((size, i) => {
    const made =
      ((gShape[i + 2] as number) - 1) * (geo.strides[i] as number) -
      (geo.pads[i] as number) -
      (geo.pads[i + n] as number) +
      (kernel[i] as number);
    return size - made;
  });
  return [
    b.op(
      'ConvTranspose',
      [scaled, ones],
      [
        attr.ints('kernel_shape', kernel),
        attr.ints('strides', geo.strides),
        attr.ints('pads', geo.pads),
        attr.int('group', channels),
        attr.ints('output_padding', outputPadding),
      ],
    ),
  ];
};

/**
 * A gradient [N, C, 1, …] left unexpanded: the reverse pass adds it to the input's other gradient
 * (in a squeeze-excitation block, the product's) with a broadcasting Add, which costs one pass over
 * the activation where Expand and a scaling Mul cost two more.
 */
function broadcast(ctx: GradContext, small: string, shape: readonly number[]): string {
  ctx.b.broadcasting.set(small, shape);
  return small;
}

const globalAveragePool: GradRule = (ctx) => {
  if (!ctx.needs[0]) return [undefined];
  const { b } = ctx;
  const shape = ctx.shape(x(ctx));
  // The forward pool in the form onnxruntime runs blocked at any channel count (see spatialMeanNode).
  const mean = b.spatialMeanNode(x(ctx), shape, ctx.elemType(x(ctx)), ctx.outputs[0] as string);
  if (mean.op_type !== 'GlobalAveragePool')
    b.forwardRewrites.set(ctx.node, [{ ...mean, name: ctx.node.name }]);
  const count = shape.slice(2).reduce((p, d) => p * d, 1);
  const pooled = ctx.shape(ctx.outputs[0] as string);
  return [broadcast(ctx, b.mul(gradOf(ctx), b.scalar(1 / count, ctx.elemType(x(ctx)))), pooled)];
};

/** Gradient of a maximum taken over axes (kept as size 1 in `y`): to every input equal to it. */
function toMaxima(ctx: GradContext, y: string, g: string): string {
  const { b } = ctx;
  const shape = ctx.shape(x(ctx));
  const isMax = b.op('Equal', [x(ctx), b.op('Expand', [y, b.int64(shape)])]);
  return b.op('Where', [isMax, b.op('Expand', [g, b.int64(shape)]), b.scalar(0, ctx.elemType(x(ctx)))]);
}

const globalMaxPool: GradRule = (ctx) => {
  if (!ctx.needs[0]) return [undefined];
  return [toMaxima(ctx, ctx.outputs[0] as string, gradOf(ctx))];
};

/** The axes a Reduce* node reduces over (all when none are given), normalised. */
function reduceAxes(ctx: GradContext): number[] {
  const rank = ctx.shape(x(ctx)).length;
  const fromInput = ctx.inputs[1] ? ctx.ints(ctx.inputs[1]) : undefined;
  const axes = fromInput ?? ctx.attrInts('axes') ?? [];
  if (axes.length === 0) {
    if (ctx.attrInt('noop_with_empty_axes', 0) !== 0) return [];
    return range(rank);
  }
  return axes.map((a) => normAxis(a, rank)).sort((p, q) => p - q);
}

/** A reduced tensor reshaped to keep its reduced axes as size 1. */
function keptDims(ctx: GradContext, name: string, axes: number[]): string {
  if (ctx.attrInt('keepdims', 1) !== 0) return name;
  const shape = ctx.shape(x(ctx)).map((d, i) => (axes.includes(i) ? 1 : d));
  return ctx.b.reshape(name, shape);
}

function reduction(kind: 'sum' | 'mean' | 'max'): GradRule {
  return (ctx) => {
    if (!ctx.needs[0]) return [undefined, undefined];
    const { b } = ctx;
    const axes = reduceAxes(ctx);
    const shape = ctx.shape(x(ctx));
    const g = keptDims(ctx, gradOf(ctx), axes);
    const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
    if (kind === 'max') return [toMaxima(ctx, keptDims(ctx, ctx.outputs[0] as string, axes), g), undefined];
    if (kind === 'sum') return [broadcast(ctx, g, kept), undefined];
    const count = axes.reduce((p, a) => p * (shape[a] as number), 1);
    return [broadcast(ctx, b.mul(g, b.scalar(1 / count, ctx.elemType(x(ctx)))), kept), undefined];
  };
}

export const poolingRules = {
  MaxPool: maxPool,
  AveragePool: averagePool,
  GlobalAveragePool: globalAveragePool,
  GlobalMaxPool: globalMaxPool,
  ReduceSum: reduction('sum'),
  ReduceMean: reduction('mean'),
  ReduceMax: reduction('max'),
} satisfies Record<string, GradRule>;
