// Loader hooks for record-imports.mjs: every resolved module URL is appended to $AIA_IMPORT_LOG.
import { appendFileSync } from 'node:fs';

const log = process.env.AIA_IMPORT_LOG;

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (log) appendFileSync(log, `${resolved.url}\n`);
  return resolved;
}
