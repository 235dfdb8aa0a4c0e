import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../agent/report/index.ts';
import { readRun } from '../../agent/transcript/read.ts';

/** Lines in a file, 0 while it does not exist. */
function lines(path: string): number {
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).length : 0;
}

describe('a run killed mid-way', () => {
  it('leaves a transcript that reads back and renders, every finished step intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aia-killed-'));
    const runDir = join(dir, 'run');
    const child = spawn(
      process.execPath,
      [
        'bin/aia.js',
        'ask',
        'synthetic:maia/mono-dog',
        'What does this unit detect?',
        '--unit',
        'synthetic:0',
        '--backbone',
        'dissect',
        '--probe-set-size',
        '60',
        '--out',
        runDir,
      ],
      { env: { ...process.env, AIA_CACHE_DIR: join(dir, 'cache'), AIA_LOG_LEVEL: 'warn' }, stdio: 'ignore' },
    );
    const events = join(runDir, 'events.jsonl');
    // Kill it hard (no chance to finish) once a few tool calls are on disk.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (lines(events) >= 5) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 20);
      child.once('exit', () => {
        clearInterval(timer);
        reject(new Error('the run finished before it could be killed'));
      });
    });
    await new Promise((resolve) => child.once('exit', resolve));

    const run = readRun(runDir);
    expect(run.header.status).toBe('running');
    expect(run.events[0]?.type).toBe('run_start');
    expect(run.events.length).toBeGreaterThanOrEqual(5);
    expect(run.events.some((e) => e.type === 'run_end')).toBe(false);
    expect(run.problems.join(' ')).toMatch(/the run never ended \(no run_end/);
    const html = renderReport(run);
    expect(html).toContain('What does this unit detect?');
  }, 60_000);
});
