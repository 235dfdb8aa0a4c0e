import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { loadSubject } from '../../subjects/load.ts';
import { forgetSiteTables } from '../../subjects/onnx/discover.ts';
import { encodeModel } from '../../subjects/onnx/proto.ts';
import { zooEntries } from '../../subjects/zoo.ts';
import { reference, tinyModel, W, writeTinyModel, X } from './fixtures.ts';

const input = new ort.Tensor('float32', Float32Array.from(X.flat(3)), [2, 2, 2, 2]);

describe('loading subjects', () => {
  it('finds <model>.subject.json beside the model and names the subject from it', async () => {
    const path = writeTinyModel('initializer', {
      name: 'tiny-net',
      modality: 'other',
      output: { labels: ['no', 'yes'] },
    });
    const subject = await loadSubject(path, { cacheDir: false });
    expect(subject.name).toBe('tiny-net');
    expect(subject.labels).toEqual(['no', 'yes']);
    expect(subject.hash).toMatch(/^[0-9a-f]{64}$/);
    await subject.dispose();
  });

  it('loads a manifest file whose "model" names the ONNX file', async () => {
    const path = writeTinyModel('constant');
    const manifestPath = join(path, '..', 'custom.json');
    writeFileSync(
      manifestPath,
      JSON.stringify({ name: 'via-manifest', modality: 'image', model: 'tiny.onnx' }),
    );
    const subject = await loadSubject(manifestPath, { cacheDir: false });
    expect(subject.name).toBe('via-manifest');
    expect(subject.sites().length).toBe(9);
    await subject.dispose();
  });

  it('reads weights kept in an external data file next to the model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aia-external-'));
    const model = tinyModel('initializer');
    const weights = Float32Array.from(W.flat());
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(weights.buffer));
    const initializers = model.graph?.initializer ?? [];
    const index = initializers.findIndex((t) => t.name === 'W');
    initializers[index] = {
      name: 'W',
      dims: [3, 2, 1, 1],
      data_type: 1,
      data_location: 1,
      external_data: [
        { key: 'location', value: 'weights.bin' },
        { key: 'offset', value: '0' },
        { key: 'length', value: String(weights.byteLength) },
      ],
    };
    writeFileSync(join(dir, 'model.onnx'), encodeModel(model));
    const subject = await loadSubject(join(dir, 'model.onnx'), { cacheDir: false });
    const { sites } = await subject.read(input, ['conv']);
    const want = reference(X).conv.flat(3);
    Array.from(sites.conv?.data as Float32Array).forEach((v, i) => expect(v).toBeCloseTo(want[i] ?? NaN, 5));
    await subject.dispose();
  });

  it('writes the site table to the cache folder once, keyed by model hash and example input', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'aia-cache-'));
    const path = writeTinyModel('initializer', undefined, `cache-test-${Date.now()}`);
    const first = await loadSubject(path, { cacheDir });
    const files = readdirSync(join(cacheDir, 'subjects'));
    expect(files).toEqual([
      expect.stringMatching(new RegExp(`^sites-v1-${first.hash.slice(0, 32)}-[0-9a-f]{12}\\.json$`)),
    ]);
    const second = await loadSubject(path, { cacheDir });
    expect(second.sites()).toEqual(first.sites());
    expect(readdirSync(join(cacheDir, 'subjects'))).toEqual(files);

    // A fresh process reads the table from disk instead of running the model: mark the file to see it.
    const file = join(cacheDir, 'subjects', files[0] ?? '');
    const table = JSON.parse(readFileSync(file, 'utf8')) as { sites: { op: string }[] };
    table.sites[0] = { ...table.sites[0], op: 'FromDisk' };
    writeFileSync(file, JSON.stringify(table));
    forgetSiteTables();
    const third = await loadSubject(path, { cacheDir });
    expect(third.sites()[0]?.op).toBe('FromDisk');
    await third.dispose();
    await Promise.all([first.dispose(), second.dispose()]);
  });

  it('has a committed manifest and an installed model for every zoo subject', () => {
    const entries = zooEntries();
    expect(entries.map((e) => e.name)).toEqual([
      'boats-balanced',
      'boats-biased',
      'fashion-normal',
      'fashion-spurious',
      'lm-backdoor',
      'lm-clean',
      'lm-planted',
      'paddle-ocr-cls',
      'paddle-ocr-det',
      'paddle-ocr-rec',
      'planted-cnn',
    ]);
    for (const entry of entries) {
      expect(entry.installed).toBe(true);
      expect(existsSync(entry.modelPath)).toBe(true);
      // Organisms trained here: a committed model.onnx, RGB input, our licence.
      if (entry.manifest.modality === 'text') {
        // Our own GPTs: a committed model and the tokenizer trained with it.
        expect(entry.manifest.source?.licence).toBe('MIT');
        expect(existsSync(join(dirname(entry.modelPath), 'tokenizer.json'))).toBe(true);
        continue;
      }
      if (!entry.name.startsWith('paddle-')) {
        expect(entry.manifest.source?.licence).toBe('MIT');
        expect(entry.manifest.input?.preprocess?.channelOrder).toBe('RGB');
        continue;
      }
      expect(entry.manifest.source?.licence).toBe('Apache-2.0');
      expect(entry.manifest.source?.distribution).toMatch(/MIT/);
      expect(entry.manifest.input?.preprocess?.channelOrder).toBe('BGR');
    }
  });
});
