import type { GraphBuilder } from '../autodiff/builder.ts';

/**
 * Training losses as forward nodes appended to a model: each turns a prediction [N, …] and a target
 * fed at run time (same shape) into one number per example [N], which the autodiff differentiates
 * like any other tensor. Looked up by name, so a recipe's loss name is checked by the compiler.
 */

export interface LossInputs {
  b: GraphBuilder;
  /** The prediction tensor (logits for cross-entropy). */
  prediction: string;
  /** The target input: one-hot (or soft) class probabilities for cross-entropy, values for MSE. */
  target: string;
  /** Rank of the prediction (axis 0 is the batch). */
  rank: number;
}

export type LossEmitter = (inputs: LossInputs) => string;

function nonBatchAxes(rank: number): number[] {
  return Array.from({ length: rank - 1 }, (_, i) => i + 1);
}

export const LOSSES = {
  /** −Σ_c target_c · log softmax(logits)_c over the class axis (1). */
  'cross-entropy': ({ b, prediction, target }) => {
    const logProbabilities = b.op('LogSoftmax', [prediction], [], 'log_softmax');
    return b.neg(b.reduceSum(b.mul(logProbabilities, target), [1], false));
  },
  /** Mean over the non-batch axes of (prediction − target)². */
  mse: ({ b, prediction, target, rank }) => {
    const difference = b.sub(prediction, target);
    const squared = b.mul(difference, difference);
    // ReduceMean with no axes would reduce everything, batch included.
    return rank > 1 ? b.reduceMean(squared, nonBatchAxes(rank), false) : squared;
  },
} satisfies Record<string, LossEmitter>;

export type LossName = keyof typeof LOSSES;
export const LOSS_NAMES = Object.keys(LOSSES) as LossName[];
