import { expect } from 'vitest';

/** Pixels where two masks (or maps) differ; vitest's deep equality is too slow for 50k-element arrays. */
export function differingPixels(a: Uint8Array | undefined, b: Uint8Array | undefined): number {
  if (!a || !b) return Infinity;
  if (a.length !== b.length) return Infinity;
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

export function expectSameMask(
  actual: Uint8Array | undefined,
  expected: Uint8Array | undefined,
  label = '',
): void {
  expect(differingPixels(actual, expected), `${label}: pixels that differ`).toBe(0);
}

export const count = (mask: Uint8Array | undefined) => (mask ?? new Uint8Array()).reduce((a, b) => a + b, 0);
