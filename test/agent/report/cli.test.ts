import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../../helpers/cli.ts';
import { MONO_DOG_SCRIPT, recordRun } from '../helpers/record-run.ts';

/** `aia report` and `aia replay [--verify]` on a recorded run, as a person runs them. */

const { dir, aia } = cliRunner('aia-report-cli-');
const runDir = join(dir, 'run');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  // The CLI's cache (AIA_CACHE_DIR) is dir/cache: record with the same one so probe sets are shared.
  await recordRun({
    dir: runDir,
    subject: 'synthetic:maia/mono-dog',
    cacheDir: join(dir, 'cache'),
    steps: MONO_DOG_SCRIPT,
  });
});

describe.concurrent('aia report and aia replay', () => {
  it('report writes <run>/report.html and prints its path', async () => {
    const { code, stdout } = await aia('report', runDir);
    expect(code).toBe(0);
    expect(stdout).toBe(`${join(runDir, 'report.html')}\n`);
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toContain(
      '<p class="description">the unit detects dogs</p>',
    );
  });

  it('replay --verify re-runs every tool call: no divergence, exit 0', async () => {
    const { code, stdout, stderr } = await aia('replay', runDir, '--verify');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(
      'integrity: intact (hash chain, blobs, header and events agree; the run ended)\n' +
        '7 tool calls re-run, 0 divergences\n',
    );
  });

  it('replay --verify --json gives each divergence as structure, and exits 1', async () => {
    const tampered = join(dir, 'tampered');
    cpSync(runDir, tampered, { recursive: true });
    const path = join(tampered, 'events.jsonl');
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    const edited = lines.map((line) => {
      const event = JSON.parse(line) as { type: string; ref?: string; text?: string };
      if (event.type === 'tool_call' && event.ref === 'c2') event.text = event.text?.replace('sand', 'snow');
      return JSON.stringify(event);
    });
    writeFileSync(path, `${edited.join('\n')}\n`);
    const { code, stdout } = await aia('replay', tampered, '--verify', '--json');
    expect(code).toBe(1);
    const result = JSON.parse(stdout) as { divergences: { hints: string[] }[] };
    expect(result).toMatchObject({
      run: tampered,
      checked: 7,
      divergences: [{ ref: 'c2', tool: 'render_scenes', step: 2, parts: ['text'] }],
    });
    expect(result.divergences[0]?.hints[0]).toMatch(/^line 2: recorded .*snow/);
  });

  it('replay without --verify summarises the run and says how to verify and re-drive it', async () => {
    const { code, stdout } = await aia('replay', runDir);
    expect(code).toBe(0);
    expect(stdout).toContain('question: What does the unit detect?');
    expect(stdout).toContain('4 model calls, 7 tool calls');
    expect(stdout).toContain('h2 [supported] synthetic:0 detects dogs');
    expect(stdout).toContain('answer: the unit detects dogs (formula: dog), confidence 0.9');
    expect(stdout).toContain(`aia replay ${runDir} --verify`);
    expect(stdout).toContain(
      `aia ask synthetic:maia/mono-dog 'What does the unit detect?' --backbone replay --replay ${runDir} --seed 1`,
    );
  });

  it('a damaged log is a problem naming the line, verification fails with exit 1', async () => {
    const broken = join(dir, 'broken');
    cpSync(runDir, broken, { recursive: true });
    const path = join(broken, 'events.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[2] = '{"seq": 3, "type": "tool_call"';
    writeFileSync(path, lines.join('\n'));
    const result = await aia('replay', broken, '--verify');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^integrity: \d+ problems?: this run is not what was recorded\n/);
    expect(result.stdout).toMatch(/\nproblem: .*events\.jsonl line 3 is not valid JSON/);
  });
});
