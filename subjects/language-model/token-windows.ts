import { InputError } from '../../util/errors.ts';

/**
 * A corpus as training windows for a language model: the texts' token ids joined with the
 * end-of-text token between texts (as GPT-2 was trained), cut into windows of length + 1 ids with a
 * stride of `length`, so each window gives `length` next-token targets and every token but the
 * first is a target exactly once. The trainer's TokenSet reads this layout.
 */
export interface TokenWindows {
  /** count × (length + 1) ids. */
  windows: Int32Array;
  length: number;
  count: number;
}

export function joinWithEos(texts: readonly (readonly number[])[], eosId: number): number[] {
  const out: number[] = [];
  for (const ids of texts) {
    for (const id of ids) out.push(id);
    out.push(eosId);
  }
  return out;
}

export function tokenWindows(ids: readonly number[], length: number, limit = Infinity): TokenWindows {
  if (!Number.isInteger(length) || length < 1)
    throw new InputError(`window length must be a positive integer, got ${length}`);
  const count = Math.min(limit, Math.max(0, Math.floor((ids.length - 1) / length)));
  const windows = new Int32Array(count * (length + 1));
  for (let k = 0; k < count; k++)
    for (let t = 0; t <= length; t++) windows[k * (length + 1) + t] = ids[k * length + t] as number;
  return { windows, length, count };
}
