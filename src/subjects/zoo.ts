import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveFileRef } from './files.ts';
import { readManifest, type SubjectManifest } from './manifest.ts';

/**
 * The model zoo: subjects known by name, one committed manifest each in `zoo/<name>.json`. Their
 * model files come from installed npm packages, so nothing is downloaded at run time.
 */

export const ZOO_DIR = join(dirname(fileURLToPath(import.meta.url)), 'zoo');

export interface ZooEntry {
  name: string;
  manifestPath: string;
  manifest: SubjectManifest;
  /** Where the model file should be, and whether it is there. */
  modelPath: string;
  installed: boolean;
}

export function zooNames(): string[] {
  return readdirSync(ZOO_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => basename(file, '.json'))
    .sort();
}

export function zooEntry(name: string): ZooEntry | undefined {
  const manifestPath = join(ZOO_DIR, `${name}.json`);
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name) || !existsSync(manifestPath)) return undefined;
  const manifest = readManifest(manifestPath);
  let modelPath = '';
  let installed = false;
  if (manifest.model) {
    try {
      modelPath = resolveFileRef(manifest.model, ZOO_DIR);
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
