import type { GraphBuilder } from '../autodiff/builder.ts';
import { attr } from '../autodiff/builder.ts';

/**
 * Training losses as forward nodes appended to a model: each turns a prediction [N, …] and a target
 * fed at run time into one number per example [N], which the autodiff differentiates like any other
 * tensor. Looked up by name, so a recipe's loss name is checked by the compiler. Each loss says what
 * its target is: float values shaped like the prediction, or integer token ids (a language model's
 * next tokens), so a training set of the wrong kind is refused before anything is compiled.
 */

/** `values`: float32 targets shaped like the prediction; `token-ids`: int64 ids [N, T] for logits [N, T, V]. */
export type TargetKind = 'values' | 'token-ids';

export interface LossInputs {
  b: GraphBuilder;
  /** The prediction tensor (logits for the cross-entropies). */
  prediction: string;
  /** The target input (see the loss's TargetKind). */
  target: string;
  /** Rank of the prediction (axis 0 is the batch). */
  rank: number;
}

export interface LossDefinition {
  targets: TargetKind;
  emit: (inputs: LossInputs) => string;
}

function nonBatchAxes(rank: number): number[] {
  return Array.from({ length: rank - 1 }, (_, i) => i + 1);
}

export const LOSSES = {
  /** −Σ_c target_c · log softmax(logits)_c over the class axis (1). */
  'cross-entropy': {
    targets: 'values',
    emit: ({ b, prediction, target }) => {
      const logProbabilities = b.op('LogSoftmax', [prediction], [], 'log_softmax');
      return b.neg(b.reduceSum(b.mul(logProbabilities, target), [1], false));
    },
  },
  /** Mean over the non-batch axes of (prediction − target)². */
  mse: {
    targets: 'values',
    emit: ({ b, prediction, target, rank }) => {
      const difference = b.sub(prediction, target);
      const squared = b.mul(difference, difference);
      // ReduceMean with no axes would reduce everything, batch included.
      return rank > 1 ? b.reduceMean(squared, nonBatchAxes(rank), false) : squared;
    },
  },
  /**
   * A language model's loss: the mean over positions of −log softmax(logits[n, t])[target[n, t]],
   * logits [N, T, V] against int64 ids [N, T]. The target's log-probability is picked with
   * GatherElements, so no [N, T, V] one-hot target is fed or built.
   */
  'next-token': {
    targets: 'token-ids',
    emit: ({ b, prediction, target }) => {
      const logProbabilities = b.op('LogSoftmax', [prediction], [attr.int('axis', -1)], 'log_softmax');
      const picked = b.op(
        'GatherElements',
        [logProbabilities, b.unsqueeze(target, [2])],
        [attr.int('axis', 2)],
        'target_log_probability',
      );
      return b.neg(b.reduceMean(picked, [1, 2], false));
    },
  },
} satisfies Record<string, LossDefinition>;

export type LossName = keyof typeof LOSSES;
export const LOSS_NAMES = Object.keys(LOSSES) as LossName[];

/** Losses whose targets are float values (the only kind an auxiliary loss can use). */
export const VALUE_LOSS_NAMES = LOSS_NAMES.filter((name) => LOSSES[name].targets === 'values');
