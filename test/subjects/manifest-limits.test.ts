import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSubject } from '../../subjects/load.ts';
import { parseManifest, type SubjectManifestInput } from '../../subjects/manifest.ts';
import { projectPath } from '../../util/paths.ts';
import { loadProbe } from '../../tools/probe/load.ts';

/**
 * Manifests and unit files that would load and then misbehave — an input so large the kernel kills
 * the process, labels that do not match the output, a unit keyed on a concept no scene has — are
 * refused when they load, each with what is wrong and how to fix it.
 */

const clsManifest = JSON.parse(
  readFileSync(projectPath(join('zoo', 'paddle-ocr-cls', 'subject.json')), 'utf8'),
) as SubjectManifestInput & { output: { labels: string[] } };

describe('manifest limits', () => {
  it('refuses an input of 1×3×4000×4000 before anything runs, naming its size and the limit', () => {
    expect(() =>
      parseManifest({ modality: 'image', input: { exampleShape: [1, 3, 4000, 4000] } }, 'manifest m.json'),
    ).toThrow(
      /manifest m\.json is invalid:\n.*shape \[1, 3, 4000, 4000\] has 48,000,000 values, more than the 3,145,728 \(3 × 1024 × 1024\) a subject may take; declare a smaller example input\n.*input\.exampleShape/s,
    );
  });

  it('refuses a resize that makes an input too large, and an absurd side', () => {
    const stretch = {
      modality: 'image',
      input: { preprocess: { resize: { mode: 'stretch', height: 4000, width: 4000 } } },
    };
    expect(() => parseManifest(stretch)).toThrow(
      /resizing to 4000×4000 px makes an input of more than 3,145,728 values/,
    );
    const side = {
      modality: 'image',
      input: { preprocess: { resize: { mode: 'limit-side', limitSide: 100_000 } } },
    };
    expect(() => parseManifest(side)).toThrow(/at most 4096 \(a side of the input image, in pixels\)/);
  });

  it('keeps the zoo manifests valid', () => {
    expect(() => parseManifest(clsManifest)).not.toThrow();
  });

  it('refuses one label for a two-class output, naming both counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aia-labels-'));
    const path = join(dir, 'subject.json');
    writeFileSync(path, JSON.stringify({ ...clsManifest, output: { ...clsManifest.output, labels: ['0'] } }));
    try {
      await expect(loadSubject(path, { cacheDir: false })).rejects.toThrow(
        `subject '${path}': output.labels lists 1 label but output 'softmax_0.tmp_0' has 2 classes; ` +
          'give exactly one label per class, in output order',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('synthetic unit files', () => {
  it('refuse a unit keyed on a concept no scene contains, with the nearest names', async () => {
    await expect(loadProbe('synthetic:[{"id":"u","family":"mono","concept":"unicorn"}]')).rejects.toThrow(
      /^synthetic unit 'u' names concept 'unicorn', which no scene contains, so the unit would never fire/,
    );
    await expect(loadProbe('synthetic:[{"id":"u","family":"mono","concept":"dgo"}]')).rejects.toThrow(
      /names concept 'dgo'.*; did you mean 'dog'/,
    );
    // A synonym loads nothing either (masks carry the vocabulary's own name): the fix is that name.
    await expect(loadProbe('synthetic:[{"id":"u","family":"mono","concept":"dogs"}]')).rejects.toThrow(
      /names concept 'dogs'.*; did you mean 'dog'\?/,
    );
  });

  it('load units whose concepts scenes can show', async () => {
    const probe = await loadProbe('synthetic:[{"id":"u","family":"or","concepts":["dog","cat"]}]');
    expect(probe.kind).toBe('synthetic');
    await probe.dispose();
  });
});
