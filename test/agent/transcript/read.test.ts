import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRuns, readBlob, readRun, resolveRunDir } from '../../../agent/transcript/read.ts';
import { MONO_DOG_SCRIPT, recordRun } from '../helpers/record-run.ts';

/** Reading a run directory back: every record validated, damage named by file, line and field. */

const root = mkdtempSync(join(tmpdir(), 'aia-read-'));
const cacheDir = join(root, 'cache');
const runDir = join(root, 'runs', 'run-a');
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  await recordRun({
    dir: runDir,
    subject: 'synthetic:maia/mono-dog',
    cacheDir,
    steps: MONO_DOG_SCRIPT,
    createdAt: '2026-01-02T00:00:00.000Z',
  });
});

let copies = 0;
/** A copy of the run whose events.jsonl is `edit(text)`. */
function withEvents(edit: (text: string) => string): string {
  const dir = join(root, `copy-${++copies}`);
  cpSync(runDir, dir, { recursive: true });
  const path = join(dir, 'events.jsonl');
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
  return dir;
}

describe('readRun', () => {
  it('reads a whole run: header, every event in order, no warnings', () => {
    const run = readRun(runDir);
    expect(run.dir).toBe(runDir);
    expect(run.header).toMatchObject({ status: 'answered', subject: { ref: 'synthetic:maia/mono-dog' } });
    expect(run.events.map((e) => e.seq)).toEqual(run.events.map((_, i) => i + 1));
    expect(run.events[0]?.type).toBe('run_start');
    expect(run.events.at(-1)?.type).toBe('run_end');
    expect(run.events.filter((e) => e.type === 'tool_call')).toHaveLength(7);
    expect(run.warnings).toEqual([]);
    expect(run.problems).toEqual([]);
  });

  it('tolerates a last line cut off mid-write, with a warning naming it', () => {
    const dir = withEvents((text) => text.slice(0, text.length - 40));
    const run = readRun(dir);
    const full = readRun(runDir);
    expect(run.events).toHaveLength(full.events.length - 1);
    expect(run.warnings.join('\n')).toMatch(/events\.jsonl line 16 is incomplete/);
  });

  it('a corrupt line anywhere else is a problem naming the file and line; the rest still reads', () => {
    const dir = withEvents((text) => {
      const lines = text.split('\n');
      lines[4] = (lines[4] ?? '').slice(0, 30);
      return lines.join('\n');
    });
    const run = readRun(dir);
    expect(run.problems[0]).toMatch(/events\.jsonl line 5 is not valid JSON/);
    // The line after it no longer follows its predecessor in the chain, and the seq count has a gap.
    expect(run.problems.join('\n')).toMatch(/line 6 does not follow the line before it/);
    expect(run.problems.join('\n')).toMatch(/event 5 has seq 6/);
    expect(run.events).toHaveLength(readRun(runDir).events.length - 1);
  });

  it('a line that is JSON but not a valid event is a problem naming the line, its type and the bad field', () => {
    const dir = withEvents((text) => {
      const lines = text.split('\n');
      const event = JSON.parse(lines[2] ?? '{}') as Record<string, unknown>;
      delete event.resultHash;
      event.ok = 'yes';
      lines[2] = JSON.stringify(event);
      return lines.join('\n');
    });
    expect(readRun(dir).problems[0]).toMatch(
      /events\.jsonl line 3 \(type 'tool_call'\) is not a valid run event: ok: .*boolean.*; resultHash: /,
    );
  });

  it('a missing events.jsonl, a missing directory and a bad header are each named', () => {
    const noEvents = withEvents((t) => t);
    rmSync(join(noEvents, 'events.jsonl'));
    expect(() => readRun(noEvents)).toThrow(/run events not found: .*events\.jsonl/);
    expect(() => readRun(join(root, 'nowhere'))).toThrow(/run directory not found: .*nowhere/);
    const badHeader = withEvents((t) => t);
    const header = JSON.parse(readFileSync(join(badHeader, 'run.json'), 'utf8')) as Record<string, unknown>;
    (header.config as Record<string, unknown>).seed = 'one';
    writeFileSync(join(badHeader, 'run.json'), JSON.stringify(header));
    expect(() => readRun(badHeader)).toThrow(/run\.json is not a valid run header: config\.seed: .*number/);
    writeFileSync(join(badHeader, 'run.json'), '{"format": ');
    expect(() => readRun(badHeader)).toThrow(/run\.json is not valid JSON/);
  });

  it('readBlob returns stored bytes and names a missing blob', () => {
    const run = readRun(runDir);
    const call = run.events.find((e) => e.type === 'tool_call' && e.images.length > 0);
    const image = call?.type === 'tool_call' ? call.images[0] : undefined;
    expect(image).toBeDefined();
    expect(
      readBlob(runDir, image?.sha256 ?? '')
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    expect(() => readBlob(runDir, 'f'.repeat(64))).toThrow(/blob missing from the run: .*blobs\/f{64}\.png/);
    expect(() => readBlob(runDir, '../run.json')).toThrow(/not a blob hash/);
  });
});

describe('listRuns', () => {
  it('lists run directories newest first and skips folders that are not runs', async () => {
    await recordRun({
      dir: join(root, 'runs', 'run-b'),
      subject: 'synthetic:maia/mono-dog',
      cacheDir,
      steps: MONO_DOG_SCRIPT.slice(0, 1),
      question: 'second',
      createdAt: '2026-03-01T00:00:00.000Z',
    });
    cpSync(join(root, 'runs', 'run-a', 'blobs'), join(root, 'runs', 'not-a-run'), { recursive: true });
    const runs = listRuns(join(root, 'runs'));
    expect(runs.map((r) => [r.id, r.status, r.question])).toEqual([
      ['run-b', 'no_answer', 'second'],
      ['run-a', 'answered', 'What does the unit detect?'],
    ]);
    expect(listRuns(join(root, 'missing'))).toEqual([]);
  });

  it('resolveRunDir takes a path or a run name under the runs folder, and names the nearest runs', () => {
    const runs = join(root, 'runs');
    expect(resolveRunDir(runDir)).toBe(runDir);
    expect(resolveRunDir('run-a', runs)).toBe(runDir);
    expect(() => resolveRunDir('run-c', runs)).toThrow(
      /^no run 'run-c': not a directory, nor a run under .*runs; did you mean run-a, run-b\?$/,
    );
  });
});
