import { fmt } from '../common/format.ts';

/**
 * The per-stimulus table of a causal tool, as text: for each stimulus, the top label before, its score
 * before and after, and — for probabilities — the change in log-odds, log(p / (1 − p)). Probabilities
 * saturate (0.990 → 0.985 looks like nothing) while log-odds do not (4.60 → 4.18, −0.42), so a single
 * unit's effect is visible; for a softmax the change in log-odds of the top class is also the change
 * in its logit against the pooled rest. Where the subject exposes its true logits (the tensor before
 * the softmax), the top label's logit and its margin over the best other label are shown too. The top
 * label after is shown where it differs.
 */

export interface StimulusScores {
  label: string;
  /** Scores per output label, before and after the intervention (same label order). */
  before: ArrayLike<number>;
  after: ArrayLike<number>;
  /** The classifier's true logits before and after, where the subject exposes them (same label order). */
  logits?: { before: ArrayLike<number>; after: ArrayLike<number> };
}

/** Rows shown in text; the data keeps them all. */
export const MAX_TABLE_ROWS = 24;
const EPSILON = 1e-7;

export function logOdds(p: number): number {
  const q = Math.min(1 - EPSILON, Math.max(EPSILON, p));
  return Math.log(q / (1 - q));
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++)
    if ((values[i] ?? -Infinity) > (values[best] ?? -Infinity)) best = i;
  return best;
}

export function perStimulusTable(
  labels: readonly string[],
  rows: readonly StimulusScores[],
  scale: 'probabilities' | 'activations',
): string {
  if (rows.length === 0 || labels.length === 0) return '';
  const probabilities = scale === 'probabilities';
  const withLogits = rows.every((row) => row.logits !== undefined);
  const header =
    `stimulus | top before | before → after${probabilities ? ' | Δ log-odds' : ''}` +
    `${withLogits ? ' | logit before → after | Δ margin' : ''} | top after`;
  const lines = rows.slice(0, MAX_TABLE_ROWS).map((row) => {
    const top = argmax(row.before);
    const b = row.before[top] ?? 0;
    const a = row.after[top] ?? 0;
    const topAfter = argmax(row.after);
    const name = (i: number) => labels[i] ?? String(i);
    const change = probabilities ? ` | ${fmt(logOdds(a) - logOdds(b))}` : '';
    const logits = withLogits && row.logits ? ` | ${logitColumns(row.logits, top)}` : '';
    return (
      `${JSON.stringify(row.label)} | ${name(top)} | ${fmt(b)} → ${fmt(a)}${change}${logits} | ` +
      (topAfter === top ? 'same' : `${name(topAfter)} (${fmt(row.after[topAfter] ?? 0)})`)
    );
  });
  const more = rows.length > MAX_TABLE_ROWS ? [`… ${rows.length - MAX_TABLE_ROWS} more in data`] : [];
  return ['Per stimulus:', header, ...lines, ...more].join('\n');
}

/**
 * The top label's logit before → after, and the change in its margin over the best other label
 * (logit_top − max other logit): the logit difference a two-way classifier decides on.
 */
export function logitColumns(
  logits: { before: ArrayLike<number>; after: ArrayLike<number> },
  top: number,
): string {
  const margin = (row: ArrayLike<number>) => {
    let other = -Infinity;
    for (let i = 0; i < row.length; i++) if (i !== top) other = Math.max(other, row[i] ?? -Infinity);
    return (row[top] ?? 0) - (Number.isFinite(other) ? other : 0);
  };
  const b = logits.before[top] ?? 0;
  const a = logits.after[top] ?? 0;
  return `${fmt(b)} → ${fmt(a)} | ${fmt(margin(logits.after) - margin(logits.before))}`;
}
