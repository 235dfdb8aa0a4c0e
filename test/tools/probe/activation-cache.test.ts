import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  copyFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeProbeSet } from '../../../stimuli/probeset.ts';
import { SyntheticSubject } from '../../../subjects/synthetic/index.ts';
import { ActivationCache, computeSiteActivations } from '../../../tools/cache/activation-cache.ts';
import { readCacheFile, writeCacheFile } from '../../../tools/cache/cache-file.ts';
import { probeSetScenes } from '../../../tools/cache/probe-scenes.ts';
import { loadProbe } from '../../../tools/probe/load.ts';
import { ONNX_BATCH, type OnnxProbe } from '../../../tools/probe/onnx-probe.ts';
import { SyntheticProbe } from '../../../tools/probe/synthetic-probe.ts';

const root = mkdtempSync(join(tmpdir(), 'aia-activation-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const probe = new SyntheticProbe(
  new SyntheticSubject([
    { id: 'dog', family: 'mono', concept: 'dog' },
    { id: 'grass', family: 'mono', concept: 'grass' },
    // Units that read item geometry, words, hues and noise: the pass over annotations alone (no
    // images, masks derived on demand, blind scenes skipped) must still give what full scenes give.
    { id: 'animal-and-grass', family: 'and', concepts: ['animal', 'grass'] },
    { id: 'big-shape', family: 'size', concept: 'shape', band: 'large' },
    { id: 'red', family: 'graded', hue: 'red' },
    { id: 'text', family: 'word', noise: { kind: 'gaussian', level: 0.05 } },
    { id: 'few-animals', family: 'formula', formula: 'count(animal) <= 1' },
  ]),
);
const set = await makeProbeSet({ n: 40, seed: 3, size: 64, cacheDir: join(root, 'sets'), workers: 0 });
afterAll(() => set.close());

describe('activation cache', () => {
  it('computes what the probe reports scene by scene, with per-unit means', async () => {
    const record = await computeSiteActivations(probe, set, 'synthetic');
    const scenes = await probeSetScenes(set, Array.from({ length: 40 }, (_, i) => i));
    expect(record.values).toEqual(await probe.sceneValues(scenes, 'synthetic'));
    const means = await probe.unitMeans(scenes, 'synthetic');
    expect(Array.from(record.means).map((m) => m.toFixed(5))).toEqual(Array.from(means).map((m) => m.toFixed(5)));
    expect([record.n, record.units, record.positions, record.probeSetId]).toEqual([40, 7, 196, set.id]);
  }); // prettier-ignore

  it('stores once and reads back from disk in a later session', async () => {
    const dir = join(root, 'a');
    const first = await new ActivationCache(dir).get(probe, set, 'synthetic');
    expect(first.fromCache).toBe(false);
    const again = await new ActivationCache(dir).get(probe, set, 'synthetic');
    expect(again.fromCache).toBe(true);
    expect(again.values).toEqual(first.values);
    expect(again.means).toEqual(first.means);
    // One file, no temporaries left behind.
    const files = readdirSync(join(dir, probe.hash.slice(0, 16), set.id));
    expect(files).toEqual(['synthetic.bin']);
    await expect(new ActivationCache(dir).get(probe, set, 'nope')).rejects.toThrow(/unknown site 'nope'/);
  });

  it('detects a corrupt, truncated or foreign file and rebuilds it', async () => {
    const dir = join(root, 'b');
    const cache = new ActivationCache(dir);
    const good = await cache.get(probe, set, 'synthetic');
    const path = cache.path(probe.hash, set.id, 'synthetic');
    const key = { subjectHash: probe.hash, site: 'synthetic', probeSetId: set.id };
    const bytes = readFileSync(path);

    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 5] = (flipped[flipped.length - 5] ?? 0) ^ 0xff;
    writeFileSync(path, flipped);
    expect(readCacheFile(path, key)).toEqual({ ok: false, reason: 'checksum mismatch' });
    const rebuilt = await new ActivationCache(dir).get(probe, set, 'synthetic');
    expect(rebuilt.fromCache).toBe(false);
    expect(rebuilt.values).toEqual(good.values);
    expect(readCacheFile(path, key).ok).toBe(true);

    writeFileSync(path, bytes.subarray(0, bytes.length - 8));
    expect(readCacheFile(path, key)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/payload has/),
    });
    writeFileSync(path, Buffer.from('not a cache file'));
    expect(readCacheFile(path, key)).toEqual({ ok: false, reason: 'bad magic' });
    expect((await new ActivationCache(dir).get(probe, set, 'synthetic')).fromCache).toBe(false);

    // A valid file for another key is not taken for this one.
    const other = join(dir, 'other.bin');
    copyFileSync(path, other);
    expect(readCacheFile(other, { ...key, site: 'final_conv' })).toEqual({
      ok: false,
      reason: 'key mismatch',
    });
  });

  it('writes atomically: a crash mid-write leaves only a temporary, never a torn cache file', () => {
    const path = join(root, 'c', 'site.bin');
    const record = {
      subjectHash: 'h', site: 's', probeSetId: 'p', n: 2, units: 2, positions: 1,
      values: Float32Array.of(1, 2, 3, 4), means: Float32Array.of(2, 3),
    }; // prettier-ignore
    writeCacheFile(path, record);
    // A stray temporary from a crashed writer is ignored by readers.
    writeFileSync(`${path}.tmp-999-x`, Buffer.from('half'));
    const read = readCacheFile(path, { subjectHash: 'h', site: 's', probeSetId: 'p' });
    expect(read.ok && Array.from(read.record.values)).toEqual([1, 2, 3, 4]);
    expect(() => writeCacheFile(path, { ...record, means: Float32Array.of(1) })).toThrow(
      /inconsistent sizes/,
    );
    expect(existsSync(path)).toBe(true);
  });

  it('runs ONNX batches (the last one partial) and gets the values of running the images directly', async () => {
    const cls = (await loadProbe('paddle-ocr-cls')) as OnnxProbe;
    const lines = await makeProbeSet({
      n: ONNX_BATCH * 2 + 3, seed: 4, size: 192, height: 48, distribution: 'text-lines',
      cacheDir: join(root, 'sets'), workers: 0,
    }); // prettier-ignore
    const record = await computeSiteActivations(cls, lines, 'final_conv');
    const images = await lines.images([0, 1, ONNX_BATCH + 5, lines.n - 1]);
    const direct = await cls.siteValues(images, 'final_conv');
    for (const [k, i] of [0, 1, ONNX_BATCH + 5, lines.n - 1].entries()) {
      expect(Array.from(record.values.subarray(i * 200, (i + 1) * 200))).toEqual(Array.from(direct.subarray(k * 200, (k + 1) * 200)));
    }
    // Many sites in one pass (pooled inside the graph) give what each site alone gives, and are stored.
    const dir = join(root, 'many');
    const cache = new ActivationCache(dir);
    const many = await cache.getMany(cls, lines, ['final_conv', 'stem', 'softmax_0.tmp_0']);
    expect(many.map((m) => m.fromCache)).toEqual([false, false, false]);
    expect(Array.from(many[0]?.values ?? [])).toEqual(Array.from(record.values));
    many[0]?.means.forEach((m, u) => expect(m).toBeCloseTo(record.means[u] ?? NaN, 4));
    const stem = await computeSiteActivations(cls, lines, 'stem');
    expect(Array.from(many[1]?.values ?? [])).toEqual(Array.from(stem.values));
    expect(many[1]?.positions).toBe(stem.positions);
    const again = await new ActivationCache(dir).getMany(cls, lines, ['stem', 'final_conv']);
    expect(again.map((m) => m.fromCache)).toEqual([true, true]);
    lines.close();
    await cls.dispose();
  }, 60_000); // prettier-ignore
});
