import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { investigate } from '../../../agent/investigate.ts';
import { readRun } from '../../../agent/transcript/read.ts';
import { verifyRun } from '../../../agent/verify.ts';
import { MONO_DOG_SCRIPT, recordRun } from '../helpers/record-run.ts';

/**
 * The whole chain: a recorded run re-driven through the real loop by the replay backbone makes the
 * same experiments with the same result hashes, and `--verify` finds the loop's own transcript clean.
 * (It also keeps the test helper honest: it must record exactly as the loop does.)
 */

const root = mkdtempSync(join(tmpdir(), 'aia-roundtrip-'));
const cacheDir = join(root, 'cache');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const resultHashes = (dir: string) =>
  readRun(dir).events.flatMap((e) => (e.type === 'tool_call' ? [`${e.ref} ${e.tool} ${e.resultHash}`] : []));

describe('record → replay through the loop → verify', () => {
  it('reproduces every tool result and verifies clean', async () => {
    const recorded = join(root, 'recorded');
    await recordRun({ dir: recorded, subject: 'synthetic:maia/mono-dog', cacheDir, steps: MONO_DOG_SCRIPT });
    const replayed = join(root, 'replayed');
    const result = await investigate({
      subject: 'synthetic:maia/mono-dog',
      question: 'What does the unit detect?',
      backbone: 'replay',
      replayOf: recorded,
      runDir: replayed,
      cacheDir,
      probeSetSize: 50,
      progress: false,
    });
    expect(result.status).toBe('answered');
    expect(result.answer?.formula).toBe('dog');
    expect(resultHashes(replayed)).toEqual(resultHashes(recorded));
    const verified = await verifyRun(replayed, { cacheDir, probeSetSize: 50 });
    expect(verified).toMatchObject({ checked: 7, divergences: [], warnings: [] });
  });
});
