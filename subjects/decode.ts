import type { Tensor } from 'onnxruntime-node';
import { InputError } from '../util/errors.ts';

/** Reading model outputs: class scores for classifiers, greedy CTC decoding for text recognisers. */

export interface ClassScore {
  index: number;
  label: string;
  probability: number;
}

export function softmax(values: ArrayLike<number>): number[] {
  const list = Array.from(values);
  const max = Math.max(...list);
  const exps = list.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/**
 * Class scores of each batch item from an [N, classes] output, best first. `kind` says whether
 * the tensor holds probabilities already or logits (which get a softmax).
 */
export function classify(
  output: Tensor,
  labels: readonly string[],
  kind: 'probabilities' | 'logits' = 'probabilities',
): ClassScore[][] {
  const [batch, classes] = matrixDims(output);
  if (classes !== labels.length) {
    throw new InputError(`output has ${classes} classes but the subject has ${labels.length} labels`);
  }
  const data = output.data as Float32Array;
  const result: ClassScore[][] = [];
  for (let n = 0; n < batch; n++) {
    const row = data.subarray(n * classes, (n + 1) * classes);
    const probabilities = kind === 'logits' ? softmax(row) : Array.from(row);
    result.push(
      probabilities
        .map((probability, index) => ({ index, label: labels[index] ?? String(index), probability }))
        .sort((a, b) => b.probability - a.probability),
    );
  }
  return result;
}

export interface CtcText {
  text: string;
  /** Mean probability of the kept characters (0 when nothing was read). */
  confidence: number;
}

/**
 * Greedy CTC decoding of [N, T, classes] probabilities as PaddleOCR's CTCLabelDecode does it: the
 * best class per timestep, repeats merged, the blank (class `blank`, 0 by default) dropped.
 */
export function ctcGreedyDecode(output: Tensor, labels: readonly string[], blank = 0): CtcText[] {
  if (output.dims.length !== 3) {
    throw new InputError(`CTC output must be [batch, time, classes], got [${output.dims.join(', ')}]`);
  }
  const [batch, steps, classes] = output.dims as [number, number, number];
  if (classes !== labels.length) {
    throw new InputError(`output has ${classes} classes but the subject has ${labels.length} labels`);
  }
  const data = output.data as Float32Array;
  const result: CtcText[] = [];
  for (let n = 0; n < batch; n++) {
    let text = '';
    const confidences: number[] = [];
    let previous = -1;
    for (let t = 0; t < steps; t++) {
      const offset = (n * steps + t) * classes;
      let best = 0;
      let bestValue = -Infinity;
      for (let c = 0; c < classes; c++) {
        const v = data[offset + c] ?? -Infinity;
        if (v > bestValue) {
          bestValue = v;
          best = c;
        }
      }
      if (best !== blank && best !== previous) {
        text += labels[best] ?? '';
        confidences.push(bestValue);
      }
      previous = best;
    }
    const confidence = confidences.length ? confidences.reduce((a, b) => a + b, 0) / confidences.length : 0;
    result.push({ text, confidence });
  }
  return result;
}

function matrixDims(output: Tensor): [number, number] {
  const dims = output.dims;
  if (dims.length !== 2)
    throw new InputError(`class output must be [batch, classes], got [${dims.join(', ')}]`);
  return [dims[0] ?? 0, dims[1] ?? 0];
}
