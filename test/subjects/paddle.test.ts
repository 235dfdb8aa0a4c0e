import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTextAlpha } from '../../stimuli/font.ts';
import { classify } from '../../subjects/decode.ts';
import { loadSubject } from '../../subjects/load.ts';
import type { OnnxSubject } from '../../subjects/onnx/onnx-subject.ts';
import { readOutput } from '../../subjects/outputs.ts';
import type { RgbImage } from '../../util/image.ts';

/** Black text centred on a white canvas (`width` 'fit': the text plus an 8 px margin each side). */
async function textLine(
  text: string,
  fit: number | 'fit',
  height: number,
  textHeight: number,
): Promise<RgbImage> {
  const alpha = await renderTextAlpha(text, textHeight);
  const width = fit === 'fit' ? alpha.width + 16 : fit;
  if (alpha.width > width) throw new Error(`'${text}' is ${alpha.width}px wide; the canvas is ${width}`);
  const data = new Uint8Array(width * height * 3).fill(255);
  const ox = Math.floor((width - alpha.width) / 2);
  const oy = Math.floor((height - alpha.height) / 2);
  for (let y = 0; y < alpha.height; y++) {
    for (let x = 0; x < alpha.width; x++) {
      const ink = (alpha.alpha[y * alpha.width + x] ?? 0) / 255;
      data.fill(
        Math.round(255 * (1 - ink)),
        ((oy + y) * width + ox + x) * 3,
        ((oy + y) * width + ox + x) * 3 + 3,
      );
    }
  }
  return { width, height, data };
}

function rotate180(image: RgbImage): RgbImage {
  const data = new Uint8Array(image.data.length);
  const pixels = image.width * image.height;
  for (let i = 0; i < pixels; i++) data.set(image.data.subarray(i * 3, i * 3 + 3), (pixels - 1 - i) * 3);
  return { ...image, data };
}

function values(tensor: ort.Tensor | undefined): number[] {
  return Array.from((tensor?.data ?? []) as Float32Array);
}

function maxAbsDifference(a: number[], b: number[]): number {
  expect(a).toHaveLength(b.length);
  return a.reduce((max, v, i) => Math.max(max, Math.abs(v - (b[i] ?? NaN))), 0);
}

const cacheDir = mkdtempSync(join(tmpdir(), 'aia-paddle-cache-'));

describe('PaddleOCR orientation classifier (paddle-ocr-cls)', () => {
  let subject: OnnxSubject;
  let batch: ort.Tensor;

  beforeAll(async () => {
    subject = await loadSubject('paddle-ocr-cls', { cacheDir });
    const upright = await textLine('Hello world', 'fit', 48, 36);
    batch = subject.preprocess([upright, rotate180(upright)]);
  });
  afterAll(async () => subject.dispose());

  it('has the sites of the exported MobileNetV3, with the manifest aliases', () => {
    expect(subject.sites()).toHaveLength(215);
    const finalConv = subject.resolveSite('final_conv');
    expect([finalConv.name, finalConv.op, finalConv.units, finalConv.shape]).toEqual([
      'conv2d_94.tmp_0',
      'Conv',
      200,
      [1, 200, 2, 96],
    ]);
    expect(subject.resolveSite('logits').name).toBe('p2o.Add.87');
    expect(subject.labels).toEqual(['0', '180']);
  });

  it("classifies an upright line as '0' and the same line rotated 180° as '180'", async () => {
    const outputs = await subject.run(batch);
    const [upright, rotated] = classify(outputs['softmax_0.tmp_0'] as ort.Tensor, ['0', '180']);
    expect(upright?.[0]?.label).toBe('0');
    expect(upright?.[0]?.probability).toBeGreaterThan(0.9);
    expect(rotated?.[0]?.label).toBe('180');
    expect(rotated?.[0]?.probability).toBeGreaterThan(0.9);
    expect(readOutput(subject, outputs, 1)).toMatchObject({
      kind: 'classes',
      scores: [{ label: '180' }, { label: '0' }],
    });
  });

  it('zero-ablating the final conv changes the logits', async () => {
    const plain = await subject.read(batch, ['logits']);
    const ablated = await subject.intervene(batch, [{ site: 'final_conv', op: 'zero' }], {
      read: ['logits', 'final_conv'],
    });
    expect(values(ablated.sites.final_conv).every((v) => v === 0)).toBe(true);
    expect(maxAbsDifference(values(ablated.sites.logits), values(plain.sites.logits))).toBeGreaterThan(1);
    // With the final conv zeroed both lines look the same to the classifier head.
    const logits = values(ablated.sites.logits);
    expect(logits.slice(0, 2)).toEqual(logits.slice(2, 4));
  });

  it('reads a site the same in different site sets (up to float rounding of fused kernels)', async () => {
    const alone = await subject.read(batch, ['hardswish_10.tmp_0']);
    const withOthers = await subject.read(batch, ['conv1', 'hardswish_10.tmp_0', 'final_block', 'logits']);
    const a = values(alone.sites['hardswish_10.tmp_0']);
    const b = values(withOthers.sites['hardswish_10.tmp_0']);
    expect(a.length).toBe(2 * 96 * 3 * 48);
    expect(maxAbsDifference(a, b)).toBeLessThan(1e-4);
  });

  it('an intervention with scale 1 and shift 0 equals a plain run', async () => {
    const plain = await subject.run(batch);
    const identity = await subject.intervene(batch, [
      { site: 'final_conv', op: 'scale', factor: 1 },
      { site: 'stem', op: 'add', delta: 0 },
    ]);
    const p = values(plain['softmax_0.tmp_0']);
    expect(maxAbsDifference(values(identity.outputs['softmax_0.tmp_0']), p)).toBeLessThan(1e-5);
  });

  it('caches its site table on disk, keyed by the model hash', async () => {
    const again = await loadSubject('paddle-ocr-cls', { cacheDir });
    expect(again.hash).toBe(subject.hash);
    expect(again.sites()).toEqual(subject.sites());
    await again.dispose();
  });
});

describe('PaddleOCR recogniser (paddle-ocr-rec)', () => {
  it('has 6,625 labels (blank, the 6,623 dictionary lines, space) matching its output, and reads a rendered word', async () => {
    const subject = await loadSubject('paddle-ocr-rec', { cacheDir });
    try {
      expect(subject.labels).toHaveLength(6625);
      expect(subject.labels?.[0]).toBe('<blank>');
      expect(subject.labels?.at(-1)).toBe(' ');
      const line = await textLine('HELLO 2024', 'fit', 48, 32);
      const outputs = await subject.run(subject.preprocess([line]));
      expect(outputs['softmax_11.tmp_0']?.dims.at(-1)).toBe(6625);
      const reading = readOutput(subject, outputs);
      expect(reading).toMatchObject({ kind: 'text', text: 'HELLO 2024' });
    } finally {
      await subject.dispose();
    }
  });
});
