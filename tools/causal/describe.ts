import type { DoseResponse } from './dose-response.ts';
import { mostResponsiveLabels } from './dose-response.ts';
import { formatNumber } from './line-plot.ts';
import type { LabelShift, OutputEffects } from './output-effects.ts';
import type { UnitChange } from './unit-changes.ts';

/**
 * Short text a model reads about an intervention's effect: counts and means with rounded numbers,
 * the few labels that moved most; the full tables stay in the tool's `data`.
 */

/** Shifts smaller than this are noise at the precision we print (3 significant digits of a P). */
const NEGLIGIBLE_SHIFT = 5e-4;

function scoreName(effects: OutputEffects, label: string): string {
  return effects.scale === 'probabilities' ? `P('${label}')` : label;
}

function describeShift(effects: OutputEffects, shift: LabelShift): string {
  return `${scoreName(effects, shift.label)} ${formatNumber(shift.meanBefore)} → ${formatNumber(shift.meanAfter)}`;
}

/** The `k` labels with the largest mean shift (and any label that flips went to or from). */
function labelsWorthShowing(effects: OutputEffects, k: number): LabelShift[] {
  const ranked = [...effects.labels].sort((a, b) => Math.abs(b.meanShift) - Math.abs(a.meanShift));
  const shown = ranked.slice(0, k).filter((s, i) => i === 0 || Math.abs(s.meanShift) >= NEGLIGIBLE_SHIFT);
  return shown;
}

export function describeOutputEffects(effects: OutputEffects, topLabels = 3): string {
  const parts: string[] = [];
  if (effects.flips) {
    const { count, transitions } = effects.flips;
    let flips = `flipped ${count}/${effects.stimuli} stimuli`;
    if (transitions.length > 0) {
      const shown = transitions.slice(0, 3).map((t) => `'${t.from}' → '${t.to}' ×${t.count}`);
      if (transitions.length > 3) shown.push(`${transitions.length - 3} more kinds`);
      flips += ` (${shown.join(', ')})`;
    }
    parts.push(flips);
  }
  const shifts = labelsWorthShowing(effects, topLabels);
  if (shifts.length > 0) {
    parts.push(`mean ${shifts.map((s) => describeShift(effects, s)).join(', ')}`);
  }
  if (effects.kl) {
    parts.push(`KL mean ${formatNumber(effects.kl.mean)}, max ${formatNumber(effects.kl.max)}`);
  }
  return parts.join('; ');
}

export function describeUnitChanges(changes: readonly UnitChange[], limit = 5): string {
  const lines = changes
    .slice(0, limit)
    .map(
      (c) =>
        `watched ${c.unit}: mean ${formatNumber(c.meanBefore)} → ${formatNumber(c.meanAfter)} ` +
        `(Δ ${formatNumber(c.meanDelta)}, largest Δ ${formatNumber(c.maxDelta)})`,
    );
  if (changes.length > limit) lines.push(`(${changes.length - limit} more watched units in data)`);
  return lines.join('\n');
}

/** A compact fixed-width table: dose, the most responsive labels' mean scores, flips, KL, stimuli whose
 *  decoded text changed (text recognisers), watched means. */
export function describeDoseResponse(
  table: DoseResponse,
  scale: OutputEffects['scale'],
  topLabels = 3,
): string {
  const labelColumns = mostResponsiveLabels(table, topLabels);
  const hasText = table.rows.some((r) => r.textChanged !== null);
  const header = [
    'dose',
    ...labelColumns.map((j) => {
      const label = table.labels[j] ?? String(j);
      return scale === 'probabilities' ? `P('${label}')` : label;
    }),
    ...(scale === 'probabilities' ? ['flips', 'KL'] : []),
    ...(hasText ? ['text changed'] : []),
    ...table.watched.map((w) => w),
  ];
  const rows = table.rows.map((row) => [
    formatNumber(row.dose),
    ...labelColumns.map((j) => formatNumber(row.meanScores[j] ?? NaN)),
    ...(scale === 'probabilities' ? [String(row.flips ?? 0), formatNumber(row.meanKl ?? 0)] : []),
    ...(hasText ? [String(row.textChanged ?? 0)] : []),
    ...row.watched.map(formatNumber),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => cell.padStart(widths[c] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
