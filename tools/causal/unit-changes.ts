import { InputError } from '../../util/errors.ts';

/**
 * How an intervention changed watched units: each unit's scalar activation per stimulus (the probe's
 * `UnitMap.value`) before and after, summarised. Pure, so tests can check it against hand arithmetic.
 */

export interface UnitChange {
  /** Canonical unit id, `site:index`. */
  unit: string;
  meanBefore: number;
  meanAfter: number;
  /** meanAfter − meanBefore. */
  meanDelta: number;
  /** The per-stimulus change largest in magnitude, with its sign (0 for no stimuli). */
  maxDelta: number;
  before: number[];
  after: number[];
}

function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

export function summarizeUnitChange(
  unit: string,
  before: readonly number[],
  after: readonly number[],
): UnitChange {
  if (before.length !== after.length) {
    throw new InputError(
      `unit ${unit}: ${before.length} values before but ${after.length} after; they must match per stimulus`,
    );
  }
  let maxDelta = 0;
  before.forEach((vb, i) => {
    const delta = (after[i] ?? vb) - vb;
    if (Math.abs(delta) > Math.abs(maxDelta)) maxDelta = delta;
  });
  const meanBefore = mean(before);
  const meanAfter = mean(after);
  return {
    unit,
    meanBefore,
    meanAfter,
    meanDelta: meanAfter - meanBefore,
    maxDelta,
    before: [...before],
    after: [...after],
  };
}
