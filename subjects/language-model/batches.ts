import ort from 'onnxruntime-node';
import { InputError } from '../../util/errors.ts';

/**
 * Token sequences as the tensors a decoder takes. Sequences are right-padded: in a causal model a
 * token never attends to later positions, so padding after a text leaves every real token's
 * activations as they are alone; the attention mask (when the graph has one) marks the padding too.
 */

export interface TextInputNames {
  inputIds: string;
  /** Present when the graph takes an attention mask. */
  attentionMask?: string;
  /** Present when the graph takes explicit positions. */
  positionIds?: string;
}

export interface PaddedBatch {
  feeds: Record<string, ort.Tensor>;
  /** Real length of each sequence. */
  lengths: number[];
  /** Padded length (the longest sequence). */
  width: number;
}

export function padBatch(
  sequences: readonly (readonly number[])[],
  names: TextInputNames,
  padId: number,
): PaddedBatch {
  const lengths = sequences.map((s) => s.length);
  const width = Math.max(0, ...lengths);
  if (sequences.length === 0 || width === 0) throw new InputError('no tokens to run: every text is empty');
  const ids = new BigInt64Array(sequences.length * width).fill(BigInt(padId));
  const mask = new BigInt64Array(sequences.length * width);
  const positions = new BigInt64Array(sequences.length * width);
  sequences.forEach((sequence, b) => {
    sequence.forEach((id, t) => {
      ids[b * width + t] = BigInt(id);
      mask[b * width + t] = 1n;
    });
    for (let t = 0; t < width; t++) positions[b * width + t] = BigInt(t);
  });
  const dims = [sequences.length, width];
  const feeds: Record<string, ort.Tensor> = { [names.inputIds]: new ort.Tensor('int64', ids, dims) };
  if (names.attentionMask) feeds[names.attentionMask] = new ort.Tensor('int64', mask, dims);
  if (names.positionIds) feeds[names.positionIds] = new ort.Tensor('int64', positions, dims);
  return { feeds, lengths, width };
}

/** Consecutive windows of at most `length` tokens covering a token stream (for corpora longer than the context). */
export function windows(ids: readonly number[], length: number): number[][] {
  if (!Number.isInteger(length) || length < 1)
    throw new InputError(`window length must be a positive integer, got ${length}`);
  const out: number[][] = [];
  for (let start = 0; start < ids.length; start += length) out.push(ids.slice(start, start + length));
  return out;
}

/** Group items into batches of at most `maxTokens` padded tokens (and at least one item each), keeping order. */
export function batchByTokens<T extends { length: number }>(
  items: readonly T[],
  maxTokens: number,
): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let longest = 0;
  items.forEach((item, i) => {
    const wider = Math.max(longest, item.length);
    if (current.length > 0 && wider * (current.length + 1) > maxTokens) {
      batches.push(current);
      current = [];
      longest = 0;
    }
    current.push(i);
    longest = Math.max(longest, item.length);
  });
  if (current.length > 0) batches.push(current);
  return batches;
}
