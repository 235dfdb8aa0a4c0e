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

/**
 * Labels must match the output they name: one per class of a probabilities/logits output, one per
 * symbol of a CTC output. A mismatch would label classes wrongly (or classify with a label missing),
 * so it is refused when the subject loads, with the counts and the fix.
 */
export function checkLabelCount(
  labels: readonly string[] | undefined,
  manifest: SubjectManifest,
  output: { name: string; shape: readonly number[] } | undefined,
  source: string,
): void {
  const kind = manifest.output?.kind;
  if (labels === undefined || output === undefined) return;
  const classified = kind === 'probabilities' || kind === 'logits';
  if (!classified && kind !== 'ctc-probabilities') return;
  const classes = output.shape.at(-1);
  if (classes === undefined || classes === labels.length) return;
  const what = classified ? 'classes' : 'symbols (the CTC blank included)';
  throw new InputError(
    `${source}: output.labels lists ${labels.length} label${labels.length === 1 ? '' : 's'} but output ` +
      `'${output.name}' has ${classes} ${what}; give exactly one label per ${classified ? 'class' : 'symbol'}, in output order`,
  );
}
