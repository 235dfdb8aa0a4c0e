import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../../util/errors.ts';
import { resolveFileRef } from '../files.ts';
import { loadSubject, locateSubject, type LoadOptions } from '../load.ts';
import { TextSpec, type SubjectManifest } from '../manifest.ts';
import type { OnnxSubject } from '../onnx/onnx-subject.ts';
import { TextTokenizer } from '../tokenizers/tokenizer.ts';
import { LanguageModel } from './language-model.ts';
import { EXAMPLE_LENGTH } from './token-layout.ts';

export interface LoadLanguageModelOptions extends Omit<LoadOptions, 'exampleShapes'> {
  /** A tokenizer to use instead of the manifest's (or tokenizer.json beside the model). */
  tokenizer?: TextTokenizer | string;
}

/**
 * Load a GPT-2-style language model: an ONNX decoder taking input_ids (and optionally
 * attention_mask, position_ids) and giving logits [batch, sequence, vocab], plus its tokenizer.
 * `ref` is an .onnx path or a subject.json (modality text) naming the model; the tokenizer is the
 * manifest's `text.tokenizer`, else tokenizer.json beside the model. Exports with a key/value cache
 * (past_key_values inputs) are refused with the export that works instead.
 */
export async function loadLanguageModel(
  ref: string,
  options: LoadLanguageModelOptions = {},
): Promise<LanguageModel> {
  const located = locateSubject(ref, options.manifest);
  const manifest: SubjectManifest = { ...located.manifest, modality: 'text' };
  const text = manifest.text ?? TextSpec.parse({});
  const tokenizer = loadTokenizer(options.tokenizer, text, located.manifestDir, located.modelPath);
  const exampleLength = Math.min(EXAMPLE_LENGTH, text.contextLength ?? EXAMPLE_LENGTH);
  const example = [1, exampleLength];
  const subject = await loadSubject(located.modelPath, {
    ...options,
    manifest,
    exampleShapes: { [text.inputIds]: example, [text.attentionMask]: example, [text.positionIds]: example },
  });
  try {
    const inputs = checkInputs(subject, text);
    const logits =
      text.logits ?? (subject.outputNames.includes('logits') ? 'logits' : subject.outputNames[0]);
    if (logits === undefined) throw new InputError(`${subject.name} has no outputs`);
    const contextLength = text.contextLength ?? positionRows(subject) ?? tokenizerMaxLength(tokenizer);
    if (contextLength === undefined) {
      throw new InputError(
        `cannot tell the context length of ${subject.name}: it has no position embedding table; give text.contextLength in its subject.json`,
      );
    }
    return new LanguageModel({ subject, tokenizer, contextLength, inputs, logits, exampleLength });
  } catch (error) {
    await subject.dispose();
    throw error;
  }
}

function loadTokenizer(
  given: TextTokenizer | string | undefined,
  text: TextSpec,
  manifestDir: string,
  modelPath: string,
): TextTokenizer {
  if (given instanceof TextTokenizer) return given;
  const config = text.tokenizerConfig ? resolveFileRef(text.tokenizerConfig, manifestDir) : undefined;
  if (typeof given === 'string') return TextTokenizer.load(given, config);
  if (text.tokenizer) return TextTokenizer.load(resolveFileRef(text.tokenizer, manifestDir), config);
  const beside = join(dirname(modelPath), 'tokenizer.json');
  if (!existsSync(beside)) {
    throw new InputError(
      `no tokenizer for '${modelPath}': put its tokenizer.json beside it or name it in subject.json (text.tokenizer)`,
    );
  }
  return TextTokenizer.load(beside, config);
}

function checkInputs(subject: OnnxSubject, text: TextSpec) {
  const names = subject.inputNames;
  if (!names.includes(text.inputIds)) {
    throw new InputError(
      `${subject.name} has no input '${text.inputIds}' (its inputs: ${names.join(', ')}); name the token input in subject.json (text.inputIds)`,
    );
  }
  const known = new Set([text.inputIds, text.attentionMask, text.positionIds]);
  const other = names.filter((n) => !known.has(n));
  if (other.length > 0) {
    const cache = other.some((n) => n.startsWith('past_key_values') || n === 'use_cache_branch');
    throw new InputError(
      `${subject.name} takes inputs aia does not fill: ${other.join(', ')}` +
        (cache
          ? '. It was exported with a key/value cache; export without one (optimum-cli export onnx --task text-generation, then use decoder_model.onnx, or torch.onnx.export with use_cache=False)'
          : '; map them in subject.json (text.inputIds, text.attentionMask, text.positionIds)'),
    );
  }
  return {
    inputIds: text.inputIds,
    attentionMask: names.includes(text.attentionMask) ? text.attentionMask : undefined,
    positionIds: names.includes(text.positionIds) ? text.positionIds : undefined,
  };
}

/** Rows of the position embedding table (the Gather producing hook_pos_embed reads it), when there is one. */
function positionRows(subject: OnnxSubject): number | undefined {
  let site;
  try {
    site = subject.resolveSite('hook_pos_embed');
  } catch {
    return undefined;
  }
  const graph = subject.decodedModel().graph ?? {};
  const producer = (graph.node ?? []).find((n) => (n.output ?? []).includes(site.name));
  if (producer?.op_type !== 'Gather') return undefined;
  const table = (graph.initializer ?? []).find((t) => t.name === producer.input?.[0]);
  const rows = table?.dims?.[0];
  return rows === undefined ? undefined : Number(rows);
}

function tokenizerMaxLength(tokenizer: TextTokenizer): number | undefined {
  const length = tokenizer.modelMaxLength;
  return length !== undefined && length < 1e6 ? length : undefined;
}
