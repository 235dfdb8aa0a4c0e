import type { NodeProto } from '../../onnx/proto.ts';
import type { GraphBuilder } from '../builder.ts';

/**
 * What a gradient rule sees of one forward node: its tensors, the gradients reaching its outputs and
 * static facts about every tensor (shapes and integer values measured by a probe run at the input
 * shapes the compiled graph serves, so shapes are exact constants in the emitted graph).
 */
export interface GradContext {
  readonly b: GraphBuilder;
  readonly node: NodeProto;
  /** The node's input names ('' for an omitted optional input). */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Gradient of each output; undefined where no gradient reaches that output. */
  readonly gradOut: readonly (string | undefined)[];
  /** Whether input i needs a gradient (it is float and depends on a tensor differentiated against). */
  readonly needs: readonly boolean[];
  /**
   * Whether input i only needs its gradient summed over the batch (axis 0 kept): a rule may sum
   * first and differentiate one example's worth (a linear op's gradient commutes with the sum).
   * Rules that ignore it return the per-example gradient, which the reverse pass then sums.
   */
  sumsBatch(i: number): boolean;
  /** Static shape of a tensor. */
  shape(name: string): number[];
  /** ONNX element type of a tensor. */
  elemType(name: string): number;
  /** The integer values of a tensor (shapes, axes, indices fixed at these input shapes). */
  ints(name: string): number[];
  attrInt(name: string, fallback: number): number;
  attrInts(name: string): number[] | undefined;
  attrFloat(name: string, fallback: number): number;
  attrString(name: string, fallback: string): string;
  /** An error naming the node, for attributes or cases a rule does not handle. */
  unsupported(why: string): Error;
}

/** A rule returns one gradient per input (undefined where the input needs none). */
export type GradRule = (ctx: GradContext) => (string | undefined)[];

/** The gradient of the first output, which the reverse pass guarantees for single-output ops. */
export function gradOf(ctx: GradContext): string {
  const g = ctx.gradOut[0];
  if (g === undefined) throw ctx.unsupported('no gradient reaches its output');
  return g;
}

/** Normalise a possibly negative axis. */
export function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

export function range(n: number, from = 0): number[] {
  return Array.from({ length: n - from }, (_, i) => i + from);
}
