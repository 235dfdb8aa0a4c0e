import { HUE_COLOURS } from '../../../subjects/synthetic/index.ts';
import { ancestors, getConcept, isA, WORD_PREFIX } from '../../../stimuli/vocabulary.ts';
import { candidate, conceptsOf, parsed, type Candidate } from './hypotheses.ts';
import { ok, type State } from './state.ts';

/**
 * Structured variants of the best formula's concepts, which the beam search cannot build: a size band
 * (large(c)), a count (count(c) >= 2), a relation between two of them (above(a, b)) and a graded hue
 * (hue(c, σ)). When the best formula does not track the unit (r below TRACKS_R), formula_search scores
 * these on the probe set (by evaluating them); one that fits clearly better becomes the first
 * candidate, and is then judged like any other.
 */

/** Below this r the best formula leaves enough unexplained to try structured variants. */
const TRACKS_R = 0.9;
/** How much better than the best formula a variant must fit to be tried first. */
const MARGIN = 0.05;
/** Concepts whose variants are tried, and formulas asked for (formula_search takes at most 40). */
const CONCEPTS = 3;
const MAX_FORMULAS = 40;
const RELATIONS = ['above', 'below', 'left_of', 'right_of'] as const;

/** Whether the search's best formula leaves room for a structured variant. */
export function wantsStructure(state: State): boolean {
  const best = ok(state.search)?.data.formulas[0];
  return best !== undefined && best.r < TRACKS_R && structuredFormulas(state).length > 0;
}

/** The variants to score: hues of its colours, then sizes, counts and relations of its concepts. */
export function structuredFormulas(state: State): string[] {
  const search = ok(state.search)?.data;
  const stats = ok(state.stats)?.data;
  // NetDissect's best concepts first (often the category a size, count or relation is about), then
  // those of the best formulas.
  const named = [
    ...(stats?.top.slice(0, 2).map((c) => c.concept) ?? []),
    ...(search?.formulas.slice(0, 2).flatMap((f) => {
      const tree = parsed(f.formula);
      return tree ? conceptsOf(tree) : [];
    }) ?? []),
  ].filter((name, i, all) => all.indexOf(name) === i && !name.startsWith(WORD_PREFIX));
  const colours = named.filter((name) => HUE_COLOURS.includes(name)).slice(0, 2);
  const depictable = named.filter((name) => {
    const kind = getConcept(name)?.kind;
    return kind === 'object' || kind === 'shape' || kind === 'category';
  });
  // A size, count or relation is often about a category whose members the search found one by one
  // (ellipse, hexagon → shape): categories covering two or more of the concepts come first.
  const categories = [...new Set(depictable.flatMap((name) => ancestors(name)))]
    .map((category) => ({
      category,
      covers: depictable.filter((name) => isA(name, category)).length,
      depth: depictable.reduce((sum, name) => sum + Math.max(0, ancestors(name).indexOf(category)), 0),
    }))
    .filter((c) => c.covers >= 2)
    .sort((a, b) => b.covers - a.covers || a.depth - b.depth || a.category.localeCompare(b.category))
    .map((c) => c.category);
  const things = [...new Set([...categories, ...depictable])].slice(0, CONCEPTS);
  const out: string[] = [];
  for (const c of colours) out.push(`hue(${c})`, `hue(${c}, 20)`, `hue(${c}, 45)`);
  for (const a of things.slice(0, 2))
    for (const b of things) if (b !== a) for (const r of RELATIONS) out.push(`${r}(${a}, ${b})`);
  for (const c of things) out.push(`small(${c})`, `medium(${c})`, `large(${c})`);
  for (const c of things)
    out.push(`count(${c}) = 1`, `count(${c}) = 2`, `count(${c}) >= 2`, `count(${c}) >= 3`);
  return out.filter((f) => parsed(f) !== undefined).slice(0, MAX_FORMULAS);
}

/** The best variant when it fits clearly better than the search's best formula, as a candidate. */
export function structuredCandidate(state: State): Candidate | undefined {
  const structure = ok(state.structure);
  const best = ok(state.search)?.data.formulas[0];
  if (!structure || !best) return undefined;
  const top = structure.data.scored
    .flatMap((s) => (s.score ? [s.score] : []))
    .sort((a, b) => b.r - a.r || a.formula.localeCompare(b.formula))[0];
  const tree = top && top.r >= best.r + MARGIN ? parsed(top.formula) : undefined;
  return tree && top ? candidate(tree, 'formula_search', [structure.ref], top) : undefined;
}
