import type { Tensor } from 'onnxruntime-node';
import { classify, ctcGreedyDecode, type ClassScore } from './decode.ts';
import type { Subject, TensorMap } from './subject.ts';

/**
 * What a subject's answer is, in the terms its manifest gives: class scores for a classifier, text
 * for a CTC recogniser, summary statistics otherwise. Used to report how an edit changed the output.
 */
export type OutputReading =
  | { kind: 'classes'; output: string; scores: ClassScore[] }
  | { kind: 'text'; output: string; text: string; confidence: number }
  | { kind: 'tensor'; output: string; shape: number[]; mean: number; max: number; min: number };

/** Read batch item `item` of the subject's main output (the manifest's, else the first). */
export function readOutput(subject: Subject, outputs: TensorMap, item = 0): OutputReading {
  const name = subject.manifest.output?.name ?? subject.outputNames[0] ?? '';
  const tensor = outputs[name] as Tensor;
  const kind = subject.manifest.output?.kind ?? 'other';
  const labels = subject.labels;
  if (labels && (kind === 'probabilities' || kind === 'logits') && tensor.dims.length === 2) {
    return { kind: 'classes', output: name, scores: classify(tensor, labels, kind)[item] ?? [] };
  }
  if (labels && kind === 'ctc-probabilities' && tensor.dims.length === 3) {
    const decoded = ctcGreedyDecode(tensor, labels)[item] ?? { text: '', confidence: 0 };
    return { kind: 'text', output: name, ...decoded };
  }
  const data = tensor.data as Float32Array;
  const perItem = tensor.dims.slice(1).reduce((a, b) => a * b, 1);
  const values = data.subarray(item * perItem, (item + 1) * perItem);
  let sum = 0;
  let max = -Infinity;
  let min = Infinity;
  for (const v of values) {
    sum += v;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  return {
    kind: 'tensor',
    output: name,
    shape: [...tensor.dims.slice(1)],
    mean: sum / values.length,
    max,
    min,
  };
}

/** Mean and largest absolute difference between the same output of two runs (batch item `item`). */
export function outputDifference(
  before: Tensor,
  after: Tensor,
  item = 0,
): { meanAbs: number; maxAbs: number } {
  const perItem = before.dims.slice(1).reduce((a, b) => a * b, 1);
  const a = (before.data as Float32Array).subarray(item * perItem, (item + 1) * perItem);
  const b = (after.data as Float32Array).subarray(item * perItem, (item + 1) * perItem);
  let sum = 0;
  let maxAbs = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] ?? 0) - (b[i] ?? 0));
    sum += d;
    if (d > maxAbs) maxAbs = d;
  }
  return { meanAbs: sum / Math.max(1, a.length), maxAbs };
}
