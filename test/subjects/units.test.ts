import { describe, expect, it } from 'vitest';
import { nearNames } from '../../util/names.ts';
import { defaultUnitAxis, formatUnit, splitUnit } from '../../subjects/units.ts';

describe('unit addressing', () => {
  it('splits site:index at the last colon, so tensor names may contain colons', () => {
    expect(splitUnit('conv2d_53.tmp_0:7')).toEqual({ site: 'conv2d_53.tmp_0', unit: 7 });
    expect(splitUnit('model/conv1/Relu:0:12')).toEqual({ site: 'model/conv1/Relu:0', unit: 12 });
    expect(formatUnit('layer3', 7)).toBe('layer3:7');
    expect(splitUnit(formatUnit('a:b', 0))).toEqual({ site: 'a:b', unit: 0 });
  });

  it.each(['conv', ':3', 'conv:', 'conv:-1', 'conv:1.5', 'conv:x'])('rejects %s', (text) => {
    expect(() => splitUnit(text)).toThrow(/is not a unit: write site:index/);
  });

  it('puts units on channels for NCHW and [N, C], on the last axis for [N, T, C]', () => {
    expect([0, 1, 2, 3, 4, 5].map(defaultUnitAxis)).toEqual([-1, 0, 1, 2, 1, 1]);
  });

  it('suggests the nearest names, closest first', () => {
    const names = ['conv2d_94.tmp_0', 'conv2d_93.tmp_0', 'relu_1.tmp_0', 'final_conv', 'logits'];
    expect(nearNames('conv2d_94.tmp', names)).toEqual(['conv2d_94.tmp_0', 'conv2d_93.tmp_0']);
    expect(nearNames('logit', names)).toEqual(['logits']);
    expect(nearNames('zzzzzz', names)).toEqual([]);
  });
});
