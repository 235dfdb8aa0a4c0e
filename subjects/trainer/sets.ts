import ort from 'onnxruntime-node';
import { InputError } from '../../util/errors.ts';
import type { TargetKind } from './losses.ts';

/**
 * What the trainer trains on, and the one place that knows how each kind of set becomes batches:
 * - `ValueSet`: float32 inputs and float32 targets (images and one-hot labels, regression values);
 * - `TokenSet`: token windows for a language model, int64 `input_ids` [batch, length] and the next
 *   token of each position as int64 targets [batch, length] — the same window shifted by one, so a
 *   window of length + 1 ids serves both and no [N, T, V] target is ever built.
 * The loop asks a `BatchSource` for feeds and scores, never which kind of set it has.
 */

/** Examples as flat float32 arrays: inputs [count, …inputShape], targets [count, …targetShape]. */
export interface ValueSet {
  kind?: 'values';
  inputs: Float32Array;
  inputShape: number[];
  targets: Float32Array;
  targetShape: number[];
  count: number;
  /** Targets of each auxiliary loss by its name: [count, …shape]. */
  auxiliaryTargets?: Record<string, { values: Float32Array; shape: number[] }>;
}

/** Token windows: `windows` holds count × (length + 1) ids; example k reads ids [k, 0 … length). */
export interface TokenSet {
  kind: 'tokens';
  windows: Int32Array;
  /** Positions per example (the model's sequence length in training). */
  length: number;
  count: number;
}

export type TrainingSet = ValueSet | TokenSet;

export interface BatchSource {
  count: number;
  targets: TargetKind;
  /** One example's input, batch of 1 (to measure tensor ranks). */
  example(): ort.Tensor;
  /** The examples order[from … from + batch) as the model's input and the loss's target. */
  input(order: Uint32Array, from: number, batch: number): ort.Tensor;
  target(order: Uint32Array, from: number, batch: number): ort.Tensor;
  /** Predictions whose arg-max matched the target's, and how many were scored (examples or tokens). */
  score(output: Float32Array, target: ort.Tensor): { correct: number; scored: number };
  auxiliary(name: string, order: Uint32Array, from: number, batch: number): ort.Tensor | undefined;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function gather(
  values: Float32Array,
  per: number,
  order: Uint32Array,
  from: number,
  batch: number,
): Float32Array {
  const out = new Float32Array(batch * per);
  for (let k = 0; k < batch; k++) {
    const i = order[from + k] as number;
    out.set(values.subarray(i * per, (i + 1) * per), k * per);
  }
  return out;
}

function argmax(values: ArrayLike<number>, offset: number, length: number): number {
  let best = 0;
  for (let c = 1; c < length; c++)
    if ((values[offset + c] as number) > (values[offset + best] as number)) best = c;
  return best;
}

function valueSource(set: ValueSet): BatchSource {
  const inputSize = size(set.inputShape);
  const targetSize = size(set.targetShape);
  if (set.inputs.length !== set.count * inputSize) {
    throw new InputError(
      `training inputs hold ${set.inputs.length} values, not ${set.count} × [${set.inputShape.join(', ')}]`,
    );
  }
  if (set.targets.length !== set.count * targetSize) {
    throw new InputError(
      `training targets hold ${set.targets.length} values, not ${set.count} × [${set.targetShape.join(', ')}]`,
    );
  }
  return {
    count: set.count,
    targets: 'values',
    example: () => new ort.Tensor('float32', set.inputs.slice(0, inputSize), [1, ...set.inputShape]),
    input: (order, from, batch) =>
      new ort.Tensor('float32', gather(set.inputs, inputSize, order, from, batch), [
        batch,
        ...set.inputShape,
      ]),
    target: (order, from, batch) =>
      new ort.Tensor('float32', gather(set.targets, targetSize, order, from, batch), [
        batch,
        ...set.targetShape,
      ]),
    score(output, target) {
      const targets = target.data as Float32Array;
      const batch = target.dims[0] as number;
      let correct = 0;
      for (let k = 0; k < batch; k++)
        if (argmax(output, k * targetSize, targetSize) === argmax(targets, k * targetSize, targetSize))
          correct++;
      return { correct, scored: batch };
    },
    auxiliary(name, order, from, batch) {
      const targets = set.auxiliaryTargets?.[name];
      if (!targets) return undefined;
      return new ort.Tensor('float32', gather(targets.values, size(targets.shape), order, from, batch), [
        batch,
        ...targets.shape,
      ]);
    },
  };
}

function tokenSource(set: TokenSet): BatchSource {
  const { length } = set;
  const stride = length + 1;
  if (!Number.isInteger(length) || length < 1)
    throw new InputError(`token windows need a length of at least 1, got ${length}`);
  if (set.windows.length !== set.count * stride) {
    throw new InputError(
      `token windows hold ${set.windows.length} ids, not ${set.count} × (length ${length} + 1)`,
    );
  }
  // offset 0: the input ids; offset 1: the same window shifted, each position's next token.
  const ids = (order: Uint32Array, from: number, batch: number, offset: number) => {
    const out = new BigInt64Array(batch * length);
    for (let k = 0; k < batch; k++) {
      const start = (order[from + k] as number) * stride + offset;
      for (let t = 0; t < length; t++) out[k * length + t] = BigInt(set.windows[start + t] as number);
    }
    return new ort.Tensor('int64', out, [batch, length]);
  };
  return {
    count: set.count,
    targets: 'token-ids',
    example: () => ids(Uint32Array.of(0), 0, 1, 0),
    input: (order, from, batch) => ids(order, from, batch, 0),
    target: (order, from, batch) => ids(order, from, batch, 1),
    score(output, target) {
      const targets = target.data as BigInt64Array;
      const vocab = output.length / targets.length;
      let correct = 0;
      for (let i = 0; i < targets.length; i++)
        if (BigInt(argmax(output, i * vocab, vocab)) === targets[i]) correct++;
      return { correct, scored: targets.length };
    },
    auxiliary: () => undefined,
  };
}

export function batchSource(set: TrainingSet): BatchSource {
  return set.kind === 'tokens' ? tokenSource(set) : valueSource(set);
}
