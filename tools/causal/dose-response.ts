import type { OutputEffects } from './output-effects.ts';
import type { TextChanges } from './text-changes.ts';
import type { UnitChange } from './unit-changes.ts';

/**
 * A dose-response table: one row per intervention strength of a sweep, with the output and watched-unit
 * summaries that the single-intervention report gives, reduced to the numbers worth tabulating.
 */

export interface DoseRow {
  /** The sweep value as given (e.g. a multiple of the unit's std, or a raw value). */
  dose: number;
  /** The number the edit used (value for set, delta for add, factor for scale) per edited unit. */
  amounts: number[];
  /** Mean score per label after the edit, in label order. */
  meanScores: number[];
  /** Stimuli whose best label changed (null for activations). */
  flips: number | null;
  /** Mean KL(before ‖ after) (null for activations). */
  meanKl: number | null;
  /** Mean watched-unit activation after the edit, in watch order. */
  watched: number[];
  /** Stimuli whose decoded text changed (text recognisers; null otherwise). */
  textChanged: number | null;
}

export interface DoseResponse {
  labels: string[];
  watched: string[];
  rows: DoseRow[];
}

export function doseRow(
  dose: number,
  amounts: readonly number[],
  effects: OutputEffects,
  watched: readonly UnitChange[],
  text?: TextChanges,
): DoseRow {
  return {
    dose,
    amounts: [...amounts],
    meanScores: effects.labels.map((l) => l.meanAfter),
    flips: effects.flips ? effects.flips.count : null,
    meanKl: effects.kl ? effects.kl.mean : null,
    watched: watched.map((w) => w.meanAfter),
    textChanged: text ? text.changed : null,
  };
}

/**
 * The labels that move most over the sweep (largest range of mean score across rows), at most `k`,
 * in label order: what a plot or a short text should show when a subject has many labels.
 */
export function mostResponsiveLabels(table: DoseResponse, k: number): number[] {
  const ranges = table.labels.map((_, j) => {
    const values = table.rows.map((r) => r.meanScores[j] ?? 0);
    return values.length ? Math.max(...values) - Math.min(...values) : 0;
  });
  return ranges
    .map((range, j) => ({ range, j }))
    .sort((a, b) => b.range - a.range || a.j - b.j)
    .slice(0, k)
    .map((x) => x.j)
    .sort((a, b) => a - b);
}
