import { attr } from '../builder.ts';
import { gradOf, normAxis, range, type GradContext, type GradRule } from './types.ts';

/**
 * Gradients of ops that move values without changing them: reshapes give the gradient back the
 * input's shape, Transpose applies the inverse permutation, Concat and Split trade places, Slice and
 * Gather scatter the gradient into zeros (Gather and GatherElements with addition, since an index may repeat), Expand
 * sums over the axes it broadcast. Only the data input gets a gradient; shapes and indices are integers.
 */

function data(ctx: GradContext): string {
  return ctx.inputs[0] as string;
}

const reshapeBack: GradRule = (ctx) => {
  const dx = ctx.needs[0] ? ctx.b.reshape(gradOf(ctx), ctx.shape(data(ctx))) : undefined;
  return [dx, ...ctx.inputs.slice(1).map(() => undefined)];
};

const transpose: GradRule = (ctx) => {
  if (!ctx.needs[0]) return [undefined];
  const rank = ctx.shape(data(ctx)).length;
  const perm = ctx.attrInts('perm') ?? range(rank).reverse();
  const inverse = new Array<number>(rank);
  perm.forEach((p, i) => {
    inverse[p] = i;
  });
  return [ctx.b.transpose(gradOf(ctx), inverse)];
};

const concat: GradRule = (ctx) => {
  const g = gradOf(ctx);
  const rank = ctx.shape(ctx.outputs[0] as string).length;
  const axis = normAxis(ctx.attrInt('axis', 0), rank);
  const sizes = ctx.inputs.map((name) => ctx.shape(name)[axis] as number);
  const parts = ctx.b.split(g, axis, sizes);
  return parts.map((part, i) => (ctx.needs[i] ? part : undefined));
};

const split: GradRule = (ctx) => {
  if (!ctx.needs[0]) return ctx.inputs.map(() => undefined);
  const rank = ctx.shape(data(ctx)).length;
  const axis = normAxis(ctx.attrInt('axis', 0), rank);
  const elem = ctx.elemType(data(ctx));
  const parts = ctx.outputs.map((name, i) => ctx.gradOut[i] ?? ctx.b.zeros(ctx.shape(name), elem));
  return [ctx.b.op('Concat', parts, [attr.int('axis', axis)]), ...ctx.inputs.slice(1).map(() => undefined)];
};

/** The positions along one axis that a Slice took, in output order. */
function slicedPositions(start: number, end: number, step: number, size: number): number[] {
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  let s = start < 0 ? start + size : start;
  let e = end < 0 ? end + size : end;
  if (step > 0) {
    s = clamp(s, 0, size);
    e = clamp(e, 0, size);
  } else {
    s = clamp(s, 0, size - 1);
    e = clamp(e, -1, size - 1);
  }
  const positions: number[] = [];
  for (let i = s; step > 0 ? i < e : i > e; i += step) positions.push(i);
  return positions;
}

const slice: GradRule = (ctx) => {
  const none = ctx.inputs.slice(1).map(() => undefined);
  if (!ctx.needs[0]) return [undefined, ...none];
  const { b } = ctx;
  const shape = ctx.shape(data(ctx));
  const rank = shape.length;
  const starts = ctx.ints(ctx.inputs[1] as string);
  const ends = ctx.ints(ctx.inputs[2] as string);
  const axes = ctx.inputs[3] ? ctx.ints(ctx.inputs[3]) : range(starts.length);
  const steps = ctx.inputs[4] ? ctx.ints(ctx.inputs[4]) : starts.map(() => 1);
  let grad = gradOf(ctx);
  const current = [...ctx.shape(ctx.outputs[0] as string)];
  // Put the gradient back one sliced axis at a time: scatter along that axis into zeros of full size.
  axes.forEach((rawAxis, i) => {
    const axis = normAxis(rawAxis, rank);
    const size = shape[axis] as number;
    const positions = slicedPositions(starts[i] as number, ends[i] as number, steps[i] as number, size);
    if (positions.length === size && positions.every((p, j) => p === j)) return;
    const indexShape = current.map((d, j) => (j === axis ? d : 1));
    const indices = b.op('Expand', [b.int64(positions, indexShape), b.int64(current)]);
    const full = current.map((d, j) => (j === axis ? size : d));
    grad = b.op(
      'ScatterElements',
      [b.zeros(full, ctx.elemType(data(ctx))), indices, grad],
      [attr.int('axis', axis)],
    );
    current[axis] = size;
  });
  return [grad, ...none];
};

const gather: GradRule = (ctx) => {
  if (!ctx.needs[0]) return [undefined, undefined];
  const { b } = ctx;
  const g = gradOf(ctx);
  const [x, indices] = [data(ctx), ctx.inputs[1] as string];
  const shape = ctx.shape(x);
  const rank = shape.length;
  const axis = normAxis(ctx.attrInt('axis', 0), rank);
  const q = ctx.shape(indices).length;
  const size = shape[axis] as number;
  // Negative indices count from the end.
  const wrapped = b.op('Mod', [
    b.add(b.op('Cast', [indices], [attr.int('to', 7)]), b.int64([size], [])),
    b.int64([size], []),
  ]);
  // gradient [before…, indices…, after…] → [indices…, before…, after…], scattered into [size, before…, after…]
  const moved = b.transpose(g, [...range(axis + q, axis), ...range(axis), ...range(rank - 1 + q, axis + q)]);
  const target = [size, ...shape.slice(0, axis), ...shape.slice(axis + 1)];
  const scattered = b.op(
    'ScatterND',
    [b.zeros(target, ctx.elemType(x)), b.unsqueeze(wrapped, [q]), moved],
    [attr.string('reduction', 'add')],
  );
  return [b.transpose(scattered, [...range(axis + 1, 1), 0, ...range(rank, axis + 1)]), undefined];
};

/**
 * GatherElements picks one value per output position along an axis (a language model's loss picks the
 * log-probability of each target token this way): the gradient goes back to the picked positions by
 * ScatterElements with addition, since two outputs may pick the same value.
 */
const gatherElements: GradRule = (ctx) => {
  if (!ctx.needs[0]) return [undefined, undefined];
  const { b } = ctx;
  const [x, indices] = [data(ctx), ctx.inputs[1] as string];
  const shape = ctx.shape(x);
  const axis = normAxis(ctx.attrInt('axis', 0), shape.length);
  const size = shape[axis] as number;
  const wrapped = b.op('Mod', [
    b.add(b.op('Cast', [indices], [attr.int('to', 7)]), b.int64([size], [])),
    b.int64([size], []),
  ]);
  const scattered = b.op(
    'ScatterElements',
    [b.zeros(shape, ctx.elemType(x)), wrapped, gradOf(ctx)],
    [attr.int('axis', axis), attr.string('reduction', 'add')],
  );
  return [scattered, undefined];
};

const expand: GradRule = (ctx) => {
  if (!ctx.needs[0]) return [undefined, undefined];
  return [ctx.b.reduceTo(gradOf(ctx), ctx.shape(ctx.outputs[0] as string), ctx.shape(data(ctx))), undefined];
};

export const shapeRules = {
  Reshape: reshapeBack,
  Flatten: reshapeBack,
  Squeeze: reshapeBack,
  Unsqueeze: reshapeBack,
  Transpose: transpose,
  Concat: concat,
  Split: split,
  Slice: slice,
  Gather: gather,
  GatherElements: gatherElements,
  Expand: expand,
} satisfies Record<string, GradRule>;
