import { InputError } from '../../util/errors.ts';

/**
 * The value v such that the top `fraction` of `values` are ≥ v: the k-th largest value with
 * k = max(1, round(fraction · n)). Found by quickselect on a copy (O(n) on average), because dissection
 * thresholds millions of upsampled map values and a full sort would dominate its cost.
 */
export function valueAtTopFraction(values: ArrayLike<number>, fraction: number): number {
  const n = values.length;
  if (n === 0) throw new InputError('cannot take a quantile of no values');
  if (!(fraction >= 0 && fraction <= 1)) throw new InputError(`fraction must be in [0, 1], got ${fraction}`);
  const k = Math.min(n, Math.max(1, Math.round(fraction * n)));
  const copy = Float64Array.from(values);
  return select(copy, n - k); // ascending position of the k-th largest
}

/** The value that would sit at position `target` if `a` were sorted ascending (a is reordered). */
function select(a: Float64Array, target: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    // Median of three as the pivot keeps sorted or constant runs from going quadratic.
    const mid = (lo + hi) >>> 1;
    const pivot = median3(a[lo] as number, a[mid] as number, a[hi] as number);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return a[target] as number;
  }
  return a[target] as number;
}

function median3(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}
