import { describe, expect, it } from 'vitest';
import type { PreprocessSpec } from '../../subjects/manifest.ts';
import { planPlacements, preprocessImages } from '../../subjects/preprocess.ts';
import { resizeBilinear } from '../../subjects/resize.ts';
import { zooEntry } from '../../subjects/zoo.ts';
import { createImage, type RgbImage } from '../../util/image.ts';

function specOf(name: string): PreprocessSpec {
  const spec = zooEntry(name)?.manifest.input?.preprocess;
  if (!spec) throw new Error(`no preprocess spec for ${name}`);
  return spec;
}

const dynamicInput = { name: 'x', dims: ['N', 3, 'H', 'W'] };

/** Value at [n, c, y, x] of an NCHW tensor. */
function at(data: Float32Array, dims: readonly number[], n: number, c: number, y: number, x: number): number {
  const [, C = 0, H = 0, W = 0] = dims;
  return data[((n * C + c) * H + y) * W + x] ?? NaN;
}

function row(values: number[]): RgbImage {
  const data = new Uint8Array(values.length * 3);
  values.forEach((v, i) => data.fill(v, i * 3, i * 3 + 3));
  return { width: values.length, height: 1, data };
}

describe('bilinear resize (OpenCV INTER_LINEAR)', () => {
  it('upsamples with pixel centres aligned and edges clamped', () => {
    const out = resizeBilinear(row([0, 100]), 4, 1);
    expect(Array.from(out.data.filter((_, i) => i % 3 === 0))).toEqual([0, 25, 75, 100]);
  });

  it('downsamples by sampling between source pixels (no antialiasing)', () => {
    const out = resizeBilinear(row([0, 100, 200, 250]), 2, 1);
    expect(Array.from(out.data.filter((_, i) => i % 3 === 0))).toEqual([50, 225]);
  });
});

describe('PaddleOCR preprocessing from the zoo manifests', () => {
  it('classifier: BGR order, (x/255 - 0.5) / 0.5, height 48, right-padded to 192 with 0', () => {
    const image = createImage(48, 24, [255, 0, 51]); // ratio 2 → 96 wide after resizing to height 48
    const { tensor, placements } = preprocessImages([image], specOf('paddle-ocr-cls'), dynamicInput);
    expect(tensor.dims).toEqual([1, 3, 48, 192]);
    expect(placements).toEqual([{ inputWidth: 192, inputHeight: 48, width: 96, height: 48 }]);
    const data = tensor.data as Float32Array;
    expect(at(data, tensor.dims, 0, 0, 10, 50)).toBeCloseTo(51 / 127.5 - 1, 6); // B
    expect(at(data, tensor.dims, 0, 1, 10, 50)).toBeCloseTo(-1, 6); // G
    expect(at(data, tensor.dims, 0, 2, 10, 50)).toBeCloseTo(1, 6); // R
    expect(at(data, tensor.dims, 0, 2, 10, 95)).toBeCloseTo(1, 6);
    expect(at(data, tensor.dims, 0, 2, 10, 96)).toBe(0); // padding
    expect(at(data, tensor.dims, 0, 0, 47, 191)).toBe(0);
  });

  it('classifier: a long line is squeezed to 192, a ratio is rounded up', () => {
    expect(planPlacements([createImage(400, 48)], specOf('paddle-ocr-cls').resize)[0]?.width).toBe(192);
    expect(planPlacements([createImage(100, 33)], specOf('paddle-ocr-cls').resize)[0]?.width).toBe(146); // ceil(145.45)
  });

  it('recogniser: the batch width grows to int(48 × widest ratio), at least 320', () => {
    const resize = specOf('paddle-ocr-rec').resize;
    const placements = planPlacements([createImage(96, 48), createImage(700, 100)], resize);
    expect(placements.map((p) => [p.inputWidth, p.width])).toEqual([
      [336, 96],
      [336, 336],
    ]);
    expect(planPlacements([createImage(10, 48)], resize)[0]?.inputWidth).toBe(320);
  });

  it('detector: longest side limited to 960, sides rounded half-to-even to multiples of 32', () => {
    const resize = specOf('paddle-ocr-det').resize;
    const size = (w: number, h: number) => {
      const p = planPlacements([createImage(w, h)], resize)[0];
      return [p?.inputWidth, p?.inputHeight];
    };
    expect(size(1000, 500)).toEqual([960, 480]);
    expect(size(100, 80)).toEqual([96, 64]); // 80/32 = 2.5 rounds to 2, as Python's round does
    expect(size(100, 112)).toEqual([96, 128]); // 112/32 = 3.5 rounds to 4
    expect(size(10, 10)).toEqual([32, 32]);
  });

  it('detector: ImageNet mean/std applied to the channels in BGR order, as PaddleOCR does', () => {
    const { tensor } = preprocessImages(
      [createImage(64, 64, [200, 100, 50])],
      specOf('paddle-ocr-det'),
      dynamicInput,
    );
    const data = tensor.data as Float32Array;
    expect(at(data, tensor.dims, 0, 0, 5, 5)).toBeCloseTo((50 / 255 - 0.485) / 0.229, 5);
    expect(at(data, tensor.dims, 0, 1, 5, 5)).toBeCloseTo((100 / 255 - 0.456) / 0.224, 5);
    expect(at(data, tensor.dims, 0, 2, 5, 5)).toBeCloseTo((200 / 255 - 0.406) / 0.225, 5);
  });
});

describe('generic preprocessing', () => {
  it('converts to grey with BT.601 weights and stretches to a fixed size', () => {
    const spec: PreprocessSpec = {
      channelOrder: 'GRAY',
      resize: { mode: 'stretch', width: 4, height: 2 },
      scale: 1,
      mean: [0],
      std: [1],
      padValue: 0,
    };
    const { tensor } = preprocessImages([createImage(8, 8, [100, 200, 50])], spec, {
      name: 'x',
      dims: [1, 1, 2, 4],
    });
    expect(tensor.dims).toEqual([1, 1, 2, 4]);
    expect(Array.from(tensor.data as Float32Array)).toEqual(
      new Array(8).fill(Math.round(0.299 * 100 + 0.587 * 200 + 0.114 * 50)),
    );
  });
});
