import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { loadLanguageModel } from '../../subjects/language-model/index.ts';
import { readManifest } from '../../subjects/manifest.ts';
import { findById, SyntheticTextSubject, TEXT_UNIT_BANK } from '../../subjects/synthetic-text/index.ts';
import { zooEntry } from '../../subjects/zoo.ts';
import { InputError } from '../../util/errors.ts';
import { LanguageModelProbe } from './language-model-probe.ts';
import { SyntheticTextProbe } from './synthetic-text-probe.ts';
import type { TextProbe } from './types.ts';

/**
 * Text subject references:
 *
 *   synthetic-text:<id>            one unit of the built-in bank (e.g. synthetic-text:pos-noun)
 *   synthetic-text:bank            every unit of the bank
 *   synthetic-text:units.json      unit definitions from a file: an array, or one definition
 *   synthetic-text:[{...}] / {...} unit definitions inline, as JSON
 *
 * The subject is always named `synthetic-text`: the agent sees the name, and an id would give the
 * answer away.
 *
 * Language models (see languageModelPath): a subject.json with `modality: "text"`, an .onnx file
 * whose manifest beside it says so (or, with no manifest, that has a tokenizer.json beside it), a
 * folder holding either, or a zoo entry with a text manifest.
 */
export const SYNTHETIC_TEXT_PREFIX = 'synthetic-text:';

export function isTextSubjectRef(ref: string): boolean {
  return textSubjectKind(ref) !== undefined;
}

/** Which text probe a reference loads, without loading it; undefined for a vision reference. */
export function textSubjectKind(ref: string): TextProbe['kind'] | undefined {
  if (ref.trim().startsWith(SYNTHETIC_TEXT_PREFIX)) return 'synthetic-text';
  return languageModelPath(ref) !== undefined ? 'language-model' : undefined;
}

/**
 * The path loadLanguageModel should get for a reference that names a language model (an .onnx file
 * or subject.json), or undefined when it names something else (or nothing): a vision model, a file
 * that does not exist — those go on to the vision loader, which says what is wrong.
 */
export function languageModelPath(ref: string): string | undefined {
  const path = ref.trim();
  try {
    const zoo = zooEntry(path);
    if (zoo && !existsSync(path)) return zoo.manifest.modality === 'text' ? path : undefined;
    if (!existsSync(path)) return undefined;
    if (statSync(path).isDirectory()) {
      const manifest = join(path, 'subject.json');
      if (existsSync(manifest)) return isTextManifest(manifest) ? manifest : undefined;
      const model = join(path, 'model.onnx');
      return existsSync(model) && existsSync(join(path, 'tokenizer.json')) ? model : undefined;
    }
    if (extname(path) === '.json') return isTextManifest(path) ? path : undefined;
    if (extname(path) !== '.onnx') return undefined;
    const beside = [
      join(dirname(path), `${basename(path, '.onnx')}.subject.json`),
      join(dirname(path), 'subject.json'),
    ];
    const manifest = beside.find((p) => existsSync(p));
    if (manifest) return isTextManifest(manifest) ? path : undefined;
    return existsSync(join(dirname(path), 'tokenizer.json')) ? path : undefined;
  } catch {
    return undefined;
  }
}

function isTextManifest(path: string): boolean {
  return readManifest(path).modality === 'text';
}

export interface LoadTextProbeOptions {
  /** Where a language model's site table is cached (the cache root; default: the subject loader's). */
  cacheDir?: string | false;
}

export async function loadTextProbe(ref: string, options: LoadTextProbeOptions = {}): Promise<TextProbe> {
  const model = languageModelPath(ref);
  if (model !== undefined) {
    const cache = options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {};
    return new LanguageModelProbe(await loadLanguageModel(model, cache), model);
  }
  const spec = ref.trim().slice(SYNTHETIC_TEXT_PREFIX.length).trim();
  if (!isTextSubjectRef(ref) || spec === '')
    throw new InputError(
      `'${ref}' is not a text subject: use synthetic-text:<id>, synthetic-text:bank, a .json file or inline JSON, ` +
        'or a language model (an .onnx file with its tokenizer.json, or a subject.json with modality "text")',
    );
  return new SyntheticTextProbe(new SyntheticTextSubject(definitions(spec)));
}

function definitions(spec: string): unknown {
  if (spec.startsWith('[') || spec.startsWith('{')) return parseJson(spec, 'inline synthetic text units');
  if (spec === 'bank') return TEXT_UNIT_BANK;
  if (spec.endsWith('.json')) {
    if (!existsSync(spec)) throw new InputError(`synthetic text unit file '${spec}' does not exist`);
    return parseJson(readFileSync(spec, 'utf8'), `synthetic text unit file '${spec}'`);
  }
  return [findById(TEXT_UNIT_BANK, spec, 'built-in synthetic text unit')];
}

function parseJson(text: string, what: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    const units =
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as { units?: unknown }).units
        : undefined;
    return Array.isArray(units) ? units : value;
  } catch (error) {
    throw new InputError(`${what} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}
