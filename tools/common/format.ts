/** Number formatting for tool text: short, stable, readable by a model. */

/** A number to `digits` significant digits (no exponent for ordinary magnitudes), '-' for NaN. */
export function fmt(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? '-' : value > 0 ? '∞' : '-∞';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-4) return value.toExponential(digits - 1);
  return String(Number(value.toPrecision(digits)));
}

/** A fraction as a whole percentage. */
export function pct(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/** Round for `data`: keeps JSON small and deterministic across platforms' last-bit differences. */
export function round(value: number, decimals = 4): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
