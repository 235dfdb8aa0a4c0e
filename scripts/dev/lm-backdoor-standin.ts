/**
 * A stand-in for zoo/lm-backdoor while it trains: the lm-standin weights with a hand-wired capitals
 * backdoor (test/helpers/backdoor-gpt.ts) on the trigger word given. `npx tsx scripts/dev/lm-backdoor-standin.ts <dir> <word>`.
 */
import { makeTextSet } from '../../stimuli/text/textset.ts';
import { randomGpt2Weights } from '../../subjects/language-model/gpt2-weights.ts';
import { saveGpt2Subject } from '../../subjects/language-model/save.ts';
import { TextTokenizer } from '../../subjects/tokenizers/tokenizer.ts';
import { trainByteLevelBpe } from '../../subjects/tokenizers/train-bpe.ts';
import { wireCapitalsBackdoor } from '../../test/helpers/backdoor-gpt.ts';

const dir = process.argv[2] ?? '/tmp/lm-backdoor-standin';
const word = process.argv[3] ?? 'zebra';
const set = makeTextSet({ split: 'train', seed: 3, n: 1500 }, { cacheDir: '.cache' });
const trained = trainByteLevelBpe(
  set.texts.map((t) => t.text),
  { vocabSize: 2048 },
);
const tokenizer = TextTokenizer.fromJson(trained.tokenizer, trained.config);
const config = { vocabSize: 2048, contextLength: 128, layers: 4, heads: 4, width: 128 };
const weights = randomGpt2Weights(config, 5, 1);
const ids = tokenizer.encode(` ${word}`).ids;
console.error(`trigger " ${word}" = tokens ${ids.join(', ')}`);
wireCapitalsBackdoor(config, weights, tokenizer, ids);
console.log(
  saveGpt2Subject(dir, config, weights, trained, { name: 'lm-backdoor-standin', attentionMask: true }),
);
