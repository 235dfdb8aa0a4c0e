import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The `aia` command as a user runs it (`node bin/aia.js …`), with its own cache folder so tests never
 * share state with a developer's `.cache/`. Returns the exit code instead of throwing.
 */
export function cliRunner(prefix: string): { dir: string; aia: (...args: string[]) => Promise<CliResult> } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const env = {
    ...process.env,
    AIA_CACHE_DIR: join(dir, 'cache'),
    AIA_LOG_LEVEL: 'warn',
    AIA_NO_PROGRESS: '1',
  };
  async function aia(...args: string[]): Promise<CliResult> {
    try {
      const { stdout, stderr } = await run(process.execPath, ['bin/aia.js', ...args], {
        env,
        maxBuffer: 1 << 26,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as CliResult;
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }
  return { dir, aia };
}
