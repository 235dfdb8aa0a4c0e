import type { AnnotatedText } from '../../stimuli/text/types.ts';

/**
 * A text set's tokens laid end to end, with a unit's activations beside them: the table every text
 * statistic reads. `previous[i]` is the flat index of the token before token i in the same text (-1 at
 * a text's start), so "after" is a lookup, not a search.
 */
export interface TokenTable {
  texts: readonly AnnotatedText[];
  /** Flat index of each text's first token. */
  offsets: Int32Array;
  activations: Float32Array;
  previous: Int32Array;
  /** Where the unit "fires": above half its maximum over the set (never on a constant unit). */
  threshold: number;
  max: number;
  min: number;
  size: number;
}

/** Half-way between the unit's minimum and maximum over the set: above it, the unit fires. */
export function firingThreshold(min: number, max: number): number {
  return min + 0.5 * (max - min);
}

export function tokenTable(texts: readonly AnnotatedText[], perText: readonly Float32Array[]): TokenTable {
  const size = texts.reduce((sum, text) => sum + text.tokens.length, 0);
  const offsets = new Int32Array(texts.length);
  const activations = new Float32Array(size);
  const previous = new Int32Array(size);
  let at = 0;
  texts.forEach((text, t) => {
    offsets[t] = at;
    const values = perText[t]!;
    for (let i = 0; i < text.tokens.length; i++) {
      activations[at + i] = values[i] ?? 0;
      previous[at + i] = i === 0 ? -1 : at + i - 1;
    }
    at += text.tokens.length;
  });
  let max = -Infinity;
  let min = Infinity;
  for (const value of activations) {
    if (value > max) max = value;
    if (value < min) min = value;
  }
  if (size === 0) max = min = 0;
  return {
    texts,
    offsets,
    activations,
    previous,
    threshold: max > min ? firingThreshold(min, max) : Infinity,
    max,
    min,
    size,
  };
}

/** The token at a flat index. */
export function tokenAt(table: TokenTable, flat: number): { text: number; token: number } {
  let lo = 0;
  let hi = table.offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (table.offsets[mid]! <= flat) lo = mid;
    else hi = mid - 1;
  }
  return { text: lo, token: flat - table.offsets[lo]! };
}
