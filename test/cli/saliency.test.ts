import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderTextAlpha } from '../../stimuli/font.ts';
import { encodePng } from '../../util/image.ts';
import { cliRunner } from '../helpers/cli.ts';

/** `aia saliency` run as a user would, on the PaddleOCR classifier. */

const { dir, aia } = cliRunner('aia-cli-saliency-');
const image = join(dir, 'hello.png');

beforeAll(async () => {
  const alpha = await renderTextAlpha('Hello', 36);
  const width = alpha.width + 16;
  const data = new Uint8Array(width * 48 * 3).fill(255);
  for (let y = 0; y < alpha.height; y++) {
    for (let x = 0; x < alpha.width; x++) {
      const v = Math.round(255 * (1 - (alpha.alpha[y * alpha.width + x] ?? 0) / 255));
      data.fill(v, ((y + 6) * width + x + 8) * 3, ((y + 6) * width + x + 8) * 3 + 3);
    }
  }
  writeFileSync(image, await encodePng({ width, height: 48, data }));
});

interface SaliencyJson {
  method: string;
  target: { label?: string; unit?: string };
  explains: string;
  score: number;
  width: number;
  height: number;
  map: number[];
}

describe.concurrent('aia saliency', () => {
  it('Grad-CAM of a label writes a map over the image and reports it as JSON', async () => {
    const out = join(dir, 'gradcam.png');
    const { code, stdout, stderr } = await aia(
      'saliency',
      'paddle-ocr-cls',
      '--image',
      image,
      '--method',
      'gradcam',
      '--target',
      '0',
      '-o',
      out,
      '--json',
    );
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as SaliencyJson;
    expect(result.explains).toMatch(/^Grad-CAM at .*logit of '0'$/);
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height]).toEqual([result.width, result.height]);
    expect(result.map).toHaveLength(result.width * result.height);
    expect(Math.max(...result.map)).toBeGreaterThan(0);
  });

  it('Integrated Gradients of a unit with options, and an unknown target is named', async () => {
    const { code, stdout, stderr } = await aia(
      'saliency',
      'paddle-ocr-cls',
      '--image',
      image,
      '--method',
      'integrated_gradients',
      '--steps',
      '4',
      '--baseline',
      'white',
      '--target',
      'final_conv:3',
      '--json',
    );
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as SaliencyJson;
    expect(result.target.unit).toBe('conv2d_94.tmp_0:3');
    expect(result.explains).toMatch(/4 steps from a white image/);
    const bad = await aia(
      'saliency',
      'paddle-ocr-cls',
      '--image',
      image,
      '--target',
      '90',
      '-o',
      join(dir, 'x.png'),
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/no output label '90'/);
    expect(existsSync(join(dir, 'x.png'))).toBe(false);
  });
});
