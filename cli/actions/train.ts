import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ZOO_DIR } from '../../subjects/zoo.ts';
import { InputError } from '../../util/errors.ts';
import { PROJECT_ROOT } from '../../util/paths.ts';

/**
 * The work of `aia train` (defined in cli/commands/train.ts). A recipe is a TypeScript script in the
 * repository that trains one organism from its seed and writes its zoo folder; it runs in a child
 * Node process with tsx's loader (recipes are source, never compiled), its progress on stderr.
 */

/** Zoo names that have a recipe. */
export function recipeNames(): string[] {
  return readdirSync(ZOO_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(ZOO_DIR, entry.name, 'recipe.ts')))
    .map((entry) => entry.name)
    .sort();
}

export function resolveRecipe(recipe: string): string {
  const named = join(ZOO_DIR, recipe, 'recipe.ts');
  if (/^[a-z0-9][a-z0-9._-]*$/.test(recipe) && existsSync(named)) return named;
  const path = resolve(recipe);
  if (recipe.endsWith('.ts') && existsSync(path)) return path;
  throw new InputError(
    `no recipe '${recipe}': give a zoo name with a recipe (${recipeNames().join(', ')}) or a recipe .ts file`,
  );
}

export async function runTrain(recipe: string): Promise<number> {
  const path = resolveRecipe(recipe);
  const loader = import.meta.resolve('tsx/esm');
  const child = spawn(process.execPath, ['--import', loader, path], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  return await new Promise<number>((done, fail) => {
    child.on('error', fail);
    child.on('exit', (code) => done(code ?? 1));
  });
}
