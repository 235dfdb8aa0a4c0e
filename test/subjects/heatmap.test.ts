import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { colourScale, heatmapOverlay, summarizeMap, unitMap } from '../../subjects/heatmap.ts';
import type { SiteInfo } from '../../subjects/subject.ts';
import { createImage } from '../../util/image.ts';

function site(shape: number[], unitAxis: number): SiteInfo {
  return {
    name: 's',
    aliases: [],
    op: 'Conv',
    node: 'n',
    dtype: 'float32',
    shape,
    dims: shape,
    unitAxis,
    units: shape[unitAxis] ?? 1,
  };
}

describe('unit maps', () => {
  it('extracts one channel of one batch item from NCHW', () => {
    // [2, 2, 2, 3]: value = n*100 + c*10 + (y*3 + x)
    const data = Float32Array.from({ length: 24 }, (_, i) => {
      const n = Math.floor(i / 12);
      const c = Math.floor(i / 6) % 2;
      return n * 100 + c * 10 + (i % 6);
    });
    const tensor = new ort.Tensor('float32', data, [2, 2, 2, 3]);
    const map = unitMap(tensor, site([1, 2, 2, 3], 1), 1, 1);
    expect([map.width, map.height]).toEqual([3, 2]);
    expect(Array.from(map.values)).toEqual([110, 111, 112, 113, 114, 115]);
    expect(summarizeMap(map)).toEqual({ max: 115, min: 110, mean: 112.5, argmax: { x: 2, y: 1 } });
  });

  it('extracts a unit of a sequence site [N, T, C] as a 1×T row', () => {
    const tensor = new ort.Tensor('float32', Float32Array.from([0, 1, 2, 10, 11, 12]), [1, 2, 3]);
    const map = unitMap(tensor, site([1, 2, 3], 2), 2);
    expect([map.width, map.height, ...map.values]).toEqual([2, 1, 2, 12]);
  });

  it('overlays the map in colour: hot where the unit fires, over the part of the input the image filled', () => {
    const image = createImage(4, 2, [0, 0, 0]);
    // The map covers a 8×2 input of which the image filled the left half; the hot cell is on the left.
    const map = { width: 4, height: 1, values: Float32Array.from([5, 0, 0, 0]) };
    const out = heatmapOverlay(image, map, { inputWidth: 8, inputHeight: 2, width: 4, height: 2 }, 1);
    const pixel = (x: number) => Array.from(out.data.subarray(x * 3, x * 3 + 3));
    expect(pixel(0)).toEqual(colourScale(1));
    expect(pixel(1)).toEqual(colourScale(0.75)); // a quarter of the way to the next (cold) cell
    expect(pixel(3)).toEqual(colourScale(0));
    expect(colourScale(1)).toEqual([220, 30, 30]);
    expect(colourScale(0)).toEqual([20, 30, 140]);
  });
});
