import { labelledGrid } from '../../stimuli/grid.ts';
import { encodePng } from '../../util/image.ts';
import { formatNumber, type OutputEffects } from './index.ts';
import type { OutputScores } from '../probe/types.ts';
import type { ToolImage } from '../tool.ts';
import type { Stimulus } from '../scenes/stimulus-arg.ts';

/**
 * The picture that goes with an intervention's effect: the stimuli that changed most, each captioned
 * with its answer before → after, so a model can see *which* inputs the edit broke.
 */

/** Stimuli shown in the before/after grid: enough to see a pattern, few enough to read. */
export const SHOWN_STIMULI = 8;

/** How much one stimulus changed: flips and text changes first, then KL (distributions) or the
 *  largest score change. */
function changeOf(effects: OutputEffects, before: OutputScores, after: OutputScores, s: number): number {
  const outcome = effects.perScene[s];
  if (outcome?.flipped) return Infinity;
  if (before.text && after.text && before.text[s] !== after.text[s]) return Infinity;
  if (outcome?.kl !== null && outcome?.kl !== undefined) return outcome.kl;
  const b = before.scores[s] ?? new Float32Array();
  const a = after.scores[s] ?? new Float32Array();
  let largest = 0;
  for (let j = 0; j < b.length; j++) largest = Math.max(largest, Math.abs((a[j] ?? 0) - (b[j] ?? 0)));
  return largest;
}

/** The caption of stimulus s: the decoded text before → after for a text recogniser; else the best
 *  label and score before → after; for activations, the label that moved most overall. */
function captionOf(effects: OutputEffects, before: OutputScores, after: OutputScores, s: number): string {
  if (before.text && after.text) {
    const changed = before.text[s] !== after.text[s] ? ' CHANGED' : '';
    return `#${s} '${before.text[s] ?? ''}' → '${after.text[s] ?? ''}'${changed}`;
  }
  if (effects.scale === 'probabilities') {
    const o = effects.perScene[s];
    if (!o) return `#${s}`;
    const mark = o.flipped ? ' FLIP' : '';
    return `#${s} '${o.before.label}' ${formatNumber(o.before.score)} → '${o.after.label}' ${formatNumber(o.after.score)}${mark}`;
  }
  const moved = [...effects.labels.keys()].sort(
    (x, y) => Math.abs(effects.labels[y]?.meanShift ?? 0) - Math.abs(effects.labels[x]?.meanShift ?? 0),
  )[0];
  if (moved === undefined) return `#${s}`;
  const label = effects.labels[moved]?.label ?? String(moved);
  const b = before.scores[s]?.[moved] ?? 0;
  const a = after.scores[s]?.[moved] ?? 0;
  return `#${s} ${label} ${formatNumber(b)} → ${formatNumber(a)}`;
}

/** Which stimuli to show, most changed first (stable: lower index first among equals). */
export function stimuliToShow(
  effects: OutputEffects,
  before: OutputScores,
  after: OutputScores,
  limit = SHOWN_STIMULI,
): number[] {
  return effects.perScene
    .map((_, s) => ({ s, change: changeOf(effects, before, after, s) }))
    .sort((x, y) => y.change - x.change || x.s - y.s)
    .slice(0, limit)
    .map((x) => x.s);
}

export async function beforeAfterGrid(
  stimuli: readonly Stimulus[],
  effects: OutputEffects,
  before: OutputScores,
  after: OutputScores,
  title: string,
): Promise<ToolImage | undefined> {
  const shown = stimuliToShow(effects, before, after);
  if (shown.length === 0) return undefined;
  const cells = shown.map((s) => ({
    image: (stimuli[s] as Stimulus).scene.image,
    caption: captionOf(effects, before, after, s),
  }));
  const first = cells[0]?.image;
  const cellSize = Math.min(224, Math.max(first?.width ?? 64, first?.height ?? 64));
  const image = await labelledGrid(cells, { columns: Math.min(4, cells.length), cellSize });
  return {
    png: await encodePng(image),
    caption:
      shown.length === stimuli.length
        ? `${title}: ${stimuli.length === 1 ? 'the stimulus' : `all ${stimuli.length} stimuli, most changed first`} (#index, answer before → after)`
        : `${title}: the ${shown.length} most changed of ${stimuli.length} stimuli (#index, answer before → after)`,
  };
}

/** Above this many labels (a text recogniser's charset) per-stimulus score rows are left out of data. */
export const MAX_TABULATED_LABELS = 256;

/** Per-stimulus scores before and after, as plain arrays for `data` (empty for very many labels). */
export function scoreTables(
  before: OutputScores,
  after: OutputScores,
): { labels: string[]; before: number[][]; after: number[][] } {
  if (before.labels.length > MAX_TABULATED_LABELS) return { labels: [], before: [], after: [] };
  return {
    labels: before.labels,
    before: before.scores.map((row) => Array.from(row)),
    after: after.scores.map((row) => Array.from(row)),
  };
}
