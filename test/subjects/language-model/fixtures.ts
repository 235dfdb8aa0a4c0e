import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGpt2Model, type ExporterStyle } from '../../../subjects/language-model/build-gpt2.ts';
import {
  randomGpt2Weights,
  type Gpt2Config,
  type Gpt2Weights,
} from '../../../subjects/language-model/gpt2-weights.ts';
import { encodeModel } from '../../../subjects/onnx/proto.ts';
import { trainByteLevelBpe, type TrainedTokenizer } from '../../../subjects/tokenizers/train-bpe.ts';

/** A tokenizer trained on a few sentences: enough merges for words to be one or two tokens. */
const SENTENCES = [
  'The cat sat on the mat. The dog sat on the log.',
  'A red bird and a blue bird sang in the green tree.',
  'Alice met Bob in Paris; they counted one, two, three cats.',
  '"Quoted words" (in brackets) and more words, the end.',
];
let tokenizer: TrainedTokenizer | undefined;
export function tinyTokenizer(): TrainedTokenizer {
  tokenizer ??= trainByteLevelBpe(SENTENCES, { vocabSize: 320, minFrequency: 1 });
  return tokenizer;
}

export const TINY_CONFIG: Gpt2Config = { vocabSize: 320, contextLength: 24, layers: 2, heads: 2, width: 16 };

export interface TinyModel {
  dir: string;
  modelPath: string;
  config: Gpt2Config;
  weights: Gpt2Weights;
}

/**
 * A GPT-2-shaped model with random weights (scaled up so activations and attention are far from
 * uniform) and its tokenizer, written to a fresh folder as model.onnx + tokenizer.json.
 */
export function writeTinyModel(
  options: { style?: ExporterStyle; attentionMask?: boolean; seed?: number; config?: Gpt2Config } = {},
): TinyModel {
  const config = options.config ?? TINY_CONFIG;
  const weights = randomGpt2Weights(config, options.seed ?? 7, 25);
  const dir = mkdtempSync(join(tmpdir(), 'aia-lm-'));
  const modelPath = join(dir, 'model.onnx');
  const model = buildGpt2Model(config, weights, {
    style: options.style ?? 'torchscript',
    attentionMask: options.attentionMask,
  });
  writeFileSync(modelPath, encodeModel(model));
  const trained = tinyTokenizer();
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(trained.tokenizer));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(trained.config));
  return { dir, modelPath, config, weights };
}
