import type ort from 'onnxruntime-node';
import { InputError } from '../../util/errors.ts';
import type { SiteInfo } from '../subject.ts';

/**
 * Where the batch and the sequence lie in a site's tensor. Sites are discovered on an example input of
 * batch 1 and EXAMPLE_LENGTH tokens (a length no width or head count is likely to equal), so the axes
 * of that size are the sequence axes: one for the residual stream [batch, token, width], two for an
 * attention pattern [batch, head, query, key], and no batch axis for a position embedding [token, width].
 */
export const EXAMPLE_LENGTH = 11;

export interface TokenLayout {
  /** Axis 0 when the site has a batch axis. */
  batchAxis: number | undefined;
  sequenceAxes: number[];
}

export function tokenLayout(site: SiteInfo, exampleLength: number): TokenLayout {
  const sequenceAxes = site.shape.flatMap((size, axis) => (size === exampleLength ? [axis] : []));
  const batchAxis = site.shape[0] === 1 && !sequenceAxes.includes(0) ? 0 : undefined;
  return { batchAxis, sequenceAxes };
}

/** One sequence's part of a batch tensor: the batch axis dropped, sequence axes cut to its length. */
export interface TokenSlice {
  dims: number[];
  data: Float32Array;
}

export function sliceSequence(
  tensor: ort.Tensor,
  layout: TokenLayout,
  batch: number,
  length: number,
  siteName: string,
): TokenSlice {
  const dims = [...tensor.dims];
  const data = tensor.data as Float32Array;
  if (layout.sequenceAxes.length === 0) {
    throw new InputError(
      `site '${siteName}' (shape ${dims.join('×')}) has no token axis, so it cannot be read per token`,
    );
  }
  const outDims = dims.map((size, axis) =>
    layout.sequenceAxes.includes(axis) ? Math.min(length, size) : axis === layout.batchAxis ? 1 : size,
  );
  const offset = layout.batchAxis === 0 ? batch * dims.slice(1).reduce((a, b) => a * b, 1) : 0;
  const out = new Float32Array(outDims.reduce((a, b) => a * b, 1));
  // Copy the contiguous runs along the last axis; the outer axes are walked with an odometer.
  const strides = dims.map((_, axis) => dims.slice(axis + 1).reduce((a, b) => a * b, 1));
  const rank = dims.length;
  const run = outDims[rank - 1] as number;
  const index = new Array<number>(rank - 1).fill(0);
  let written = 0;
  for (;;) {
    let source = offset;
    for (let axis = 0; axis < rank - 1; axis++) source += (index[axis] as number) * (strides[axis] as number);
    out.set(data.subarray(source, source + run), written);
    written += run;
    let axis = rank - 2;
    while (axis >= 0) {
      index[axis] = (index[axis] as number) + 1;
      if ((index[axis] as number) < (outDims[axis] as number)) break;
      index[axis] = 0;
      axis--;
    }
    if (axis < 0) break;
  }
  return { dims: outDims.filter((_, axis) => axis !== layout.batchAxis), data: out };
}
