import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the project's files are, whether this module runs from its TypeScript source (tests, tsx) or
 * from the compiled copy in `dist/` (the `aia` command). Data files (prompts, suites, the zoo, the
 * ONNX schema) are never compiled, so they are always read from the source tree.
 */

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === 'aia') return dir;
    }
    if (dirname(dir) === dir) throw new Error(`aia's package.json was not found above ${start}`);
  }
}

/** The repository root: the folder holding aia's package.json. */
export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

/** A file of the source tree, by its path from the project root (e.g. `prompts/system.md`). */
export function projectPath(...parts: string[]): string {
  return join(PROJECT_ROOT, ...parts);
}

/** True when this code runs compiled (from `dist/`), false when it runs from TypeScript source. */
export const COMPILED = import.meta.url.endsWith('.js');

/**
 * The file of a module beside the caller, for workers and child processes: `base.js` when the caller
 * runs compiled, `base.ts` when it runs from source (those need the TypeScript loader).
 */
export function siblingModule(callerUrl: string, base: string): string {
  const extension = callerUrl.endsWith('.js') ? '.js' : '.ts';
  return fileURLToPath(new URL(`./${base}${extension}`, callerUrl));
}
