import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../../agent/hash.ts';
import { chainSeed } from '../../../agent/transcript/chain.ts';
import { RUN_FORMAT, type RunHeader } from '../../../agent/transcript/header.ts';
import { readRun } from '../../../agent/transcript/read.ts';
import { assertNewRunDir, TranscriptWriter } from '../../../agent/transcript/writer.ts';

/** The writer: a hash-chained events file, a header that commits to it, no secrets, no second run. */

const root = mkdtempSync(join(tmpdir(), 'aia-writer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const KEY = 'sk-proj-9f8e7d6c5b4a3210ZYXW';

function header(id: string): RunHeader {
  return {
    format: RUN_FORMAT,
    id,
    createdAt: '2026-01-01T00:00:00.000Z',
    versions: { aia: '0.1.0', node: process.version },
    subject: { ref: 'synthetic:maia/mono-dog', hash: '', files: [] },
    question: 'q?',
    config: {
      backbone: 'scripted',
      model: 'm',
      seed: 1,
      budget: {},
      context: { maxImages: 1, maxRequestTokens: 1 },
      cacheMode: 'off',
    },
    status: 'running',
  };
}

function writeSmallRun(dir: string): TranscriptWriter {
  const writer = new TranscriptWriter(dir, header('small'), { secrets: [KEY] });
  writer.append({
    type: 'run_start',
    question: 'q?',
    subject: 'synthetic:maia/mono-dog',
    backbone: 'scripted',
    model: 'm',
  });
  writer.append({
    type: 'error',
    where: 'model',
    message: `openai API error 401: bad key …${KEY.slice(-7)}`,
  });
  writer.append({
    type: 'run_end',
    status: 'error',
    steps: 0,
    usage: { inputTokens: 0, outputTokens: 0 },
    wallMs: 1,
  });
  writer.updateHeader({ status: 'error' });
  writer.close();
  return writer;
}

describe('TranscriptWriter', () => {
  it('links each event to the line before it and commits the header to the last line', () => {
    const dir = join(root, 'chain');
    writeSmallRun(dir);
    const lines = readFileSync(join(dir, 'events.jsonl'), 'utf8').trimEnd().split('\n');
    const prevs = lines.map((line) => (JSON.parse(line) as { prev: string }).prev);
    expect(prevs).toEqual([chainSeed('small'), sha256(lines[0] ?? ''), sha256(lines[1] ?? '')]);
    const stored = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunHeader;
    expect(stored.chain).toEqual({ events: 3, last: sha256(lines[2] ?? '') });
    expect(readRun(dir).problems).toEqual([]);
  });

  it('writes no piece of a known secret into events or header', () => {
    const dir = join(root, 'secret');
    writeSmallRun(dir);
    const events = readFileSync(join(dir, 'events.jsonl'), 'utf8');
    expect(events).not.toContain(KEY.slice(-7));
    expect(events).toContain('bad key …[redacted]');
  });

  it('refuses a directory that holds another run, a non-empty one and a file, each by name', () => {
    const used = join(root, 'used');
    writeSmallRun(used);
    expect(() => new TranscriptWriter(used, header('again'))).toThrow(
      `the run directory ${used} already holds a run; name a new directory (runs are never appended to)`,
    );
    // Nothing of the first run was touched.
    expect(readRun(used).problems).toEqual([]);
    const other = join(root, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'mine');
    expect(() => assertNewRunDir(other, '--out')).toThrow(/^--out .*other is not empty \(notes\.txt\)/);
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    expect(() => assertNewRunDir(file, '--out')).toThrow(/^--out .*a-file is a file, not a directory/);
    expect(() => assertNewRunDir(join(root, 'fresh'))).not.toThrow();
  });
});
