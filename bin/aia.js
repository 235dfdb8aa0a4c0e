#!/usr/bin/env node
// The `aia` command: runs the compiled CLI in dist/ (built by `npm install` or `npm run build`).
// AIA_FROM_SOURCE=1 runs the TypeScript source through tsx instead (no build needed while developing).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist/cli/main.js');

if (process.env.AIA_FROM_SOURCE === '1' || !existsSync(compiled)) {
  if (process.env.AIA_FROM_SOURCE !== '1')
    process.stderr.write(
      'aia: dist/ is not built (run `npm run build`); running the TypeScript source instead\n',
    );
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'cli/main.ts')).href);
} else {
  await import(pathToFileURL(compiled).href);
}
