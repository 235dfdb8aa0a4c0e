import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PROJECT_ROOT, projectPath } from '../util/paths.ts';

/** What produced a run: aia's version, Node's, and the git revision when run from a checkout. */
export function runVersions(): { aia: string; node: string; git?: string } {
  const pkg = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as {
    version: string;
  };
  const git = gitRevision();
  return { aia: pkg.version, node: process.version, ...(git ? { git } : {}) };
}

let revision: string | null | undefined;

function gitRevision(): string | undefined {
  if (revision === undefined) {
    try {
      revision = execFileSync('git', ['rev-parse', 'HEAD'], {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'pipe', 'ignore'],
        encoding: 'utf8',
      }).trim();
    } catch {
      revision = null;
    }
  }
  return revision ?? undefined;
}
