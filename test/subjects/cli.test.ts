import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderTextAlpha } from '../../stimuli/font.ts';
import { encodePng } from '../../util/image.ts';
import { cliRunner } from '../helpers/cli.ts';

/** The CLI commands of the subjects layer, run as a user would: `aia models | inspect | probe`. */

const { dir, aia } = cliRunner('aia-cli-');

const image = join(dir, 'hello.png');

beforeAll(async () => {
  const alpha = await renderTextAlpha('Hello world', 36);
  const width = alpha.width + 16;
  const data = new Uint8Array(width * 48 * 3).fill(255);
  for (let y = 0; y < alpha.height; y++) {
    for (let x = 0; x < alpha.width; x++) {
      const v = Math.round(255 * (1 - (alpha.alpha[y * alpha.width + x] ?? 0) / 255));
      const p = ((y + 6) * width + x + 8) * 3;
      data.fill(v, p, p + 3);
    }
  }
  writeFileSync(image, await encodePng({ width, height: 48, data }));
});

describe.concurrent('aia models / inspect / probe', () => {
  it('models lists the zoo', async () => {
    const { code, stdout } = await aia('models', '--json');
    expect(code).toBe(0);
    const models = JSON.parse(stdout) as { name: string; installed: boolean; source: { licence: string } }[];
    expect(models.map((m) => [m.name, m.installed, m.source.licence])).toEqual([
      ['boats-balanced', true, 'MIT'],
      ['boats-biased', true, 'MIT'],
      ['fashion-normal', true, 'MIT'],
      ['fashion-spurious', true, 'MIT'],
      ['lm-backdoor', true, 'MIT'],
      ['lm-clean', true, 'MIT'],
      ['lm-planted', true, 'MIT'],
      ['paddle-ocr-cls', true, 'Apache-2.0'],
      ['paddle-ocr-det', true, 'Apache-2.0'],
      ['paddle-ocr-rec', true, 'Apache-2.0'],
      ['planted-cnn', true, 'MIT'],
    ]);
  });

  it('inspect prints the sites table', async () => {
    const { code, stdout } = await aia('inspect', 'paddle-ocr-cls');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^paddle-ocr-cls {2}sha256 [0-9a-f]{16}… {2}215 sites/);
    expect(stdout).toMatch(/conv2d_94\.tmp_0 +final_conv, conv53 +Conv +N×200×2×96 +200/);
  });

  it('probe summarises a unit and writes a heatmap the size of the image', async () => {
    const heatmap = join(dir, 'heat.png');
    const { code, stdout } = await aia(
      'probe',
      'paddle-ocr-cls',
      'final_conv:7',
      '--image',
      image,
      '--out',
      heatmap,
      '--json',
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      unit: { unit: string; max: number; mean: number; mapWidth: number; mapHeight: number };
      prediction: { scores: { label: string }[] };
    };
    expect(result.unit).toMatchObject({ unit: 'conv2d_94.tmp_0:7', mapWidth: 96, mapHeight: 2 });
    expect(result.unit.max).toBeGreaterThanOrEqual(result.unit.mean);
    expect(result.prediction.scores[0]?.label).toBe('0');
    const meta = await sharp(heatmap).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 190, 48]);
  });

  it('probe --ablate reports the output change', async () => {
    const units = Array.from({ length: 200 }, (_, u) => `final_conv:${u}`).join(',');
    const { code, stdout } = await aia(
      'probe',
      'paddle-ocr-cls',
      'final_block:7',
      '--image',
      image,
      '--ablate',
      units,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/ablated \(zero\): conv2d_94\.tmp_0:0, conv2d_94\.tmp_0:1,/);
    expect(stdout).toMatch(/label +before +after +change/);
    expect(stdout).toMatch(/top class: 0 → (0|180) \((no flip|flipped)\)/);
    const [, before, after] = /logits \(p2o\.Add\.87\): \[(.*)\] → \[(.*)\]/.exec(stdout) ?? [];
    expect(before).toBeDefined();
    expect(after).not.toBe(before);
  });

  it('fails with one line and exit code 1 on bad input', async () => {
    // The messages of every kind of bad input are tested at the library level (errors.test.ts);
    // here: that the CLI turns them into one line on stderr and exit code 1.
    const cases: [string[], RegExp][] = [
      [['inspect', join(dir, 'missing.onnx')], /^error: model file '.*missing\.onnx' does not exist\n$/],
      [
        ['probe', 'paddle-ocr-cls', 'final_conv:999', '--image', image],
        /^error: unit 999 is out of range for site 'conv2d_94\.tmp_0': it has 200 units \(units 0–199\)\n$/,
      ],
    ];
    const results = await Promise.all(cases.map(([args]) => aia(...args)));
    results.forEach(({ code, stdout, stderr }, i) => {
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(cases[i]?.[1] ?? /never/);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    });
  });
});
