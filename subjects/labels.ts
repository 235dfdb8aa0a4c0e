import { existsSync, readFileSync } from 'node:fs';
import { InputError } from '../util/errors.ts';
import { resolveFileRef } from './files.ts';
import type { SubjectManifest } from './manifest.ts';

/**
 * The output labels a manifest names: a literal list, or one label a line from a file with extra
 * labels around it (PaddleOCR's recogniser: the CTC blank first, then the dictionary, then ' ').
 * Lines keep their spaces; only the line break is removed, as PaddleOCR reads its dictionaries.
 */
export function loadLabels(manifest: SubjectManifest, baseDir: string): string[] | undefined {
  const spec = manifest.output?.labels;
  if (spec === undefined) return undefined;
  if (Array.isArray(spec)) return [...spec];
  const path = resolveFileRef(spec.file, baseDir);
  if (!existsSync(path)) throw new InputError(`labels file '${path}' does not exist`);
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return [...spec.prepend, ...lines, ...spec.append];
}
