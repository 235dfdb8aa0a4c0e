import {
  evaluateTextFormula,
  parseTextFormula,
  printTextFormula,
  type TextFormula,
} from '../../subjects/synthetic-text/index.ts';
import { conceptScores, conceptValues, scoreConceptValues, type ConceptScore } from './concept-scores.ts';
import type { TokenTable } from './token-table.ts';

/**
 * Compositional explanations of a text unit (after Mu & Andreas 2020, over tokens instead of pixels):
 * a beam search over formulas of the text concept language built from the best-correlated concepts
 * with OR, AND, AND NOT and after(·, ·), each scored on every token of the set by Pearson r with the
 * unit's activation (and IoU of where both are on). Values are combined token by token on the flat
 * table, as the evaluator would give them, so a search of a thousand formulas is quick.
 */
export interface FormulaScore extends Omit<ConceptScore, 'concept'> {
  formula: string;
  length: number;
}

interface Candidate {
  tree: TextFormula;
  values: Float32Array;
  length: number;
  /** r of the formula this one extends (none for an atom). */
  parentR?: number;
}

export interface SearchOptions {
  /** Atoms: the best concepts by r (default 10), plus any given. */
  atoms?: number;
  /** Formulas kept per length (default 6). */
  beam?: number;
  /** Longest formula, in atoms (default 3). */
  maxLength?: number;
  /** Concepts to include as atoms whatever their score. */
  candidates?: readonly string[];
}

const atomTree = (name: string): TextFormula =>
  name.startsWith('word:')
    ? { op: 'word', text: name.slice(5) }
    : name.startsWith('depth:')
      ? { op: 'depth', depth: Number(name.slice(6)) }
      : { op: 'concept', name };

function combine(op: 'or' | 'and', a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = op === 'or' ? Math.max(a[i]!, b[i]!) : Math.min(a[i]!, b[i]!);
  return out;
}

function negate(a: Float32Array): Float32Array {
  return a.map((v) => 1 - v);
}

function after(table: TokenTable, arg: Float32Array, previous: Float32Array): Float32Array {
  const out = new Float32Array(arg.length);
  for (let i = 0; i < arg.length; i++) {
    const p = table.previous[i]!;
    out[i] = p < 0 ? 0 : Math.min(arg[i]!, previous[p]!);
  }
  return out;
}

/**
 * The exceptions of a concept: concepts common where it holds but the unit stays silent and rare where
 * both hold (sentence_start for a unit on capitals that skips sentence starts), as atoms for AND NOT.
 */
function exceptionConcepts(table: TokenTable, concept: string, k: number): string[] {
  const holds = conceptValues(table, concept);
  const silent = new Map<string, number>();
  const firing = new Map<string, number>();
  let silentCount = 0;
  let firingCount = 0;
  let at = 0;
  for (const text of table.texts) {
    for (const token of text.tokens) {
      if (holds[at]! > 0.5) {
        const fires = table.activations[at]! > table.threshold;
        if (fires) firingCount++;
        else silentCount++;
        const counts = fires ? firing : silent;
        for (const c of token.concepts) counts.set(c, (counts.get(c) ?? 0) + 1);
      }
      at++;
    }
  }
  if (silentCount === 0) return [];
  const share = (n: number | undefined, of: number) => (of > 0 ? (n ?? 0) / of : 0);
  return [...silent.keys()]
    .map((c) => ({ c, gap: share(silent.get(c), silentCount) - share(firing.get(c), firingCount) }))
    .filter((x) => x.gap > 0.1 && x.c !== concept)
    .sort((a, b) => b.gap - a.gap || a.c.localeCompare(b.c))
    .slice(0, k)
    .map((x) => x.c);
}

/** Exceptions kept per leading concept. */
const NEGATIVE_ATOMS = 4;
/** Bracket depths the search tries (depth(1) is the concept in_brackets). */
const DEPTH_ATOMS = ['depth:2', 'depth:3'];

/** r a longer formula must add over the formula it extends. */
const MIN_GAIN = 0.005;

/** Concepts whose value on the PREVIOUS token best predicts the unit, best first. */
function previousConcepts(table: TokenTable, k: number): string[] {
  const shifted: TokenTable = { ...table, activations: new Float32Array(table.size) };
  // Move each activation back one token: concept scores then say what precedes firing tokens.
  for (let i = 0; i < table.size; i++) {
    const p = table.previous[i]!;
    if (p >= 0) shifted.activations[p] = Math.max(shifted.activations[p]!, table.activations[i]!);
  }
  return conceptScores(shifted, 'r')
    .slice(0, k)
    .map((s) => s.concept);
}

export function searchFormulas(table: TokenTable, options: SearchOptions = {}): FormulaScore[] {
  const beam = options.beam ?? 6;
  const maxLength = options.maxLength ?? 3;
  const ranked = conceptScores(table, 'r');
  // Atoms: the best concepts, the worst (what the unit avoids: NOT sentence_start), and nesting depth.
  const names = [
    ...new Set([
      ...(options.candidates ?? []),
      ...ranked.slice(0, options.atoms ?? 10).map((s) => s.concept),
      ...ranked.slice(0, 2).flatMap((s) => exceptionConcepts(table, s.concept, NEGATIVE_ATOMS)),
      ...DEPTH_ATOMS,
    ]),
  ];
  const atoms: Candidate[] = names.map((name) => ({
    tree: atomTree(name),
    values: conceptValues(table, name),
    length: 1,
  }));
  // What comes right before firing tokens: concepts ranked by r of their value on the previous token.
  const previousAtoms: Candidate[] = previousConcepts(table, options.atoms ?? 10).map((name) => ({
    tree: atomTree(name),
    values: conceptValues(table, name),
    length: 1,
  }));
  const scored = new Map<string, FormulaScore>();
  /** Longer formulas that improved on what they extend: the only ones reported. */
  const kept = new Set<string>();
  const score = (c: Candidate): FormulaScore => {
    const formula = printTextFormula(c.tree);
    let found = scored.get(formula);
    if (!found) {
      const { concept: _concept, ...rest } = scoreConceptValues(table, formula, c.values);
      found = { formula, length: c.length, ...rest };
      scored.set(formula, found);
    }
    return found;
  };
  const best = (list: Candidate[]) =>
    list
      .sort((a, b) => score(b).r - score(a).r || score(a).formula.localeCompare(score(b).formula))
      .slice(0, beam);
  let frontier = best([...atoms]);
  for (const atom of atoms) score(atom);
  for (let length = 2; length <= maxLength; length++) {
    const next: Candidate[] = [];
    for (const left of frontier) {
      for (const atom of atoms) {
        if (printTextFormula(atom.tree) === printTextFormula(left.tree)) continue;
        // A combination must beat both of its parts (food OR noun is no better than noun).
        const parentR = Math.max(score(left).r, score(atom).r);
        next.push(
          {
            tree: { op: 'or', left: left.tree, right: atom.tree },
            values: combine('or', left.values, atom.values),
            length,
            parentR,
          },
          {
            tree: { op: 'and', left: left.tree, right: atom.tree },
            values: combine('and', left.values, atom.values),
            length,
            parentR,
          },
          {
            tree: { op: 'and', left: left.tree, right: { op: 'not', arg: atom.tree } },
            values: combine('and', left.values, negate(atom.values)),
            length,
            parentR,
          },
        );
      }
      for (const atom of previousAtoms)
        next.push({
          tree: { op: 'after', arg: left.tree, previous: atom.tree },
          values: after(table, left.values, atom.values),
          length,
          parentR: score(left).r,
        });
    }
    // A longer formula earns its place only by fitting better than the one it extends.
    const improving = next.filter((c) => score(c).r > (c.parentR ?? -1) + MIN_GAIN);
    for (const c of improving) kept.add(score(c).formula);
    frontier = best(improving);
    if (frontier.length === 0) break;
  }
  return [...scored.values()]
    .filter((s) => s.length === 1 || kept.has(s.formula))
    .sort((a, b) => b.r - a.r || a.length - b.length || a.formula.localeCompare(b.formula));
}

/** Score given formulas on the table (InputError for a formula that does not parse). */
export function scoreFormulas(table: TokenTable, formulas: readonly string[]): FormulaScore[] {
  return formulas.map((text) => {
    const tree = parseTextFormula(text);
    const values = new Float32Array(table.size);
    let at = 0;
    for (const annotated of table.texts) {
      values.set(evaluateTextFormula(tree, annotated), at);
      at += annotated.tokens.length;
    }
    const { concept: _concept, ...rest } = scoreConceptValues(table, text, values);
    return { formula: printTextFormula(tree), length: countAtoms(tree), ...rest };
  });
}

function countAtoms(tree: TextFormula): number {
  switch (tree.op) {
    case 'concept':
    case 'word':
    case 'depth':
      return 1;
    case 'not':
      return countAtoms(tree.arg);
    case 'after':
      return countAtoms(tree.arg) + countAtoms(tree.previous);
    default:
      return countAtoms(tree.left) + countAtoms(tree.right);
  }
}
