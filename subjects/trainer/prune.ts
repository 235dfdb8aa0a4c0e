import { InputError } from '../../util/errors.ts';
import type { Weight } from './weights.ts';

/**
 * Magnitude pruning (Han et al. 2015): per weight tensor, the given fraction of entries with the
 * smallest |w| are zeroed and stay zero. The mask keeps 1 where a weight survives; ties at the
 * threshold are broken by position, so exactly ⌊fraction·n⌋ entries go.
 */
export function magnitudeMasks(
  weights: ReadonlyMap<string, Weight>,
  names: readonly string[],
  fraction: number,
): Map<string, Uint8Array> {
  const masks = new Map<string, Uint8Array>();
  for (const name of names) {
    const w = weights.get(name);
    if (!w) throw new InputError(`cannot prune '${name}': it is not a trained weight`);
    const values = w.values;
    const order = Array.from(values.keys()).sort(
      (a, b) => Math.abs(values[a] as number) - Math.abs(values[b] as number) || a - b,
    );
    const mask = new Uint8Array(values.length).fill(1);
    const cut = Math.floor(fraction * values.length);
    for (let k = 0; k < cut; k++) mask[order[k] as number] = 0;
    masks.set(name, mask);
  }
  return masks;
}
