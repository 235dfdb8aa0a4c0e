import {
  describeFormula,
  formulaConcepts,
  parseFormula,
  printFormula,
  type Formula,
} from '../../../subjects/synthetic/index.ts';
import { isA, WORD_PREFIX } from '../../../stimuli/vocabulary.ts';
import type { ContrastResult } from './experiments.ts';
import type { ExemplarsView, FormulaResultView, SearchView, StatsView } from './views.ts';

/**
 * Candidate explanations, best first: the formulas formula_search ranks highest (by r, with its
 * length penalty), else the best concept of concept_stats, else what the top exemplars fire on; and
 * refinements when a counterfactual contradicts a candidate (an exception it missed, a gate it lacks).
 */

export interface Candidate {
  formula: string;
  tree: Formula;
  description: string;
  iou?: number;
  r?: number;
  source: 'formula_search' | 'concept_stats' | 'exemplars' | 'refinement';
  /** Evidence refs the candidate rests on. */
  refs: string[];
}

/** Below both, a formula explains too little to be worth testing. */
const MIN_R = 0.2;
const MIN_IOU = 0.02;
/** Candidates taken from one search. */
const FROM_SEARCH = 4;

export function candidate(
  tree: Formula,
  source: Candidate['source'],
  refs: string[],
  score?: { iou: number; r: number },
): Candidate {
  return {
    formula: printFormula(tree),
    tree,
    description: describeFormula(tree),
    ...(score ? { iou: score.iou, r: score.r } : {}),
    source,
    refs,
  };
}

/** The formula, or undefined when the text does not parse. */
export function parsed(text: string): Formula | undefined {
  try {
    return parseFormula(text);
  } catch {
    return undefined;
  }
}

/** The candidates the evidence so far supports, best first, without duplicates. */
export function initialCandidates(
  search: { ref: string; data: SearchView } | undefined,
  stats: { ref: string; data: StatsView } | undefined,
  exemplars: { ref: string; data: ExemplarsView } | undefined,
): Candidate[] {
  const out: Candidate[] = [];
  const add = (c: Candidate | undefined) => {
    if (c && !out.some((o) => o.formula === c.formula)) out.push(c);
  };
  if (search) {
    const useful = (f: FormulaResultView) => f.r >= MIN_R || f.iou >= MIN_IOU;
    for (const f of search.data.formulas.filter(useful).slice(0, FROM_SEARCH)) {
      const tree = parsed(f.formula);
      if (tree) add(candidate(tree, 'formula_search', [search.ref], f));
    }
  }
  if (out.length === 0 && stats) {
    const best = stats.data.top[0];
    if (best && best.iou > 0) add(candidate(conceptLeaf(best.concept), 'concept_stats', [stats.ref]));
  }
  if (out.length === 0 && exemplars) {
    const common = commonFiresOn(exemplars.data);
    if (common) add(candidate(conceptLeaf(common), 'exemplars', [exemplars.ref]));
  }
  return out;
}

export function conceptLeaf(name: string): Formula {
  return name.startsWith(WORD_PREFIX)
    ? { op: 'word', text: name.slice(WORD_PREFIX.length) }
    : { op: 'concept', name };
}

/** The concept the unit fires on in most top exemplars. */
export function commonFiresOn(data: ExemplarsView): string | undefined {
  const counts = new Map<string, number>();
  for (const e of data.exemplars) {
    if (e.rank !== 'top') continue;
    for (const f of e.firesOn) counts.set(f.concept, (counts.get(f.concept) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

/** Names a formula mentions, as concepts (words as `word:<text>`). */
export function conceptsOf(tree: Formula): string[] {
  const names = formulaConcepts(tree);
  const words: string[] = [];
  const visit = (f: Formula): void => {
    if (f.op === 'word') words.push(`${WORD_PREFIX}${f.text}`);
    else if ('left' in f) {
      visit(f.left);
      visit(f.right);
    } else if ('arg' in f) visit(f.arg);
  };
  visit(tree);
  return [...names, ...words];
}

/**
 * Formulas a failed contrast suggests:
 * - an exception: positives that failed all show something no successful positive shows (grass) →
 *   `F AND NOT grass`;
 * - a missing gate: no positive fired although the top exemplars do, and most exemplars show
 *   something the positives lacked → `F AND that`.
 */
export function refinementsOf(
  tree: Formula,
  contrast: ContrastResult,
  exemplars: ExemplarsView | undefined,
): Formula[] {
  const known = conceptsOf(tree);
  const related = (c: string) => known.some((k) => isA(c, k) || isA(k, c));
  const out: Formula[] = [];
  if (contrast.failures.length > 0 && contrast.successes.length > 0) {
    const shared = contrast.failures
      .map((s) => new Set(s.context))
      .reduce((a, b) => new Set([...a].filter((c) => b.has(c))));
    const seen = new Set(contrast.successes.flatMap((s) => s.context));
    for (const c of shared) {
      if (!seen.has(c) && !related(c))
        out.push({ op: 'and', left: tree, right: { op: 'not', arg: conceptLeaf(c) } });
    }
  }
  if (contrast.successes.length === 0 && exemplars) {
    const top = exemplars.exemplars.filter((e) => e.rank === 'top' && e.activation > 0);
    const counts = new Map<string, number>();
    for (const e of top)
      for (const c of new Set(e.concepts.map((x) => x.concept))) counts.set(c, (counts.get(c) ?? 0) + 1);
    const drawn = new Set(contrast.failures.flatMap((s) => s.context));
    const gates = [...counts]
      .filter(([c, n]) => n * 3 >= top.length * 2 && !related(c) && !drawn.has(c))
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 2);
    for (const [c] of gates) out.push({ op: 'and', left: tree, right: conceptLeaf(c) });
  }
  return out.slice(0, 3);
}
