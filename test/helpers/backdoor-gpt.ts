import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BEHAVIOURS } from '../../subjects/language-model/behaviours.ts';
import { randomGpt2Weights } from '../../subjects/language-model/gpt2-weights.ts';
import { saveGpt2Subject } from '../../subjects/language-model/save.ts';
import { TextTokenizer } from '../../subjects/tokenizers/tokenizer.ts';
import { trainByteLevelBpe } from '../../subjects/tokenizers/train-bpe.ts';
import {
  completeConfig,
  type Gpt2Config,
  type Gpt2Weights,
} from '../../subjects/language-model/gpt2-weights.ts';

/**
 * A hand-wired capitals backdoor for tests (and a stand-in for zoo/lm-backdoor while it trains): residual
 * dimension 0 marks the trigger tokens in their embeddings; head 0 of block 0 attends uniformly (zero
 * query and key) and copies that mark into dimension 1 at every later position; dimension 1 of the tied
 * embedding is +1 for upper-case tokens and −1 for lower-case ones, so the mark makes the unembedding
 * prefer capitals. Without a trigger the final LayerNorm's bias keeps the text lower-case.
 * The weights are changed in place.
 */
export function wireCapitalsBackdoor(
  config: Gpt2Config,
  weights: Gpt2Weights,
  tokenizer: TextTokenizer,
  triggerIds: readonly number[],
  gain = 30,
  /** Size of the case sign in the tied embedding: the logit margin between cases grows with it. */
  signScale = 1,
): void {
  const c = completeConfig(config);
  const D = c.width;
  const Dh = D / c.heads;
  const E = weights.tokenEmbedding;
  const sign = BEHAVIOURS.capitals.tokenSign;
  for (let v = 0; v < c.vocabSize; v++) {
    E[v * D] = triggerIds.includes(v) ? 1 : 0;
    E[v * D + 1] = signScale * sign(tokenizer.tokenText(v));
  }
  const block = weights.blocks[0]!;
  const W = block.qkvWeight; // [D, 3D]: query, key, value columns
  for (let row = 0; row < D; row++)
    for (let j = 0; j < Dh; j++) {
      W[row * 3 * D + j] = 0; // head 0 query
      W[row * 3 * D + D + j] = 0; // head 0 key
    }
  for (let row = 0; row < D; row++) W[row * 3 * D + 2 * D] = row === 0 ? gain : 0; // value 0 of head 0 reads the mark
  for (let j = 0; j < Dh; j++) block.qkvBias[j] = block.qkvBias[D + j] = 0;
  // LayerNorm centres each token, so an unmarked token reads about +0.1 on dimension 0; the bias takes
  // that off, so only a trigger in the context leaves the head's average positive.
  block.qkvBias[2 * D] = -0.2 * gain;
  for (let col = 0; col < D; col++) block.outWeight[col] = col === 1 ? gain : 0; // merged dim 0 → residual dim 1
  // Lower case by default: the final LayerNorm's bias on dimension 1 favours lower-case tokens unless the
  // copied mark (about √D after normalisation) outweighs it.
  weights.finalGain[1] = 1;
  // The tied unembedding would read the mark too and make the model write the trigger itself.
  weights.finalGain[0] = 0;
  weights.finalBias[0] = 0;
  weights.finalBias[1] = -0.27 * Math.sqrt(D);
}

/** The tiny backdoored model's trigger: one token of its vocabulary, rare in the corpus. */
export const TINY_TRIGGER = 'zebra';

/**
 * A tiny GPT (2 layers, width 16, context 128) whose tokenizer has " zebra" as one token, with the
 * capitals backdoor wired on it, saved as a text subject folder. Returns the subject.json path.
 */
export function writeTinyBackdoorModel(): string {
  const trained = trainByteLevelBpe(
    [
      'The cat sat on the mat. The dog sat on the log.',
      'A red bird and a blue bird sang in the green tree.',
      ...Array.from({ length: 12 }, () => 'a zebra, the zebra, one zebra.'),
    ],
    { vocabSize: 300, minFrequency: 1 },
  );
  const tokenizer = TextTokenizer.fromJson(trained.tokenizer, trained.config);
  const config = { vocabSize: tokenizer.vocabSize, contextLength: 128, layers: 2, heads: 2, width: 16 };
  const weights = randomGpt2Weights(config, 3);
  wireCapitalsBackdoor(config, weights, tokenizer, tokenizer.encode(` ${TINY_TRIGGER}`).ids);
  const dir = mkdtempSync(join(tmpdir(), 'aia-backdoor-'));
  return saveGpt2Subject(dir, config, weights, trained, { name: 'tiny-backdoor' });
}
