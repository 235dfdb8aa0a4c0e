import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SubjectManifestInput } from '../manifest.ts';
import { encodeModel } from '../onnx/proto.ts';
import type { TrainedTokenizer } from '../tokenizers/train-bpe.ts';
import { buildGpt2Model, type ExporterStyle } from './build-gpt2.ts';
import type { Gpt2Config, Gpt2Weights } from './gpt2-weights.ts';

export interface SaveGpt2Options {
  /** Subject name in subject.json (default: the folder's). */
  name?: string;
  description?: string;
  style?: ExporterStyle;
  attentionMask?: boolean;
}

/**
 * Write a GPT-2 subject folder that `loadLanguageModel(dir/subject.json)` loads: model.onnx from the
 * weights, tokenizer.json and tokenizer_config.json, and a text subject.json. Returns the manifest path.
 */
export function saveGpt2Subject(
  dir: string,
  config: Gpt2Config,
  weights: Gpt2Weights,
  tokenizer: TrainedTokenizer,
  options: SaveGpt2Options = {},
): string {
  mkdirSync(dir, { recursive: true });
  const model = buildGpt2Model(config, weights, {
    style: options.style ?? 'torchscript',
    attentionMask: options.attentionMask,
  });
  writeFileSync(join(dir, 'model.onnx'), encodeModel(model));
  writeFileSync(join(dir, 'tokenizer.json'), `${JSON.stringify(tokenizer.tokenizer)}\n`);
  writeFileSync(join(dir, 'tokenizer_config.json'), `${JSON.stringify(tokenizer.config, null, 2)}\n`);
  const manifest: SubjectManifestInput = {
    ...(options.name ? { name: options.name } : {}),
    ...(options.description ? { description: options.description } : {}),
    modality: 'text',
    task: 'next-token prediction',
    model: 'model.onnx',
    text: { tokenizer: 'tokenizer.json', contextLength: config.contextLength },
  };
  const path = join(dir, 'subject.json');
  writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
  return path;
}
