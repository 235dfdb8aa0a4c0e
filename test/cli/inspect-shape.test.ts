import { describe, expect, it } from 'vitest';
import { shapeText } from '../../cli/actions/inspect.ts';
import type { SiteInfo } from '../../subjects/subject.ts';

/** `aia inspect` marks the batch axis N, and only the batch axis. */

const site = (shape: number[], dims: (number | string)[]): SiteInfo => ({
  name: 't',
  aliases: [],
  op: 'Gather',
  node: 'n',
  dtype: 'float32',
  shape,
  dims,
  unitAxis: shape.length - 1,
  units: shape.at(-1) ?? 0,
});

describe('shapeText', () => {
  it('shows a dynamic batch axis as N', () => {
    expect(shapeText(site([1, 11, 16], ['batch', 'sequence', 16]))).toBe('N×11×16');
  });
  it("keeps a dynamic first axis that is not the batch (position embeddings' sequence)", () => {
    expect(shapeText(site([11, 16], ['sequence', 16]))).toBe('11×16');
  });
  it('keeps a fixed first axis', () => {
    expect(shapeText(site([1, 8], [1, 8]))).toBe('1×8');
  });
});
