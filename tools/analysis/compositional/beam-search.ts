import { printFormula, type Formula } from '../../../subjects/synthetic/index.ts';
import { HALVES } from './quadrants.ts';
import type { LabelTable } from './label-table.ts';
import { plain, Scorer, type Candidate, type FormulaScore, type Masks } from './formula-scorer.ts';

// The beam search.

export type Objective = 'iou' | 'r';

export interface SearchOptions {
  /** Concepts to combine with OR and & (default: the `candidateCount` best single concepts by IoU and
   *  half as many more by r). */
  candidates?: readonly string[];
  candidateCount?: number;
  /** Most concepts in a formula (default 3). */
  maxLength?: number;
  beam?: number;
  topK?: number;
  objective?: Objective;
  /** Also try left/right/top/bottom halves of the candidates (default true). */
  spatial?: boolean;
}

export interface SearchResult {
  objective: Objective;
  /** The best single concepts (NetDissect's ranking when the objective is IoU). */
  concepts: FormulaScore[];
  /** The concepts combined with OR and &. */
  candidates: string[];
  /** Concepts tried as gates (AND g, AND NOT g): every concept present in some but not all scenes. */
  gates: number;
  formulas: FormulaScore[];
  evaluated: number;
}

const DEFAULTS = { candidateCount: 10, maxLength: 3, beam: 5, topK: 5 };

/**
 * What ranking gives up per concept beyond the first, so a longer formula must explain clearly more
 * than a shorter one: without it, near-copies such as `dog AND NOT cake` fill the list on chance
 * differences of a few pixels. For IoU a share of it (a 3-concept formula needs 10% more), because
 * IoUs of good explanations range from 0.05 to 0.9; for r a fixed 0.01, because r near 1 is compressed
 * (0.98 → 1.00 is a real gain).
 */
const IOU_LENGTH_PENALTY = 0.05;
const R_LENGTH_PENALTY = 0.01;

function quantised(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** A score less its length penalty (to 3 decimals). */
function penalised(c: Candidate, objective: Objective): number {
  return quantised(
    objective === 'iou'
      ? c.iou * (1 - IOU_LENGTH_PENALTY * (c.length - 1))
      : c.r - R_LENGTH_PENALTY * (c.length - 1),
  );
}

/**
 * The `k` best, leaving out any formula that, with its length penalty, scores no better in IoU nor
 * in r than a shorter one already listed: `left(dog) AND NOT tool` adds nothing to `left(dog)`.
 */
function bestDistinct(sorted: readonly Candidate[], k: number): Candidate[] {
  const out: Candidate[] = [];
  for (const c of sorted) {
    if (out.length >= k) break;
    if (c.iou === 0 && c.r <= 0) continue; // explains nothing (a silent unit leaves only these)
    const dominated = out.some(
      (o) =>
        o.length < c.length &&
        penalised(o, 'iou') >= penalised(c, 'iou') &&
        penalised(o, 'r') >= penalised(c, 'r'),
    );
    if (!dominated) out.push(c);
  }
  return out;
}

/**
 * Best first: the objective less the length penalty, then the other score, then shorter. Scores are
 * compared to 3 decimals: a smaller difference is chance (a few pixels, one scene), and a formula with
 * r 0.9999 over r 0.9998 should lose to one with the clearly better IoU.
 */
function ranking(objective: Objective): (a: Candidate, b: Candidate) => number {
  const value = (c: Candidate) => penalised(c, objective);
  const other = (c: Candidate) => quantised(objective === 'iou' ? c.r : c.iou);
  return (a, b) =>
    value(b) - value(a) ||
    other(b) - other(a) ||
    a.length - b.length ||
    a.text.length - b.text.length ||
    a.text.localeCompare(b.text);
}

/**
 * Beam search (Mu & Andreas): start from the best single concepts, then repeatedly extend each formula
 * in the beam with OR / & a candidate (or a half of one) and AND / AND NOT any gate concept, keeping the
 * `beam` best formulas seen (and half as many best by the other score), up to `maxLength` concepts.
 * Formulas equal on the probe set are kept once, the shortest. Returns the `topK` best of everything
 * evaluated.
 */
export function searchFormulas(table: LabelTable, options: SearchOptions = {}): SearchResult {
  const objective = options.objective ?? 'iou';
  const maxLength = options.maxLength ?? DEFAULTS.maxLength;
  const beamWidth = options.beam ?? DEFAULTS.beam;
  const topK = options.topK ?? DEFAULTS.topK;
  const spatial = options.spatial ?? true;
  const order = ranking(objective);
  const scorer = new Scorer(table);
  const ids = new Map(table.concepts.map((name, id) => [name, id]));

  // Level 1: every concept on its own, ranked as NetDissect ranks them (then by r).
  const singles = table.concepts.map((_, id) => scorer.atom(id));
  const area = (c: Candidate) => (c.precision > 0 ? (c.iou * table.activeTotal) / c.precision : 0);
  const specificity = (c: Candidate) => table.specificity[ids.get(leafName(c.formula)) as number] as number;
  singles.sort(
    (a, b) =>
      (objective === 'iou' ? b.iou - a.iou : b.r - a.r || b.iou - a.iou) ||
      area(a) - area(b) ||
      specificity(a) - specificity(b) ||
      a.text.localeCompare(b.text),
  );
  const candidateIds = (options.candidates ?? defaultCandidates(singles, options.candidateCount))
    .filter((name) => ids.has(name))
    .map((name) => ids.get(name) as number);
  const operands: Candidate[] = candidateIds.flatMap((id) => [
    singles.find((c) => leafName(c.formula) === table.concepts[id]) ?? scorer.atom(id),
    ...(spatial ? HALVES.map((half) => scorer.atom(id, half)) : []),
  ]);
  const gateIds = table.concepts
    .map((_, id) => id)
    .filter((id) => {
      const count = table.presenceCount[id] as number;
      return count > 0 && count < table.scenes;
    });

  // The pool holds the best formula of each signature; losers are dropped, masks and all.
  const pool = new Map<string, Candidate>();
  const offer = (candidate: Candidate | undefined): void => {
    if (!candidate) return;
    const existing = pool.get(candidate.signature);
    if (!existing || order(candidate, existing) < 0) pool.set(candidate.signature, candidate);
  };
  for (const s of singles) offer(s);
  for (const o of operands) offer(o);
  const best = (k: number) => [...pool.values()].sort(order).slice(0, k);
  // The beam also keeps the best few by the other score: a gated unit's main concept may rank low by r
  // (it fires without the gate too) and high by IoU, and the gate is found only by extending it.
  const otherOrder = ranking(objective === 'iou' ? 'r' : 'iou');
  const nextBeam = (): Candidate[] => {
    const chosen = best(beamWidth);
    const extra = [...pool.values()].sort(otherOrder).slice(0, Math.ceil(beamWidth / 2));
    for (const c of extra) if (!chosen.includes(c)) chosen.push(c);
    return chosen;
  };
  let beam = nextBeam();
  const expanded = new Set<string>();
  for (let length = 2; length <= maxLength; length++) {
    for (const base of beam) {
      // A formula is extended once (it may stay in the beam for several rounds), and not past maxLength.
      if (base.length >= length || expanded.has(base.signature)) continue;
      expanded.add(base.signature);
      for (const operand of operands) {
        if (base.length + operand.length > maxLength) continue;
        offer(scorer.combine('or', base, operand));
        offer(scorer.combine('intersect', base, operand));
      }
      for (const id of gateIds) {
        offer(scorer.gate(base, id, false));
        offer(scorer.gate(base, id, true));
      }
    }
    beam = nextBeam();
    // Keep what may still be extended or reported; the rest need only their scores.
    const keep = new Set([...beam, ...operands, ...best(topK)].map((c) => c.signature));
    for (const [key, value] of pool) if (!keep.has(key)) pool.set(key, { ...value, masks: dropped });
  }
  return {
    objective,
    concepts: singles.slice(0, Math.max(topK, 10)).map(plain),
    candidates: candidateIds.map((id) => table.concepts[id] as string),
    gates: gateIds.length,
    formulas: bestDistinct([...pool.values()].sort(order), topK).map(plain),
    evaluated: scorer.evaluated,
  };
}

/**
 * The best `count` concepts by IoU, then the best `count / 2` by r not yet among them: a gated unit's
 * main concept can have a poor IoU (its region is mostly noise) yet a clear r, and the reverse.
 */
function defaultCandidates(singles: readonly Candidate[], count = DEFAULTS.candidateCount): string[] {
  const byIou = [...singles].sort((a, b) => b.iou - a.iou).slice(0, count);
  const names = byIou.map((c) => leafName(c.formula));
  const byR = [...singles].sort((a, b) => b.r - a.r);
  for (const c of byR.slice(0, Math.ceil(count / 2))) {
    const name = leafName(c.formula);
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

function dropped(): Masks {
  throw new Error('masks of a formula outside the beam were dropped');
}

/** The concept of a single-concept formula (a concept, a word, or a half of one). */
function leafName(formula: Formula): string {
  if (formula.op === 'concept') return formula.name;
  if (formula.op === 'word') return `word:${formula.text}`;
  if (formula.op === 'half') return leafName(formula.arg);
  throw new Error(`not a single concept: ${printFormula(formula)}`);
}
