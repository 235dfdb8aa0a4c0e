import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `aia --help` must start at once: cli/main.ts and the command definitions in cli/commands/ import
 * nothing heavy, and each command loads its work (cli/actions/) only when it runs. The CLI runs from
 * the TypeScript source (AIA_FROM_SOURCE=1, so a stale dist/ cannot hide a new import) under an
 * `--import` hook (record-imports.mjs) that writes down every module the process loads.
 */

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const recorder = join(root, 'test/cli/record-imports.mjs');
const dir = mkdtempSync(join(tmpdir(), 'aia-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Packages no command definition may load: native bindings, rendering, logging, model clients. */
const HEAVY = [
  'onnxruntime-node',
  'onnxruntime-common',
  'sharp',
  'opentype.js',
  'protobufjs',
  'pino',
  'pino-pretty',
  '@anthropic-ai/sdk',
  'openai',
  '@langchain/core',
  '@langchain/anthropic',
  '@langchain/openai',
  'langchain',
  '@modelcontextprotocol/sdk',
  '@huggingface/tokenizers',
  'compromise',
  'wink-nlp',
  'zod',
];
/** What `aia --help` may load: commander, and tsx (with its helpers) that runs the source. */
const ALLOWED_PACKAGES = ['commander', 'tsx', 'esbuild', 'get-tsconfig', 'resolve-pkg-maps'];
/** Project files `aia --help` may load. */
const ALLOWED_FILES = [
  /^bin\/aia\.js$/,
  /^cli\/main\.ts$/,
  /^cli\/commands\/[a-z-]+\.ts$/,
  /^util\/errors\.ts$/,
  /^util\/escape\.ts$/,
];

let runs = 0;

/** Run a node process under the recorder; the packages and project files it loaded. */
async function loaded(args: string[], env: Record<string, string> = {}) {
  const log = join(dir, `imports-${runs++}.txt`);
  const { stdout } = await run(process.execPath, ['--import', recorder, ...args], {
    cwd: root,
    env: { ...process.env, ...env, AIA_IMPORT_LOG: log },
  });
  const urls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  const packages = new Set<string>();
  const files = new Set<string>();
  for (const url of urls) {
    if (!url.startsWith('file:')) continue;
    const path = fileURLToPath(url.replace(/\?.*$/, ''));
    const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
    const file = relative(root, path);
    if (inPackage) packages.add(inPackage[1]!);
    else if (!file.startsWith('test/cli/record-imports')) files.add(file);
  }
  return { stdout, packages: [...packages].sort(), files: [...files].sort() };
}

describe('aia --help loads nothing heavy', () => {
  it('the recorder sees a heavy package that is imported (so an empty list below means something)', async () => {
    const { packages } = await loaded(['--input-type=module', '-e', "await import('pino');"]);
    expect(packages).toContain('pino');
  });

  it('loads only commander and the command definitions', async () => {
    const { stdout, packages, files } = await loaded(['bin/aia.js', '--help'], { AIA_FROM_SOURCE: '1' });
    expect(stdout).toMatch(/^Usage: aia/);
    // The recorder saw the CLI itself: every command definition, through the source.
    expect(files).toContain('cli/main.ts');
    expect(files).toContain('cli/commands/tools.ts');
    expect(packages).toContain('commander');

    expect(packages.filter((p) => HEAVY.includes(p))).toEqual([]);
    expect(packages.filter((p) => !ALLOWED_PACKAGES.includes(p))).toEqual([]);
    expect(files.filter((f) => !ALLOWED_FILES.some((allowed) => allowed.test(f)))).toEqual([]);
  });
});
