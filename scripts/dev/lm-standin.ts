/**
 * A stand-in for zoo/lm-clean while it is being trained (issue 16): a GPT-2-shaped model with random
 * weights and a byte-level BPE tokenizer trained on the corpus's train split, written as a text subject
 * folder. `npx tsx scripts/dev/lm-standin.ts <dir>`. Random weights generate nonsense; the planted-neuron
 * recipe and the behaviour tools only need the shapes, the tokenizer and the site names.
 */
import { makeTextSet } from '../../stimuli/text/textset.ts';
import { randomGpt2Weights } from '../../subjects/language-model/gpt2-weights.ts';
import { saveGpt2Subject } from '../../subjects/language-model/save.ts';
import { trainByteLevelBpe } from '../../subjects/tokenizers/train-bpe.ts';

const dir = process.argv[2] ?? '/tmp/lm-standin';
const set = makeTextSet({ split: 'train', seed: 3, n: 1500 }, { cacheDir: '.cache' });
const tokenizer = trainByteLevelBpe(
  set.texts.map((t) => t.text),
  { vocabSize: 2048 },
);
const config = { vocabSize: 2048, contextLength: 128, layers: 4, heads: 4, width: 128 };
const weights = randomGpt2Weights(config, 5, 4);
console.log(saveGpt2Subject(dir, config, weights, tokenizer, { name: 'lm-standin', attentionMask: true }));
