import { InputError } from '../../util/errors.ts';

/**
 * The baselines a language model's held-out loss is read against: a unigram model and an add-k
 * smoothed bigram model, fit on training ids and scored (mean −ln p per predicted token, nats) on
 * the same next-token targets the model is scored on. Add-k: p(b | a) = (c(a, b) + k) / (c(a) + kV).
 */

export interface NgramLosses {
  unigram: number;
  bigram: number;
  /** Tokens scored. */
  tokens: number;
}

/**
 * `train`: training ids (one stream); `heldOut`: windows of length + 1 (the layout of
 * tokenWindows), each position t < length predicting id t + 1 from id t.
 */
export function ngramLosses(
  train: ArrayLike<number>,
  heldOut: { windows: Int32Array; length: number; count: number },
  vocabSize: number,
  k = 0.1,
): NgramLosses {
  if (!(k > 0)) throw new InputError(`add-k smoothing needs k > 0, got ${k}`);
  const unigram = new Float64Array(vocabSize);
  const bigram = new Map<number, number>();
  const context = new Float64Array(vocabSize);
  for (let i = 0; i < train.length; i++) {
    const b = train[i] as number;
    if (b < 0 || b >= vocabSize)
      throw new InputError(`token id ${b} is outside the vocabulary of ${vocabSize}`);
    unigram[b] = (unigram[b] as number) + 1;
    if (i > 0) {
      const a = train[i - 1] as number;
      context[a] = (context[a] as number) + 1;
      const key = a * vocabSize + b;
      bigram.set(key, (bigram.get(key) ?? 0) + 1);
    }
  }
  // The unigram is add-k smoothed too, so a held-out token unseen in training has a finite loss.
  const total = train.length + k * vocabSize;
  let uni = 0;
  let bi = 0;
  let tokens = 0;
  const stride = heldOut.length + 1;
  for (let w = 0; w < heldOut.count; w++) {
    for (let t = 0; t < heldOut.length; t++) {
      const a = heldOut.windows[w * stride + t] as number;
      const b = heldOut.windows[w * stride + t + 1] as number;
      uni -= Math.log(((unigram[b] as number) + k) / total);
      bi -= Math.log(((bigram.get(a * vocabSize + b) ?? 0) + k) / ((context[a] as number) + k * vocabSize));
      tokens++;
    }
  }
  return { unigram: uni / tokens, bigram: bi / tokens, tokens };
}
