import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '../util/paths.ts';
import { resolveFileRef } from './files.ts';
import { readManifest, type SubjectManifest } from './manifest.ts';

/**
 * The model zoo: subjects known by name, one folder each in `zoo/<name>/` with its manifest
 * `subject.json` (and, for organisms we trained, `model.onnx`, `metrics.json` and the recipe's record).
 * Model files are committed there or come from installed npm packages: nothing is downloaded at run time.
 */

export const ZOO_DIR = projectPath('zoo');

export interface ZooEntry {
  name: string;
  manifestPath: string;
  manifest: SubjectManifest;
  /** Where the model file should be, and whether it is there. */
  modelPath: string;
  installed: boolean;
}

export function zooNames(): string[] {
  return readdirSync(ZOO_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(ZOO_DIR, entry.name, 'subject.json')))
    .map((entry) => entry.name)
    .sort();
}

export function zooEntry(name: string): ZooEntry | undefined {
  const manifestPath = join(ZOO_DIR, name, 'subject.json');
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name) || !existsSync(manifestPath)) return undefined;
  const manifest = readManifest(manifestPath);
  let modelPath = '';
  let installed = false;
  if (manifest.model) {
    try {
      modelPath = resolveFileRef(manifest.model, join(ZOO_DIR, name));
      installed = existsSync(modelPath);
    } catch {
      // The package is missing: listed as not installed.
    }
  }
  return { name, manifestPath, manifest, modelPath, installed };
}

export function zooEntries(): ZooEntry[] {
  return zooNames().flatMap((name) => zooEntry(name) ?? []);
}
