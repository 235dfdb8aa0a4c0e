import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashValue } from '../../../agent/hash.ts';
import { formatVerifyResult, verifyPassed, verifyRun } from '../../../agent/verify.ts';
import { MONO_DOG_SCRIPT, recordRun } from '../helpers/record-run.ts';

/** `aia replay --verify` as a library call: re-run every recorded tool call and compare result hashes. */

const root = mkdtempSync(join(tmpdir(), 'aia-verify-'));
const cacheDir = join(root, 'cache');
const runDir = join(root, 'run');
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A probe-set scene makes the result depend on the run's seed and probe-set size.
const SCRIPT = [
  ...MONO_DOG_SCRIPT.slice(0, -1),
  { calls: [{ name: 'render_scenes', args: { stimuli: [{ probe_scene: 3 }] } }] },
  ...MONO_DOG_SCRIPT.slice(-1),
];

beforeAll(async () => {
  await recordRun({
    dir: runDir,
    subject: 'synthetic:maia/mono-dog',
    cacheDir,
    steps: SCRIPT,
    inlineDataLimit: 400,
  });
});

type Json = Record<string, unknown>;

/** A copy of the recorded run with its events (and optionally its header) edited. */
function copyWith(
  name: string,
  editEvent: (event: Json) => void,
  editHeader?: (header: Json) => void,
): string {
  const dir = join(root, name);
  cpSync(runDir, dir, { recursive: true });
  const lines = readFileSync(join(runDir, 'events.jsonl'), 'utf8').trimEnd().split('\n');
  const edited = lines.map((line) => {
    const event = JSON.parse(line) as Json;
    editEvent(event);
    return JSON.stringify(event);
  });
  writeFileSync(join(dir, 'events.jsonl'), `${edited.join('\n')}\n`);
  if (editHeader) {
    const header = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Json;
    editHeader(header);
    writeFileSync(join(dir, 'run.json'), JSON.stringify(header));
  }
  return dir;
}

const onRef = (ref: string, change: (event: Json) => void) => (event: Json) => {
  if (event.type === 'tool_call' && event.ref === ref) change(event);
};

describe('verifyRun', () => {
  it('re-runs every tool call of an untouched run, errors included, with no divergence', async () => {
    const progress: string[] = [];
    const result = await verifyRun(runDir, {
      cacheDir,
      onProgress: (done, total, event) => progress.push(`${done}/${total} ${event.ref}`),
    });
    expect(result.checked).toBe(8);
    expect(result.divergences).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(progress[0]).toBe('1/8 c1');
    expect(progress.at(-1)).toBe('8/8 c8');
    expect(result.problems).toEqual([]);
    expect(verifyPassed(result)).toBe(true);
    expect(formatVerifyResult(result)).toBe(
      'integrity: intact (hash chain, blobs, header and events agree; the run ended)\n' +
        '8 tool calls re-run, 0 divergences',
    );
  });

  it('reports a tampered resultHash as a divergence of the hash alone, naming the ref', async () => {
    const dir = copyWith(
      'hash',
      onRef('c3', (e) => (e.resultHash = '0'.repeat(64))),
    );
    const result = await verifyRun(dir, { cacheDir });
    expect(result.checked).toBe(8);
    expect(result.divergences).toHaveLength(1);
    const [d] = result.divergences;
    expect(d).toMatchObject({
      ref: 'c3',
      tool: 'record_hypothesis',
      step: 2,
      parts: ['hash'],
      recordedHash: '0'.repeat(64),
    });
    // The edit breaks the chain at the next line, found before anything is re-run.
    expect(result.problems).toEqual([expect.stringMatching(/line 7 does not follow the line before it/)]);
    expect(formatVerifyResult(result)).toMatch(
      /^integrity: 1 problem: .*\nproblem: .*line 7 .*\n8 tool calls re-run, 1 divergence\nc3 \(step 2, record_hypothesis\): hash differ/,
    );
  });

  it('changed arguments (with their hash kept consistent) diverge in the parts they change, with hints', async () => {
    const args = JSON.stringify({ stimuli: ['a dog on grass', 'a cat on snow'] });
    const dir = copyWith(
      'args',
      onRef('c2', (e) => {
        e.arguments = args;
        e.argsHash = hashValue(args);
      }),
    );
    const { divergences } = await verifyRun(dir, { cacheDir });
    expect(divergences.map((d) => d.ref)).toEqual(['c2']);
    const [d] = divergences;
    expect(d?.parts).toEqual(['text', 'images', 'data']);
    expect(d?.hints[0]).toMatch(/^line 2: recorded ".*cat on sand.*", now ".*cat on snow.*"$/);
    expect(d?.hints[1]).toBe(
      'image 1: pixels differ; image 1: caption "stimulus 1: a cat on sand" now "stimulus 1: a cat on snow"',
    );
    expect(d?.hints[2]).toMatch(/^data\.scenes\[1\]/);
  });

  it('arguments edited behind their argsHash are a divergence even when the result happens to agree', async () => {
    // The error message does not quote the hypothesis text, so the result is unchanged.
    const dir = copyWith(
      'args-only',
      onRef('c4', (e) => (e.arguments = '{"text":"y","revises":"h9"}')),
    );
    const { divergences } = await verifyRun(dir, { cacheDir });
    expect(divergences).toHaveLength(1);
    expect(divergences[0]).toMatchObject({ ref: 'c4', parts: ['arguments'] });
    expect(divergences[0]?.hints[0]).toMatch(/do not match their recorded argsHash/);
  });

  it('a recorded result edited after the run (its hash left alone) is a divergence of that part', async () => {
    const dir = copyWith(
      'text',
      onRef('c2', (e) => (e.text = String(e.text).replace('a cat on sand', 'a cat on snow'))),
    );
    const { divergences } = await verifyRun(dir, { cacheDir });
    expect(divergences).toHaveLength(1);
    expect(divergences[0]).toMatchObject({ ref: 'c2', parts: ['text'] });
    expect(divergences[0]?.hints[0]).toMatch(/^line 2: recorded ".*snow.*", now ".*sand.*"$/);
    expect(divergences[0]?.recordedHash).toBe(divergences[0]?.rerunHash);
  });

  it('an error must reproduce with the same message: a fixed call is a divergence of ok', async () => {
    const args = '{"stimuli": ["a dog"]}';
    const dir = copyWith(
      'error',
      onRef('c5', (e) => {
        e.arguments = args;
        e.argsHash = hashValue(args);
      }),
    );
    const { divergences } = await verifyRun(dir, { cacheDir });
    expect(divergences).toHaveLength(1);
    expect(divergences[0]).toMatchObject({ ref: 'c5', parts: ['ok', 'text', 'images', 'data'] });
    expect(divergences[0]?.hints[0]).toBe('recorded an error, now a result');
  });

  it('data kept as a JSON blob is read back for the hint; a missing one is a warning', async () => {
    const dir = copyWith(
      'blob',
      onRef('c7', (e) => (e.resultHash = '1'.repeat(64))),
    );
    const withBlob = await verifyRun(dir, { cacheDir });
    expect(withBlob.divergences[0]?.parts).toEqual(['hash']);
    const blob = (JSON.parse(readFileSync(join(dir, 'events.jsonl'), 'utf8').split('\n')[13] ?? '{}') as Json)
      .dataBlob;
    expect(typeof blob).toBe('string');
    rmSync(join(dir, 'blobs', `${String(blob)}.json`));
    const without = await verifyRun(dir, { cacheDir });
    expect(without.divergences[0]?.parts).toEqual(['hash']);
    expect(without.warnings.join('\n')).toMatch(
      /c7: its data could not be read back \(blob missing from the run: .*\.json\)/,
    );
  });

  it('uses the run header seed: the same calls under another seed diverge where scenes are drawn', async () => {
    const dir = copyWith(
      'seed',
      () => undefined,
      (header) => ((header.config as Json).seed = 2),
    );
    const { divergences } = await verifyRun(dir, { cacheDir });
    expect(divergences.map((d) => `${d.ref} ${d.tool}`)).toEqual(['c2 render_scenes', 'c7 render_scenes']);
  });

  it('warns when the subject is not the one the run recorded', async () => {
    const dir = copyWith(
      'subject',
      () => undefined,
      (header) => ((header.subject as Json).hash = 'f'.repeat(64)),
    );
    const { divergences, warnings } = await verifyRun(dir, { cacheDir });
    expect(divergences).toEqual([]);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^the subject synthetic:maia\/mono-dog is not the one recorded \(hash [0-9a-f]{12}…, recorded f{12}…\)/,
      ),
    ]);
  });
});

/** The damage a reviewer relies on verify to catch: each is named, and each fails verification. */
describe('verifyRun: integrity first', () => {
  function copyRaw(name: string): string {
    const dir = join(root, name);
    cpSync(runDir, dir, { recursive: true });
    return dir;
  }
  const imageHashes = (dir: string): string[] =>
    readFileSync(join(dir, 'events.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .flatMap((line) => (JSON.parse(line) as { images?: { sha256: string }[] }).images ?? [])
      .map((image) => image.sha256);

  async function problemsOf(dir: string): Promise<string[]> {
    const result = await verifyRun(dir, { cacheDir });
    expect(verifyPassed(result)).toBe(false);
    return result.problems;
  }

  it('a blob replaced by another PNG: named, though every event is untouched', async () => {
    const dir = copyRaw('blob-swapped');
    const [first, second] = [...new Set(imageHashes(dir))];
    cpSync(join(dir, 'blobs', `${second}.png`), join(dir, 'blobs', `${first}.png`));
    expect(await problemsOf(dir)).toEqual([
      expect.stringMatching(new RegExp(`blob ${first}\\.png named by c\\d+ .* does not match its name`)),
    ]);
  });

  it('a deleted blob', async () => {
    const dir = copyRaw('blob-deleted');
    const [first] = imageHashes(dir);
    rmSync(join(dir, 'blobs', `${first}.png`));
    expect((await problemsOf(dir)).join('\n')).toMatch(
      new RegExp(`blob ${first}\\.png named by .* is missing`),
    );
  });

  it('an empty events.jsonl: nothing to re-run is a failure, not "0 divergences"', async () => {
    const dir = copyRaw('empty');
    writeFileSync(join(dir, 'events.jsonl'), '');
    const problems = (await problemsOf(dir)).join('\n');
    expect(problems).toMatch(/holds no events/);
    expect(problems).toMatch(/run\.json records 18 events but events\.jsonl holds 0 lines/);
    expect(problems).toMatch(/holds an answer that events\.jsonl does not record/);
  });

  it('a truncated events.jsonl (whole lines lost from the end)', async () => {
    const dir = copyRaw('truncated');
    const lines = readFileSync(join(dir, 'events.jsonl'), 'utf8').trimEnd().split('\n');
    writeFileSync(join(dir, 'events.jsonl'), `${lines.slice(0, 10).join('\n')}\n`);
    const problems = (await problemsOf(dir)).join('\n');
    expect(problems).toMatch(
      /run\.json records 18 events but events\.jsonl holds 10 lines: events were lost/,
    );
    expect(problems).toMatch(/run\.json says the run ended \(answered\) but events\.jsonl has no run_end/);
  });

  it('an answer edited in run.json', async () => {
    const dir = copyWith(
      'answer-edited',
      () => undefined,
      (header) => (((header.result as Json).answer as Json).description = 'cats, clearly'),
    );
    expect(await problemsOf(dir)).toEqual([
      "run.json's answer is not the last answer the run recorded: run.json was edited",
    ]);
  });

  it('a second run appended into the first', async () => {
    const dir = copyRaw('appended');
    const text = readFileSync(join(dir, 'events.jsonl'), 'utf8');
    writeFileSync(join(dir, 'events.jsonl'), text + text);
    const problems = (await problemsOf(dir)).join('\n');
    expect(problems).toMatch(/holds 2 run_start events/);
    expect(problems).toMatch(/event 19 has seq 1 /);
    expect(problems).toMatch(/line 19 does not start this run's chain|line 19 does not follow/);
    expect(problems).toMatch(
      /run\.json records 18 events but events\.jsonl holds 36 lines: events were added/,
    );
  });
});
