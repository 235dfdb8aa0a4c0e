import { attr, type GraphBuilder } from '../builder.ts';
import { gradOf, range, type GradContext, type GradRule } from './types.ts';

/**
 * Gradients of the linear ops: MatMul (batched, broadcasting, 1-D operands), Gemm, Conv and
 * ConvTranspose (groups, strides, pads, dilations, output padding). A Conv's input gradient is a
 * ConvTranspose with the same weight; its weight gradient is a grouped Conv of the input against the
 * output gradient with strides and dilations swapped.
 */

function swapLast(rank: number): number[] {
  const perm = range(rank);
  perm[rank - 1] = rank - 2;
  perm[rank - 2] = rank - 1;
  return perm;
}

const matMul: GradRule = (ctx) => {
  const g = gradOf(ctx);
  const { b } = ctx;
  const [a, w] = [ctx.inputs[0] as string, ctx.inputs[1] as string];
  const aShape = ctx.shape(a);
  const wShape = ctx.shape(w);
  // Lift 1-D operands to matrices so one formula serves every case, as MatMul itself does.
  let a2 = a;
  let w2 = w;
  let g2 = g;
  let a2Shape = aShape;
  let w2Shape = wShape;
  let gShape = ctx.shape(ctx.outputs[0] as string);
  if (aShape.length === 1) {
    a2 = b.unsqueeze(a, [0]);
    a2Shape = [1, ...aShape];
    g2 = b.unsqueeze(g2, [gShape.length - 1]);
    gShape = [...gShape.slice(0, -1), 1, ...gShape.slice(-1)];
    if (wShape.length === 1) gShape = [1];
  }
  if (wShape.length === 1) {
    w2 = b.unsqueeze(w, [1]);
    w2Shape = [...wShape, 1];
    g2 = b.unsqueeze(g2, [gShape.length]);
    gShape = [...gShape, 1];
  }
  const dA = ctx.needs[0]
    ? (() => {
        const full = b.op('MatMul', [g2, b.transpose(w2, swapLast(w2Shape.length))]);
        const fullShape = [...gShape.slice(0, -1), a2Shape[a2Shape.length - 1] as number];
        return b.reshape(b.reduceTo(full, fullShape, a2Shape), aShape);
      })()
    : undefined;
  const dW = ctx.needs[1]
    ? (() => {
        const full = b.op('MatMul', [b.transpose(a2, swapLast(a2Shape.length)), g2]);
        const fullShape = [
          ...gShape.slice(0, -2),
          a2Shape[a2Shape.length - 1] as number,
          gShape[gShape.length - 1] as number,
        ];
        return b.reshape(b.reduceTo(full, fullShape, w2Shape), wShape);
      })()
    : undefined;
  return [dA, dW];
};

const gemm: GradRule = (ctx) => {
  const g = gradOf(ctx);
  const { b } = ctx;
  const [a, w, c] = [ctx.inputs[0] as string, ctx.inputs[1] as string, ctx.inputs[2] ?? ''];
  const alpha = ctx.attrFloat('alpha', 1);
  const beta = ctx.attrFloat('beta', 1);
  const transA = ctx.attrInt('transA', 0);
  const transB = ctx.attrInt('transB', 0);
  const gemmOf = (x: string, y: string, tA: number, tB: number) =>
    b.op('Gemm', [x, y], [attr.float('alpha', alpha), attr.int('transA', tA), attr.int('transB', tB)]);
  const dA = ctx.needs[0] ? (transA ? gemmOf(w, g, transB, 1) : gemmOf(g, w, 0, transB ? 0 : 1)) : undefined;
  const dW = ctx.needs[1] ? (transB ? gemmOf(g, a, 1, transA) : gemmOf(a, g, transA ? 0 : 1, 0)) : undefined;
  const dC =
    ctx.needs[2] && c
      ? b.reduceTo(
          beta === 1 ? g : b.mul(g, b.scalar(beta, ctx.elemType(c))),
          ctx.shape(ctx.outputs[0] as string),
          ctx.shape(c),
        )
      : undefined;
  return [dA, dW, dC];
};

/** A convolution's geometry with auto_pad resolved to explicit pads at the static input size. */
export interface ConvGeometry {
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** Begin pads then end pads, as ONNX writes them. */
  pads: number[];
  group: number;
}

export function convGeometry(ctx: GradContext, spatialIn: number[], kernel: number[]): ConvGeometry {
  const n = kernel.length;
  const strides = ctx.attrInts('strides') ?? kernel.map(() => 1);
  const dilations = ctx.attrInts('dilations') ?? kernel.map(() => 1);
  const autoPad = ctx.attrString('auto_pad', 'NOTSET');
  let pads = ctx.attrInts('pads') ?? new Array<number>(2 * n).fill(0);
  if (autoPad === 'VALID') pads = new Array<number>(2 * n).fill(0);
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const begin: number[] = [];
    const end: number[] = [];
    spatialIn.forEach((size, i) => {
      const s = strides[i] as number;
      const extent = ((kernel[i] as number) - 1) * (dilations[i] as number) + 1;
      const total = Math.max(0, (Math.ceil(size / s) - 1) * s + extent - size);
      const small = Math.floor(total / 2);
      begin.push(autoPad === 'SAME_UPPER' ? small : total - small);
      end.push(autoPad === 'SAME_UPPER' ? total - small : small);
    });
    pads = [...begin, ...end];
  }
  return { kernel, strides, dilations, pads, group: ctx.attrInt('group', 1) };
}

function geometryAttrs(geo: ConvGeometry): ReturnType<typeof attr.ints>[] {
  return [
    attr.ints('kernel_shape', geo.kernel),
    attr.ints('strides', geo.strides),
    attr.ints('dilations', geo.dilations),
    attr.ints('pads', geo.pads),
    attr.int('group', geo.group),
  ];
}

/**
 * dW[o, i, k] = Σ_n Σ_p grad[n, o, p] · input[n, i, p·stride + k·dilation − pad] for a grouped
 * convolution: the batch becomes the channels being summed over (one group of N per conv group),
 * the input channels of a group become the batch, and strides and dilations trade places. The result
 * can be longer than the kernel where the forward conv dropped trailing rows, so it is cut to size.
 */
export function convWeightGrad(
  b: GraphBuilder,
  input: string,
  inputShape: number[],
  grad: string,
  gradShape: number[],
  geo: ConvGeometry,
): string {
  const [batch, channelsIn] = inputShape as [number, number];
  const spatial = inputShape.slice(2);
  const gradSpatial = gradShape.slice(2);
  const groups = geo.group;
  const perGroupIn = channelsIn / groups;
  const n = spatial.length;
  // input [N, G·Ci, …] → [Ci, G·N, …]
  const split = b.reshape(input, [batch, groups, perGroupIn, ...spatial]);
  const moved = b.transpose(split, [2, 1, 0, ...range(n + 3, 3)]);
  const asBatch = b.reshape(moved, [perGroupIn, groups * batch, ...spatial]);
  // grad [N, G·Co, …] → [G·Co, N, …]
  const kernelOfGrad = b.transpose(grad, [1, 0, ...range(n + 2, 2)]);
  const full = b.op(
    'Conv',
    [asBatch, kernelOfGrad],
    [
      attr.ints('kernel_shape', gradSpatial),
      attr.ints('strides', geo.dilations),
      attr.ints('dilations', geo.strides),
      attr.ints('pads', geo.pads),
      attr.int('group', groups),
    ],
  );
  // [Ci, G·Co, K'…] → [G·Co, Ci, K'…], cut to the kernel size
  const swapped = b.transpose(full, [1, 0, ...range(n + 2, 2)]);
  const fullKernel = spatial.map((size, i) => {
    const padded = size + (geo.pads[i] as number) + (geo.pads[i + n] as number);
    const used = ((gradSpatial[i] as number) - 1) * (geo.strides[i] as number) + 1;
    return Math.floor((padded - used) / (geo.dilations[i] as number)) + 1;
  });
  if (fullKernel.every((k, i) => k === geo.kernel[i])) return swapped;
  const axes = range(n + 2, 2);
  return b.op('Slice', [swapped, b.int64(axes.map(() => 0)), b.int64(geo.kernel), b.int64(axes)]);
}

/**
 * A conv's input gradient as a stride-1 Conv, which onnxruntime runs far faster than ConvTranspose
 * (whose grouped and depthwise kernels are slow): the output gradient, with stride−1 zeros inserted
 * after each value, correlated with the spatially flipped kernel (input and output channels swapped
 * within each group), padded so the result has the input's size. Undefined when a pad exceeds the
 * dilated kernel extent (then the caller falls back to ConvTranspose).
 */
function convInputGrad(
  b: GraphBuilder,
  g: string,
  gShape: number[],
  w: string,
  wShape: number[],
  xShape: number[],
  geo: ConvGeometry,
  elemType: number,
): string | undefined {
  const n = geo.kernel.length;
  const spatialOut = gShape.slice(2);
  const begin: number[] = [];
  const end: number[] = [];
  const lengths: number[] = [];
  for (let i = 0; i < n; i++) {
    const reach = ((geo.kernel[i] as number) - 1) * (geo.dilations[i] as number);
    const padBegin = reach - (geo.pads[i] as number);
    const length = (spatialOut[i] as number) * (geo.strides[i] as number);
    let padEnd = (xShape[i + 2] as number) - length + (geo.pads[i] as number);
    let kept = length;
    if (padEnd < 0) {
      kept = length + padEnd;
      padEnd = 0;
    }
    if (padBegin < 0 || kept < ((spatialOut[i] as number) - 1) * (geo.strides[i] as number) + 1)
      return undefined;
    begin.push(padBegin);
    end.push(padEnd);
    lengths.push(kept);
  }
  const [batch, channels] = gShape as [number, number];
  let spread = g;
  if (geo.strides.some((s) => s > 1)) {
    // [N, C, h, w] → [N, C, h, 1, w, 1] → zeros after each value → [N, C, h·s, w·s]
    const interleaved = spatialOut.flatMap((d) => [d, 1]);
    const reshaped = b.reshape(g, [batch, channels, ...interleaved]);
    // The zeros come from a broadcasting Mul by a one-hot [1, 1, 1, s, 1, s…] (onnxruntime runs it on
    // every thread, where a Pad runs on one).
    const window = geo.strides.flatMap((s) => [1, s]);
    const oneHot = new Float64Array(geo.strides.reduce((p, s) => p * s, 1));
    oneHot[0] = 1;
    const padded = b.mul(reshaped, b.float(oneHot, [1, 1, ...window], elemType));
    spread = b.reshape(padded, [
      batch,
      channels,
      ...spatialOut.map((d, i) => d * (geo.strides[i] as number)),
    ]);
    const full = spatialOut.map((d, i) => d * (geo.strides[i] as number));
    if (lengths.some((l, i) => l !== full[i])) {
      const axes = range(n + 2, 2);
      spread = b.op('Slice', [spread, b.int64(axes.map(() => 0)), b.int64(lengths), b.int64(axes)]);
    }
  }
  // W [G·Co, Ci, k…] → [G·Ci, Co, k…], flipped along every spatial axis
  const groups = geo.group;
  const [channelsOut, perGroupIn] = wShape as [number, number];
  const perGroupOut = channelsOut / groups;
  let kernel = w;
  if (perGroupOut > 1 || perGroupIn > 1) {
    const split = b.reshape(w, [groups, perGroupOut, perGroupIn, ...geo.kernel]);
    const swapped = b.transpose(split, [0, 2, 1, ...range(n + 3, 3)]);
    kernel = b.reshape(swapped, [groups * perGroupIn, perGroupOut, ...geo.kernel]);
  }
  const axes = range(n + 2, 2);
  const flipped = b.op('Slice', [
    kernel,
    b.int64(axes.map(() => -1)),
    b.int64(axes.map(() => -Number.MAX_SAFE_INTEGER)),
    b.int64(axes),
    b.int64(axes.map(() => -1)),
  ]);
  return b.op(
    'Conv',
    [spread, flipped],
    [
      attr.ints('kernel_shape', geo.kernel),
      attr.ints(
        'strides',
        geo.kernel.map(() => 1),
      ),
      attr.ints('dilations', geo.dilations),
      attr.ints('pads', [...begin, ...end]),
      attr.int('group', groups),
    ],
  );
}

const conv: GradRule = (ctx) => {
  const { b } = ctx;
  const [x, w, bias] = [ctx.inputs[0] as string, ctx.inputs[1] as string, ctx.inputs[2] ?? ''];
  // Only the batch sum of the input gradient wanted (and no weight or bias gradient, which need
  // every example): the input gradient is linear in g, so sum g first and take one example's worth.
  const summed = ctx.sumsBatch(0) && !ctx.needs[1] && !(ctx.needs[2] && bias);
  const g = summed ? b.reduceSum(gradOf(ctx), [0], true) : gradOf(ctx);
  const batchOf = (shape: number[]) => (summed ? [1, ...shape.slice(1)] : shape);
  const xShape = batchOf(ctx.shape(x));
  const wShape = ctx.shape(w);
  const gShape = batchOf(ctx.shape(ctx.outputs[0] as string));
  const kernel = ctx.attrInts('kernel_shape') ?? wShape.slice(2);
  const geo = convGeometry(ctx, xShape.slice(2), kernel);
  const n = kernel.length;
  // Strided ungrouped convs: onnxruntime's ConvTranspose is one GEMM and a col2im there, cheaper
  // than a Conv over the zero-interleaved gradient (and the interleaving itself); its grouped and
  // depthwise kernels are the slow ones, so those keep the stride-1 Conv.
  const transposed = geo.group === 1 && geo.strides.some((s) => s > 1);
  const dx = ctx.needs[0]
    ? ((transposed ? undefined : convInputGrad(b, g, gShape, w, wShape, xShape, geo, ctx.elemType(x))) ??
      (() => {
        // output_padding restores the rows a strided conv dropped, so the result has x's size.
        const outputPadding = xShape.slice(2).map((size, i) => {
          const s = geo.strides[i] as number;
          const made =
            ((gShape[i + 2] as number) - 1) * s -
            (geo.pads[i] as number) -
            (geo.pads[i + n] as number) +
            ((kernel[i] as number) - 1) * (geo.dilations[i] as number) +
            1;
          return size - made;
        });
        return b.op(
          'ConvTranspose',
          [g, w],
          [...geometryAttrs(geo), attr.ints('output_padding', outputPadding)],
        );
      })())
    : undefined;
  if (summed && dx !== undefined) b.batchSummed.add(dx);
  const dw = ctx.needs[1] ? convWeightGrad(b, x, xShape, g, gShape, geo) : undefined;
  const dBias = ctx.needs[2] && bias ? b.reduceSum(g, [0, ...range(n + 2, 2)], false) : undefined;
  return [dx, dw, dBias];
};

const convTranspose: GradRule = (ctx) => {
  const g = gradOf(ctx);
  const { b } = ctx;
  const [x, w, bias] = [ctx.inputs[0] as string, ctx.inputs[1] as string, ctx.inputs[2] ?? ''];
  const xShape = ctx.shape(x);
  const wShape = ctx.shape(w);
  const gShape = ctx.shape(ctx.outputs[0] as string);
  if (ctx.attrInts('output_shape') || ctx.attrString('auto_pad', 'NOTSET') !== 'NOTSET') {
    throw ctx.unsupported(
      'ConvTranspose with output_shape or auto_pad has no gradient rule yet; give explicit pads',
    );
  }
  const kernel = ctx.attrInts('kernel_shape') ?? wShape.slice(2);
  const n = kernel.length;
  const geo: ConvGeometry = {
    kernel,
    strides: ctx.attrInts('strides') ?? kernel.map(() => 1),
    dilations: ctx.attrInts('dilations') ?? kernel.map(() => 1),
    pads: ctx.attrInts('pads') ?? new Array<number>(2 * n).fill(0),
    group: ctx.attrInt('group', 1),
  };
  // The adjoint of a transposed convolution is the convolution with the same weight and geometry.
  const dx = ctx.needs[0] ? b.op('Conv', [g, w], geometryAttrs(geo)) : undefined;
  // Y[n, o, x·s + k·d − p] += X[n, i, x]·W[i, o, k]: the weight gradient of a conv whose input is
  // the output gradient and whose output gradient is X.
  const dw = ctx.needs[1] ? convWeightGrad(b, g, gShape, x, xShape, geo) : undefined;
  const dBias = ctx.needs[2] && bias ? b.reduceSum(g, [0, ...range(n + 2, 2)], false) : undefined;
  return [dx, dw, dBias];
};

export const linearRules = {
  MatMul: matMul,
  Gemm: gemm,
  Conv: conv,
  ConvTranspose: convTranspose,
} satisfies Record<string, GradRule>;
