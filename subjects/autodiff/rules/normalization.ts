import { gradOf, normAxis, range, type GradContext, type GradRule } from './types.ts';

/**
 * Gradients of normalisations and softmaxes. BatchNormalization is the inference form (running
 * statistics are constants of the graph, so it is an affine map per channel); LayerNormalization
 * recomputes its statistics over the normalised axes.
 */

/** A per-channel vector [C] reshaped to broadcast over axis 1 of a tensor of the given rank. */
function perChannel(ctx: GradContext, name: string, rank: number): string {
  const channels = ctx.shape(ctx.inputs[0] as string)[1] as number;
  return ctx.b.reshape(name, [1, channels, ...new Array<number>(rank - 2).fill(1)]);
}

const batchNormalization: GradRule = (ctx) => {
  const g = gradOf(ctx);
  const { b } = ctx;
  if (ctx.attrInt('training_mode', 0) !== 0)
    throw ctx.unsupported('training-mode BatchNormalization has no gradient rule');
  const [x, scale, , mean, variance] = ctx.inputs as [string, string, string, string, string];
  const shape = ctx.shape(x);
  const rank = shape.length;
  const elem = ctx.elemType(x);
  const eps = ctx.attrFloat('epsilon', 1e-5);
  const otherAxes = [0, ...range(rank, 2)];
  const invStd = b.op('Reciprocal', [b.op('Sqrt', [b.add(variance, b.scalar(eps, elem))])]);
  const factor = perChannel(ctx, b.mul(scale, invStd), rank);
  const centred = () => b.sub(x, perChannel(ctx, mean, rank));
  const sumOver = (t: string) => b.reduceSum(t, otherAxes, false);
  return [
    ctx.needs[0] ? b.mul(g, factor) : undefined,
    ctx.needs[1] ? sumOver(b.mul(b.mul(g, centred()), perChannel(ctx, invStd, rank))) : undefined,
    ctx.needs[2] ? sumOver(g) : undefined,
    ctx.needs[3] ? b.neg(sumOver(b.mul(g, factor))) : undefined,
    // dy/dvar = −½·scale·(x − mean)·(var + eps)^−3/2
    ctx.needs[4]
      ? sumOver(
          b.mul(
            b.mul(g, centred()),
            perChannel(
              ctx,
              b.mul(b.mul(scale, b.scalar(-0.5, elem)), b.mul(invStd, b.mul(invStd, invStd))),
              rank,
            ),
          ),
        )
      : undefined,
  ];
};

const layerNormalization: GradRule = (ctx) => {
  const g = gradOf(ctx);
  const { b } = ctx;
  const [x, scale, bias] = [ctx.inputs[0] as string, ctx.inputs[1] as string, ctx.inputs[2] ?? ''];
  const shape = ctx.shape(x);
  const rank = shape.length;
  const elem = ctx.elemType(x);
  const axis = normAxis(ctx.attrInt('axis', -1), rank);
  const axes = range(rank, axis);
  const eps = ctx.attrFloat('epsilon', 1e-5);
  const centred = b.sub(x, b.reduceMean(x, axes, true));
  const invStd = b.op('Reciprocal', [
    b.op('Sqrt', [b.add(b.reduceMean(b.mul(centred, centred), axes, true), b.scalar(eps, elem))]),
  ]);
  const normalised = b.mul(centred, invStd);
  const outShape = ctx.shape(ctx.outputs[0] as string);
  let dx: string | undefined;
  if (ctx.needs[0]) {
    // dx = invStd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)), ĝ = g·scale, means over the normalised axes
    const gHat = b.mul(g, scale);
    const inner = b.sub(
      b.sub(gHat, b.reduceMean(gHat, axes, true)),
      b.mul(normalised, b.reduceMean(b.mul(gHat, normalised), axes, true)),
    );
    dx = b.mul(invStd, inner);
  }
  const dScale = ctx.needs[1] ? b.reduceTo(b.mul(g, normalised), outShape, ctx.shape(scale)) : undefined;
  const dBias = ctx.needs[2] && bias ? b.reduceTo(g, outShape, ctx.shape(bias)) : undefined;
  return [dx, dScale, dBias];
};

const softmax: GradRule = (ctx) => {
  if (!ctx.needs[0]) return [undefined];
  const g = gradOf(ctx);
  const { b } = ctx;
  const y = ctx.outputs[0] as string;
  const axis = normAxis(ctx.attrInt('axis', -1), ctx.shape(y).length);
  // dx = y·(g − Σ g·y)
  return [b.mul(y, b.sub(g, b.reduceSum(b.mul(g, y), [axis], true)))];
};

const logSoftmax: GradRule = (ctx) => {
  if (!ctx.needs[0]) return [undefined];
  const g = gradOf(ctx);
  const { b } = ctx;
  const y = ctx.outputs[0] as string;
  const axis = normAxis(ctx.attrInt('axis', -1), ctx.shape(y).length);
  // dx = g − softmax·Σ g
  return [b.sub(g, b.mul(b.op('Exp', [y]), b.reduceSum(g, [axis], true)))];
};

export const normalizationRules = {
  BatchNormalization: batchNormalization,
  LayerNormalization: layerNormalization,
  Softmax: softmax,
  LogSoftmax: logSoftmax,
} satisfies Record<string, GradRule>;
