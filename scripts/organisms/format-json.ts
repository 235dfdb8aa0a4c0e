import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';

/** Lays out an organism's JSON files as the linter expects, so a rebuilt organism never breaks `npm run lint`. */
export async function formatJsonFiles(dir: string, files: readonly string[]): Promise<void> {
  for (const file of files) {
    const path = join(dir, file);
    writeFileSync(
      path,
      await format(readFileSync(path, 'utf8'), { ...(await resolveConfig(path)), parser: 'json' }),
    );
  }
}
