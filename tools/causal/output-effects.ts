import { InputError } from '../../util/errors.ts';
import type { OutputScores } from '../probe/types.ts';

/**
 * How an intervention changed a subject's outputs over a set of stimuli, computed from the scores
 * before and after. Pure: no subject is run here, so the numbers can be checked by hand in tests.
 *
 * Scores of kind 'logits' are turned into probabilities (softmax) first, because flips, shifts and KL
 * are only comparable across stimuli on the probability scale. Scores of kind 'activations' (a
 * synthetic subject's units, or a non-classifier output), and probabilities that are not one
 * distribution per stimulus (a text recogniser's per-character peaks), are compared as they are: no
 * flips and no KL, since they are not a distribution over mutually exclusive answers.
 */

/** Scores of one subject output for a list of stimuli: one row of `labels.length` scores each. */
export type ScoreTable = Pick<OutputScores, 'kind' | 'labels' | 'scores'>;

export interface SceneOutcome {
  /** Index of the stimulus in the list given. */
  scene: number;
  /** Best label and its score before and after. */
  before: { label: string; score: number };
  after: { label: string; score: number };
  /** Whether the best label changed (always false for activations). */
  flipped: boolean;
  /** KL(before ‖ after) in nats; null for activations. */
  kl: number | null;
}

/** One kind of flip: which stimuli went from label `from` to label `to`. */
export interface FlipTransition {
  from: string;
  to: string;
  count: number;
  scenes: number[];
}

export interface LabelShift {
  label: string;
  meanBefore: number;
  meanAfter: number;
  /** meanAfter − meanBefore. */
  meanShift: number;
  /** The per-stimulus shift largest in magnitude, with its sign (0 for no stimuli). */
  maxShift: number;
}

export interface OutputEffects {
  /** 'probabilities' when each stimulus's scores are one distribution (probabilities, logits after
   *  softmax); else 'activations' (compared as plain scores). */
  scale: 'probabilities' | 'activations';
  stimuli: number;
  /** Number of stimuli whose best label changed, and how; null for activations. */
  flips: { count: number; transitions: FlipTransition[] } | null;
  /** Per label, in the subject's label order. */
  labels: LabelShift[];
  /** KL(before ‖ after) over the stimuli, nats; null for activations. */
  kl: { mean: number; max: number } | null;
  perScene: SceneOutcome[];
}

/** Probabilities are clamped away from 0 so one exact zero cannot make KL infinite. */
const KL_EPSILON = 1e-12;

export function softmaxRow(values: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i] ?? -Infinity);
  const out = new Float64Array(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    out[i] = Math.exp((values[i] ?? -Infinity) - max);
    sum += out[i] ?? 0;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) / sum;
  return out;
}

/** KL(p ‖ q) in nats, with both clamped at KL_EPSILON. */
export function klDivergence(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let kl = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = Math.max(p[i] ?? 0, KL_EPSILON);
    const qi = Math.max(q[i] ?? 0, KL_EPSILON);
    kl += pi * Math.log(pi / qi);
  }
  // Rounding can leave tiny negatives when p ≈ q; KL is never negative.
  return Math.max(0, kl);
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++)
    if ((values[i] ?? -Infinity) > (values[best] ?? -Infinity)) best = i;
  return best;
}

function checkComparable(before: ScoreTable, after: ScoreTable): void {
  if (before.kind !== after.kind) {
    throw new InputError(
      `cannot compare scores of kind '${before.kind}' with scores of kind '${after.kind}'`,
    );
  }
  if (before.labels.length !== after.labels.length || before.labels.some((l, i) => l !== after.labels[i])) {
    throw new InputError('cannot compare scores with different labels');
  }
  if (before.scores.length !== after.scores.length) {
    throw new InputError(
      `cannot compare scores of ${before.scores.length} stimuli with scores of ${after.scores.length} stimuli`,
    );
  }
  for (const table of [before, after]) {
    table.scores.forEach((row, i) => {
      if (row.length !== table.labels.length) {
        throw new InputError(`stimulus ${i} has ${row.length} scores for ${table.labels.length} labels`);
      }
    });
  }
}

/** Rows that are not one distribution each (e.g. a text recogniser's per-character peak probabilities)
 *  are compared as plain scores: a flip or a KL divergence would mean nothing there. */
const DISTRIBUTION_TOLERANCE = 1e-3;

function sumsToOne(row: ArrayLike<number>): boolean {
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += row[i] ?? 0;
  return Math.abs(sum - 1) <= DISTRIBUTION_TOLERANCE;
}

/** The rows on the scale they are compared on. */
function comparableRows(table: ScoreTable): ArrayLike<number>[] {
  return table.kind === 'logits' ? table.scores.map(softmaxRow) : table.scores;
}

export function summarizeOutputEffects(before: ScoreTable, after: ScoreTable): OutputEffects {
  checkComparable(before, after);
  const rowsBefore = comparableRows(before);
  const rowsAfter = comparableRows(after);
  const isDistribution = before.kind !== 'activations' && [...rowsBefore, ...rowsAfter].every(sumsToOne);
  const labels = before.labels;
  const n = rowsBefore.length;

  const perScene: SceneOutcome[] = rowsBefore.map((rowBefore, scene) => {
    const rowAfter = rowsAfter[scene] ?? rowBefore;
    const b = argmax(rowBefore);
    const a = argmax(rowAfter);
    return {
      scene,
      before: { label: labels[b] ?? String(b), score: rowBefore[b] ?? 0 },
      after: { label: labels[a] ?? String(a), score: rowAfter[a] ?? 0 },
      flipped: isDistribution && a !== b,
      kl: isDistribution ? klDivergence(rowBefore, rowAfter) : null,
    };
  });

  const labelShifts: LabelShift[] = labels.map((label, j) => {
    let sumBefore = 0;
    let sumAfter = 0;
    let maxShift = 0;
    for (let s = 0; s < n; s++) {
      const vb = rowsBefore[s]?.[j] ?? 0;
      const va = rowsAfter[s]?.[j] ?? 0;
      sumBefore += vb;
      sumAfter += va;
      if (Math.abs(va - vb) > Math.abs(maxShift)) maxShift = va - vb;
    }
    const meanBefore = n > 0 ? sumBefore / n : 0;
    const meanAfter = n > 0 ? sumAfter / n : 0;
    return { label, meanBefore, meanAfter, meanShift: meanAfter - meanBefore, maxShift };
  });

  return {
    scale: isDistribution ? 'probabilities' : 'activations',
    stimuli: n,
    flips: isDistribution ? summarizeFlips(perScene) : null,
    labels: labelShifts,
    kl: isDistribution ? summarizeKl(perScene) : null,
    perScene,
  };
}

function summarizeFlips(perScene: readonly SceneOutcome[]): { count: number; transitions: FlipTransition[] } {
  const byPair = new Map<string, FlipTransition>();
  for (const outcome of perScene) {
    if (!outcome.flipped) continue;
    const key = JSON.stringify([outcome.before.label, outcome.after.label]);
    let transition = byPair.get(key);
    if (!transition) {
      transition = { from: outcome.before.label, to: outcome.after.label, count: 0, scenes: [] };
      byPair.set(key, transition);
    }
    transition.count++;
    transition.scenes.push(outcome.scene);
  }
  const transitions = [...byPair.values()].sort((x, y) => y.count - x.count);
  return { count: transitions.reduce((sum, t) => sum + t.count, 0), transitions };
}

function summarizeKl(perScene: readonly SceneOutcome[]): { mean: number; max: number } {
  const values = perScene.map((o) => o.kl ?? 0);
  if (values.length === 0) return { mean: 0, max: 0 };
  return { mean: values.reduce((a, b) => a + b, 0) / values.length, max: Math.max(...values) };
}
