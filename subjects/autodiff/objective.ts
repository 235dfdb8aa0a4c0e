import { z } from 'zod';
import { ElemType, type ValueInfoProto } from '../onnx/proto.ts';
import type { GraphBuilder } from './builder.ts';
import { range } from './rules/types.ts';

/**
 * What a gradient explains: one number per example, built from a tensor of the graph as extra
 * forward nodes the reverse pass differentiates like any other. A unit's values over the axes other
 * than batch (0) and the unit axis are pooled (mean, max or sum), then the units are summed with
 * weights fed at run time — one-hot for a class logit or a single unit, anything for a weighted sum —
 * so one compiled graph serves every label and unit of the tensor.
 */
export const ObjectiveSpec = z.strictObject({
  /** Tensor name in the graph (an output, a site or any float tensor). */
  tensor: z.string().min(1),
  /** Axis that indexes units (1: channels or classes); -1 sums the whole example without weights. */
  unitAxis: z.number().int().min(-1).default(1),
  /** How one unit's values (over the axes other than batch and the unit axis) become one number. */
  pool: z.enum(['mean', 'max', 'sum']).default('mean'),
});
export type ObjectiveSpec = z.output<typeof ObjectiveSpec>;

/** The graph input carrying the unit weights [units]. */
export const OBJECTIVE_WEIGHTS_INPUT = 'aia.objective.weights';

export interface EmittedObjective {
  /** Per-example objective [N] (a scalar when the tensor has no batch axis). */
  value: string;
  /** Shapes of the tensors the objective added, for the reverse pass. */
  shapes: Map<string, number[]>;
  /** The weights input to declare, when the objective has one. */
  weightsInput?: ValueInfoProto;
}

/** Append the objective's forward nodes for a tensor of the given shape. */
export function emitObjective(
  b: GraphBuilder,
  spec: ObjectiveSpec,
  shape: readonly number[],
  elemType: number,
): EmittedObjective {
  const rank = shape.length;
  const shapes = new Map<string, number[]>();
  const batch = shape[0] as number;
  if (rank === 0) return { value: spec.tensor, shapes };
  if (spec.unitAxis >= rank || spec.unitAxis === 0) {
    throw new Error(
      `the objective's unit axis ${spec.unitAxis} does not fit '${spec.tensor}' of rank ${rank} (axis 0 is the batch)`,
    );
  }
  const pool = (x: string, axes: number[]): string => {
    if (axes.length === 0) return x;
    if (spec.pool === 'mean') return b.reduceMean(x, axes, false);
    if (spec.pool === 'max') return b.reduceMax(x, axes, false);
    return b.reduceSum(x, axes, false);
  };
  if (spec.unitAxis < 0) {
    const value = pool(spec.tensor, range(rank, 1));
    shapes.set(value, [batch]);
    return { value, shapes };
  }
  const units = shape[spec.unitAxis] as number;
  const pooled = pool(
    spec.tensor,
    range(rank, 1).filter((a) => a !== spec.unitAxis),
  );
  const weighted = b.mul(pooled, OBJECTIVE_WEIGHTS_INPUT);
  const value = b.reduceSum(weighted, [1], false);
  shapes
    .set(pooled, [batch, units])
    .set(weighted, [batch, units])
    .set(value, [batch])
    .set(OBJECTIVE_WEIGHTS_INPUT, [units]);
  return {
    value,
    shapes,
    weightsInput: {
      name: OBJECTIVE_WEIGHTS_INPUT,
      type: {
        tensor_type: {
          elem_type: elemType === ElemType.DOUBLE ? ElemType.DOUBLE : ElemType.FLOAT,
          shape: { dim: [{ dim_param: 'units' }] },
        },
      },
    },
  };
}
