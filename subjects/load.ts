import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { InputError } from '../util/errors.ts';
import { cacheDir as defaultCacheDir, resolveFileRef } from './files.ts';
import { checkLabelCount, loadLabels } from './labels.ts';
import { parseManifest, readManifest, type SubjectManifest, type SubjectManifestInput } from './manifest.ts';
import { discoverSites } from './onnx/discover.ts';
import { indexGraph } from './onnx/graph.ts';
import { OnnxSubject } from './onnx/onnx-subject.ts';
import { describeSites } from './onnx/site-infos.ts';
import { decodeModel, ElemType, type ModelProto } from './onnx/proto.ts';
import {
  createSession,
  defaultSessionOptions,
  SessionCache,
  transformerSessionOptions,
  type SessionOptions,
} from './onnx/session.ts';
import { transformerLensNames } from './language-model/transformer-lens-names.ts';
import { EXAMPLE_LENGTH } from './language-model/token-layout.ts';
import { nearNames } from '../util/names.ts';
import { zooEntry, zooNames } from './zoo.ts';

export interface LoadOptions {
  /** A manifest (object or path) to use instead of the one found beside the model. */
  manifest?: SubjectManifestInput | string;
  /** Where to cache site tables; false for no disk cache. Default: AIA_CACHE_DIR or `.cache/`. */
  cacheDir?: string | false;
  /** onnxruntime options for every session of the subject (default: defaultSessionOptions()). */
  sessionOptions?: SessionOptions;
  /** Compiled sessions kept per subject (default 8). */
  sessionCacheSize?: number;
  /**
   * Example input shapes by input name for site discovery, beside the manifest's (which names only
   * the image input): a language model needs input_ids and attention_mask of one length.
   */
  exampleShapes?: Readonly<Record<string, number[]>>;
}

/**
 * Load a subject from a zoo name (`paddle-ocr-cls`), a path to an `.onnx` file, or a path to a
 * subject.json whose `model` names the file. A model's manifest is looked for beside it as
 * `<model>.subject.json`, then `subject.json`; without one the model loads with defaults.
 */
export async function loadSubject(ref: string, options: LoadOptions = {}): Promise<OnnxSubject> {
  const located = locateSubject(ref, options.manifest);
  const { modelPath, manifest, manifestDir } = located;
  const bytes = readModelFile(modelPath);
  const hash = createHash('sha256').update(bytes).digest('hex');
  const model = decodeModel(bytes, `'${modelPath}'`);
  const index = indexGraph(model.graph ?? {});
  // Transformers (found by their module scopes) need basic optimisation: see transformerSessionOptions.
  const isTransformer = transformerLensNames(index, new Set(index.dynamicTensors)).size > 0;
  const sessionOptions =
    options.sessionOptions ?? (isTransformer ? transformerSessionOptions() : defaultSessionOptions());
  const modelDir = dirname(modelPath);
  const compile = (m: Parameters<typeof createSession>[0]) =>
    createSession(m, sessionOptions, modelDir, `'${modelPath}'`);

  const exampleShape = manifest.input?.exampleShape;
  const imageInput = manifest.input?.name ?? index.inputNames[0];
  const table = await discoverSites(model, index, hash, {
    createSession: compile,
    exampleShapes: exampleShapesFor(
      imageInput,
      exampleShape,
      options.exampleShapes ?? (isTransformer ? tokenExampleShapes(model) : undefined),
    ),
    cacheDir: options.cacheDir === false ? undefined : (options.cacheDir ?? defaultCacheDir()),
  });

  const { sites, aliases } = describeSites(table.sites, index, manifest);
  const labels = loadLabels(manifest, manifestDir);
  const outputName = manifest.output?.name ?? index.outputNames[0];
  checkLabelCount(
    labels,
    manifest,
    table.sites.find((site) => site.name === outputName),
    `subject '${ref}'`,
  );

  return new OnnxSubject({
    name: manifest.name ?? basename(modelPath, extname(modelPath)),
    hash,
    manifest,
    labels,
    model,
    modelBytes: bytes,
    table,
    sites,
    aliases,
    sessions: new SessionCache(compile, options.sessionCacheSize),
    compile,
  });
}

/**
 * A transformer's token inputs (int64 [batch, sequence]: ids, mask, positions) get one short example
 * length, the one language-model loading uses, so the site table is shared and fits any context.
 */
function tokenExampleShapes(model: ModelProto): Record<string, number[]> {
  const shapes: Record<string, number[]> = {};
  for (const input of model.graph?.input ?? []) {
    const type = input.type?.tensor_type;
    if (type?.elem_type === ElemType.INT64 && type.shape?.dim?.length === 2 && input.name) {
      shapes[input.name] = [1, EXAMPLE_LENGTH];
    }
  }
  return shapes;
}

function exampleShapesFor(
  imageInput: string | undefined,
  manifestShape: number[] | undefined,
  given: LoadOptions['exampleShapes'],
): Record<string, number[]> | undefined {
  const shapes: Record<string, number[]> = { ...given };
  if (manifestShape && imageInput) shapes[imageInput] = manifestShape;
  return Object.keys(shapes).length > 0 ? shapes : undefined;
}

export interface LocatedSubject {
  modelPath: string;
  manifest: SubjectManifest;
  /** Directory the manifest's relative paths are relative to. */
  manifestDir: string;
}

/** The model file and manifest a reference names (see loadSubject); InputError when there are none. */
export function locateSubject(ref: string, manifestOption?: LoadOptions['manifest']): LocatedSubject {
  const zoo = zooEntry(ref);
  if (zoo && !existsSync(ref)) {
    if (!zoo.installed) {
      throw new InputError(`zoo subject '${ref}' has no model file at '${zoo.modelPath}'; run npm install`);
    }
    return { modelPath: zoo.modelPath, manifest: zoo.manifest, manifestDir: dirname(zoo.manifestPath) };
  }
  if (!existsSync(ref)) {
    if (/[\\/]/.test(ref) || /\.(onnx|json)$/i.test(ref))
      throw new InputError(`model file '${ref}' does not exist`);
    const near = nearNames(ref, zooNames());
    throw new InputError(
      `'${ref}' is neither a model file nor a zoo subject` +
        (near.length ? `; did you mean ${near.join(', ')}?` : `; zoo subjects: ${zooNames().join(', ')}`),
    );
  }
  if (statSync(ref).isDirectory())
    throw new InputError(`'${ref}' is a directory; give the path to an .onnx file`);

  if (extname(ref) === '.json') {
    const manifest = readManifest(ref);
    if (!manifest.model) throw new InputError(`manifest '${ref}' has no "model" field naming the ONNX file`);
    return { modelPath: resolveFileRef(manifest.model, dirname(ref)), manifest, manifestDir: dirname(ref) };
  }

  if (manifestOption !== undefined) {
    if (typeof manifestOption === 'string') {
      return { modelPath: ref, manifest: readManifest(manifestOption), manifestDir: dirname(manifestOption) };
    }
    return { modelPath: ref, manifest: parseManifest(manifestOption), manifestDir: dirname(ref) };
  }
  const beside = [
    join(dirname(ref), `${basename(ref, extname(ref))}.subject.json`),
    join(dirname(ref), 'subject.json'),
  ];
  const found = beside.find((path) => existsSync(path));
  return {
    modelPath: ref,
    manifest: found ? readManifest(found) : parseManifest({ modality: 'other' }),
    manifestDir: dirname(ref),
  };
}

function readModelFile(path: string): Buffer {
  if (!existsSync(path)) throw new InputError(`model file '${path}' does not exist`);
  if (statSync(path).isDirectory()) throw new InputError(`'${path}' is a directory, not an ONNX model file`);
  return readFileSync(path);
}
