import { ElemType } from '../../onnx/proto.ts';
import { attr, sameShape, spreadable } from '../builder.ts';
import { gradOf, type GradContext, type GradRule } from './types.ts';

/**
 * Gradients of elementwise ops. Binary ops broadcast, so each operand's gradient is summed back to
 * the operand's own shape (GraphBuilder.reduceTo). Where a derivative is cheaper from the output
 * than from the input (Sigmoid, Tanh, Exp, Sqrt) the rule uses the output.
 */

/** Sum a gradient shaped like the node's output down to input i's shape. */
function toInput(ctx: GradContext, grad: string, i: number): string {
  return ctx.b.reduceTo(grad, ctx.shape(ctx.outputs[0] as string), ctx.shape(ctx.inputs[i] as string));
}

function unary(derivative: (ctx: GradContext, g: string) => string): GradRule {
  return (ctx) => [ctx.needs[0] ? derivative(ctx, gradOf(ctx)) : undefined];
}

const passThrough: GradRule = unary((_ctx, g) => g);

function input(ctx: GradContext, i: number): string {
  return ctx.inputs[i] as string;
}
function output(ctx: GradContext): string {
  return ctx.outputs[0] as string;
}
function elem(ctx: GradContext, name: string): number {
  return ctx.elemType(name);
}
function constant(ctx: GradContext, value: number): string {
  return ctx.b.scalar(value, elem(ctx, output(ctx)));
}
/**
 * The slope of a HardSigmoid used as an exact step: clip(K·v + β, 0, 1) with K = 2^20 is 0 or 1
 * for every float v except where K·v + β lies strictly between 0 and 1, and with β an integer
 * below 2^24 and K a power of two both K·v and the sum are exact near the step, so the step sits
 * exactly where the integer arithmetic puts it (see the HardSwish rule).
 */
const STEEP_HS = 2 ** 20;

function hardSigmoidAttrs(alpha: number, beta: number) {
  return [attr.float('alpha', alpha), attr.float('beta', beta)];
}

function hardSigmoid(ctx: GradContext, v: string, alpha: number, beta: number): string {
  return ctx.b.op('HardSigmoid', [v], hardSigmoidAttrs(alpha, beta));
}

/**
 * g where the condition holds, 0 elsewhere: g times the condition as 0/1, which onnxruntime runs in
 * about half the time of Where against a broadcast zero. (Where the condition fails, an infinite g
 * gives NaN rather than 0; gradients of finite objectives through finite activations are finite.)
 */
function gate(ctx: GradContext, condition: string, g: string): string {
  return ctx.b.mul(g, ctx.b.mask(condition, elem(ctx, output(ctx))));
}

/**
 * A product of an image [N, C, H, W] with a per-channel scale [N, C, 1, 1] (squeeze-excitation):
 * the forward is rewritten to spread the scale to full size first (GraphBuilder.spread), so the
 * product, its gradient g·scale and the g·image that the scale's gradient sums all stay in
 * onnxruntime's blocked layout; that sum is a spatial mean (GraphBuilder.spatialMean, blocked too)
 * times H·W rather than a ReduceSum, which would reorder g·image to NCHW. Undefined for any other Mul.
 */
function channelScale(ctx: GradContext, g: string): (string | undefined)[] | undefined {
  const out = ctx.shape(output(ctx));
  const shapes = [ctx.shape(input(ctx, 0)), ctx.shape(input(ctx, 1))];
  const small = shapes.findIndex((s) => spreadable(s, out, elem(ctx, output(ctx))));
  if (small < 0 || !sameShape(shapes[1 - small] as number[], out)) return undefined;
  const { b } = ctx;
  const [image, scale] = [input(ctx, 1 - small), input(ctx, small)];
  const spread = b.fresh('spread');
  b.forwardRewrites.set(ctx.node, [
    b.spreadNode(scale, out, spread),
    { ...ctx.node, input: small === 0 ? [spread, image] : [image, spread] },
  ]);
  const grads: (string | undefined)[] = [undefined, undefined];
  if (ctx.needs[1 - small]) grads[1 - small] = b.mul(g, spread);
  if (ctx.needs[small]) {
    const area = (out[2] as number) * (out[3] as number);
    grads[small] = b.mul(b.spatialMean(b.mul(g, image), out, elem(ctx, output(ctx))), b.scalar(area));
  }
  return grads;
}

export const elementwiseRules = {
  Identity: passThrough,
  Dropout: passThrough,
  Add: (ctx) => {
    const g = gradOf(ctx);
    return [ctx.needs[0] ? toInput(ctx, g, 0) : undefined, ctx.needs[1] ? toInput(ctx, g, 1) : undefined];
  },
  Sum: (ctx) => {
    const g = gradOf(ctx);
    return ctx.inputs.map((_, i) => (ctx.needs[i] ? toInput(ctx, g, i) : undefined));
  },
  Sub: (ctx) => {
    const g = gradOf(ctx);
    return [
      ctx.needs[0] ? toInput(ctx, g, 0) : undefined,
      ctx.needs[1] ? toInput(ctx, ctx.b.neg(g), 1) : undefined,
    ];
  },
  Mul: (ctx) => {
    const g = gradOf(ctx);
    const { b } = ctx;
    const scaled = channelScale(ctx, g);
    if (scaled) return scaled;
    return [
      ctx.needs[0] ? toInput(ctx, b.mul(g, input(ctx, 1)), 0) : undefined,
      ctx.needs[1] ? toInput(ctx, b.mul(g, input(ctx, 0)), 1) : undefined,
    ];
  },
  Div: (ctx) => {
    const g = gradOf(ctx);
    const { b } = ctx;
    const gOverB = b.div(g, input(ctx, 1));
    return [
      ctx.needs[0] ? toInput(ctx, gOverB, 0) : undefined,
      // d(a/b)/db = -a/b² = -y/b
      ctx.needs[1] ? toInput(ctx, b.neg(b.mul(gOverB, output(ctx))), 1) : undefined,
    ];
  },
  Neg: unary((ctx, g) => ctx.b.neg(g)),
  Pow: (ctx) => {
    const g = gradOf(ctx);
    const { b } = ctx;
    const [base, exponent] = [input(ctx, 0), input(ctx, 1)];
    let dBase: string | undefined;
    if (ctx.needs[0]) {
      const exponentF =
        ctx.elemType(exponent) === ctx.elemType(base)
          ? exponent
          : b.op('Cast', [exponent], [attr.int('to', ctx.elemType(base))]);
      const lowered = b.op('Pow', [base, b.sub(exponentF, constant(ctx, 1))]);
      dBase = toInput(ctx, b.mul(g, b.mul(exponentF, lowered)), 0);
    }
    const dExponent = ctx.needs[1]
      ? toInput(ctx, b.mul(g, b.mul(output(ctx), b.op('Log', [base]))), 1)
      : undefined;
    return [dBase, dExponent];
  },
  Sqrt: unary((ctx, g) => ctx.b.div(ctx.b.mul(g, constant(ctx, 0.5)), output(ctx))),
  Exp: unary((ctx, g) => ctx.b.mul(g, output(ctx))),
  Log: unary((ctx, g) => ctx.b.div(g, input(ctx, 0))),
  Abs: unary((ctx, g) => ctx.b.mul(g, ctx.b.op('Sign', [input(ctx, 0)]))),
  // The output is ≥ 0; a HardSigmoid with slope 2^126 is its 0/1 mask (1 from the smallest normal
  // float up; only subnormal outputs get a fraction) in one pass that, unlike a comparison and a
  // Cast, stays in onnxruntime's NCHWc layout. Float64 graphs keep the comparison (no float64
  // HardSigmoid kernel).
  Relu: unary((ctx, g) =>
    elem(ctx, output(ctx)) === ElemType.FLOAT
      ? ctx.b.mul(g, hardSigmoid(ctx, output(ctx), 2 ** 126, 0))
      : gate(ctx, ctx.b.op('Greater', [output(ctx), constant(ctx, 0)]), g),
  ),
  LeakyRelu: unary((ctx, g) => {
    const { b } = ctx;
    const alpha = ctx.attrFloat('alpha', 0.01);
    return b.op('Where', [
      b.op('Greater', [input(ctx, 0), constant(ctx, 0)]),
      g,
      b.mul(g, constant(ctx, alpha)),
    ]);
  }),
  Sigmoid: unary((ctx, g) => {
    const { b } = ctx;
    const y = output(ctx);
    return b.mul(g, b.mul(y, b.sub(constant(ctx, 1), y)));
  }),
  HardSigmoid: unary((ctx, g) => {
    const { b } = ctx;
    const y = output(ctx);
    const alpha = ctx.attrFloat('alpha', 0.2);
    // Linear (slope alpha) exactly where the output is strictly between its bounds. In float32, the
    // two bounds as HardSigmoid steps (above 0: slope 2^126, as for Relu; below 1: 2^24, one step per
    // float below 1), which stay in onnxruntime's blocked layout where comparisons do not.
    if (elem(ctx, y) === ElemType.FLOAT) {
      const above = hardSigmoid(ctx, y, 2 ** 126, 0);
      const below = hardSigmoid(ctx, y, -(2 ** 24), 2 ** 24);
      return b.mul(b.mul(g, b.mul(above, below)), constant(ctx, alpha));
    }
    const inside = b.op('And', [b.op('Greater', [y, constant(ctx, 0)]), b.op('Less', [y, constant(ctx, 1)])]);
    return gate(ctx, inside, b.mul(g, constant(ctx, alpha)));
  }),
  HardSwish: unary((ctx, g) => {
    // y = x·hs(x), hs = clip(x/6 + 1/2, 0, 1): slope hs + x/6 on [-3, 3] (PyTorch's closed
    // interval), hs (0 or 1) outside. The forward is written as HardSigmoid then Mul (how
    // onnxruntime runs HardSwish anyway), so hs costs the backward nothing; x/6 on [-3, 3] is x times
    // a 0/1 step of x² scaled by 1/6. Only HardSigmoid, Mul and Add of same-shape tensors, which
    // onnxruntime's NCHWc pass keeps in the blocked layout of the convolutions around them, where
    // comparisons, Cast and Clip with tensor bounds (the former form, eight passes) needed the
    // activation and the gradient reordered to NCHW and back.
    const { b } = ctx;
    const x = input(ctx, 0);
    const y = output(ctx);
    const hs = `${y}/aia.hardsigmoid`;
    b.forwardRewrites.set(ctx.node, [
      { op_type: 'HardSigmoid', name: hs, input: [x], output: [hs], attribute: hardSigmoidAttrs(1 / 6, 0.5) },
      { op_type: 'Mul', name: ctx.node.name ?? y, input: [x, hs], output: [y] },
    ]);
    const inside = hardSigmoid(ctx, b.mul(x, x), -STEEP_HS, 9 * STEEP_HS + 1);
    const shape = ctx.shape(x);
    if (shape.length === 4 && elem(ctx, x) === ElemType.FLOAT) {
      // On an image-shaped activation, x·[|x| ≤ 3]/6 + hs as a depthwise 1×1 Conv (weights 1/6)
      // whose output onnxruntime adds hs to inside the blocked convolution's kernel (its Sum input):
      // one pass where the scaling HardSigmoid and the Add took two.
      const channels = shape[1] as number;
      const sixths = b.float(new Float32Array(channels).fill(1 / 6), [channels, 1, 1, 1]);
      const scaled = b.op(
        'Conv',
        [b.mul(x, inside), sixths],
        [attr.ints('kernel_shape', [1, 1]), attr.int('group', channels)],
      );
      return b.mul(g, b.add(scaled, hs));
    }
    const sixth = hardSigmoid(ctx, inside, 1 / 6, 0);
    return b.mul(g, b.add(hs, b.mul(x, sixth)));
  }),
  Tanh: unary((ctx, g) => {
    const { b } = ctx;
    const y = output(ctx);
    return b.mul(g, b.sub(constant(ctx, 1), b.mul(y, y)));
  }),
  Erf: unary((ctx, g) => {
    const { b } = ctx;
    const x = input(ctx, 0);
    const bell = b.op('Exp', [b.neg(b.mul(x, x))]);
    return b.mul(g, b.mul(bell, constant(ctx, 2 / Math.sqrt(Math.PI))));
  }),
  Gelu: unary((ctx, g) => {
    const { b } = ctx;
    const x = input(ctx, 0);
    const half = constant(ctx, 0.5);
    const one = constant(ctx, 1);
    if (ctx.attrString('approximate', 'none') === 'tanh') {
      // y = x/2·(1 + tanh(u)), u = √(2/π)(x + 0.044715x³)
      const k = Math.sqrt(2 / Math.PI);
      const x2 = b.mul(x, x);
      const u = b.mul(constant(ctx, k), b.add(x, b.mul(constant(ctx, 0.044715), b.mul(x2, x))));
      const t = b.op('Tanh', [u]);
      const du = b.mul(constant(ctx, k), b.add(one, b.mul(constant(ctx, 3 * 0.044715), x2)));
      const slope = b.add(
        b.mul(half, b.add(one, t)),
        b.mul(b.mul(half, x), b.mul(b.sub(one, b.mul(t, t)), du)),
      );
      return b.mul(g, slope);
    }
    // y = x·Φ(x): slope Φ(x) + x·φ(x)
    const cdf = b.mul(half, b.add(one, b.op('Erf', [b.mul(x, constant(ctx, Math.SQRT1_2))])));
    const pdf = b.mul(
      b.op('Exp', [b.mul(b.mul(x, x), constant(ctx, -0.5))]),
      constant(ctx, 1 / Math.sqrt(2 * Math.PI)),
    );
    return b.mul(g, b.add(cdf, b.mul(x, pdf)));
  }),
  Clip: (ctx) => {
    const g = gradOf(ctx);
    const { b } = ctx;
    const [x, y] = [input(ctx, 0), output(ctx)];
    const [low, high] = [ctx.inputs[1] ?? '', ctx.inputs[2] ?? ''];
    // Where the output equals the input the clip is the identity; elsewhere a bound was taken.
    const dx = ctx.needs[0] ? gate(ctx, b.op('Equal', [x, y]), g) : undefined;
    const dLow = ctx.needs[1] && low ? toInput(ctx, gate(ctx, b.op('Less', [x, low]), g), 1) : undefined;
    const dHigh =
      ctx.needs[2] && high ? toInput(ctx, gate(ctx, b.op('Greater', [x, high]), g), 2) : undefined;
    return [dx, dLow, dHigh];
  },
  Where: (ctx) => {
    const g = gradOf(ctx);
    const { b } = ctx;
    const condition = input(ctx, 0);
    const zero = constant(ctx, 0);
    return [
      undefined,
      ctx.needs[1] ? toInput(ctx, b.op('Where', [condition, g, zero]), 1) : undefined,
      ctx.needs[2] ? toInput(ctx, b.op('Where', [condition, zero, g]), 2) : undefined,
    ];
  },
  Cast: unary((ctx, g) => ctx.b.op('Cast', [g], [attr.int('to', ctx.elemType(input(ctx, 0)))])),
} satisfies Record<string, GradRule>;
