import { spawn } from 'node:child_process';
import { writeReport } from '../../agent/report/index.ts';
import { readRun, resolveRunDir } from '../../agent/transcript/read.ts';
import { escapeControl } from '../../util/escape.ts';
import { printResult } from '../output.ts';

/**
 * The work of `aia report <run>` (defined in cli/commands/report.ts): the run as one self-contained
 * HTML page (question, answer, hypotheses, every experiment with its images, usage and cost), written
 * to `<run>/report.html` unless --out says otherwise. Prints the file's path; --open hands it to the desktop's opener if there is one.
 */

export interface ReportOptions {
  out?: string;
  open?: boolean;
  json?: boolean;
}

/** Open a file with the desktop's default program, if any; a headless machine simply has none. */
function openFile(path: string): void {
  try {
    const child = spawn('xdg-open', [path], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // Nothing to open it with: the path is printed anyway.
  }
}

/**
 * Write the run's page, print its path (and its warnings on stderr), open it if asked. A damaged run is
 * rendered as far as it can be read, its problems listed at the top; exit code 1.
 */
export function runReport(runRef: string, opts: ReportOptions): void {
  const run = readRun(resolveRunDir(runRef));
  const path = writeReport(run, opts.out);
  printResult(
    opts.json === true,
    { report: path, warnings: run.warnings, problems: run.problems },
    () => path,
  );
  for (const warning of run.warnings) process.stderr.write(`warning: ${escapeControl(warning)}\n`);
  // The page is written with the damage marked at its top; the exit code says it is damaged.
  for (const problem of run.problems) process.stderr.write(`problem: ${escapeControl(problem)}\n`);
  if (run.problems.length > 0) process.exitCode = 1;
  if (opts.open) openFile(path);
}
