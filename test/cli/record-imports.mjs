// `node --import ./test/cli/record-imports.mjs …` with AIA_IMPORT_LOG=<file>: appends to that file the
// URL of every module the process loads — ES modules as the loader resolves them (through the hooks in
// record-imports-hooks.mjs) and, at exit, every CommonJS module in require's cache — one per line.
// test/cli/lazy.test.ts uses it to check what `aia --help` loads.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const log = process.env.AIA_IMPORT_LOG;
if (log) {
  register('./record-imports-hooks.mjs', import.meta.url);
  const require = createRequire(import.meta.url);
  process.on('exit', () => {
    const files = Object.keys(require.cache).map((file) => pathToFileURL(file).href);
    if (files.length > 0) appendFileSync(log, `${files.join('\n')}\n`);
  });
}
