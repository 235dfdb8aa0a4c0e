import { parseFormula } from '../../subjects/synthetic/index.ts';
import type { ProbeSet } from '../../stimuli/probeset.ts';
import { conceptsOfKind } from '../../stimuli/vocabulary.ts';
import { createRandom, pick, type Random } from '../../util/random.ts';
import type { ScorerName } from '../suite.ts';
import { formulaValues } from '../scorers/formula-values.ts';

/**
 * The synthetic-sparse suite's candidates: units that fire on under 0.5% of random probe scenes —
 * how many of one object (exactly two cats), one object placed against another (a bird above a
 * tree), rare pairs (a boat on sand, a cat with a guitar), rare objects at a size or place (a small
 * owl, an apple in the top-left corner). Scored on contrastive held-out sets (random scenes plus
 * scenes built to satisfy the rule and minimal pairs that break it: scorers/contrastive.ts), since
 * on random scenes alone such a unit is silent and even its exact formula scores r = 0.
 * scripts/make-suites.ts keeps, per family, the first seeded candidates that pass `checkSparse`.
 */

export const SPARSE_SUITE_NAME = 'synthetic-sparse';
/** Random scenes of the held-out set and the satisfying scenes added (each with its minimal pairs). */
export const SPARSE_HELD_OUT = { seed: 104, n: 1000, contrastive: 20 } as const;
/** Random scenes the rarity check counts firing on (the "< 0.5%" claim). */
export const SPARSE_CHECK_SCENES = 4000;
export const SPARSE_MAX_FIRING = 0.005;
export const SPARSE_GENERATOR_SEED = 15;
export const SPARSE_SCORERS: ScorerName[] = ['formula', 'concept', 'judge', 'predictive'];

export const SPARSE_QUOTAS = { counting: 10, relational: 12, pair: 10, 'size-place': 10 } as const;
export type SparseFamily = keyof typeof SPARSE_QUOTAS;

export interface SparseCandidate {
  family: SparseFamily;
  formula: string;
}

const OBJECTS = conceptsOfKind('object');
const BACKGROUNDS = ['sand', 'grass', 'water', 'snow', 'road', 'wood', 'brick wall'];
const RELATIONS = ['above', 'below', 'left_of', 'right_of'];

function candidate(random: Random, family: SparseFamily): string {
  const x = pick(random, OBJECTS);
  let y = pick(random, OBJECTS);
  while (y === x) y = pick(random, OBJECTS);
  switch (family) {
    case 'counting':
      return `count(${x}) = ${random() < 0.6 ? 2 : 3}`;
    case 'relational':
      return `${pick(random, RELATIONS)}(${x}, ${y})`;
    case 'pair':
      return random() < 0.5 ? `${x} AND ${pick(random, BACKGROUNDS)}` : `${x} AND ${y}`;
    case 'size-place':
      return random() < 0.5 ? `small(${x})` : `${pick(random, ['left', 'right'])}(${x}) & ${pick(random, ['top', 'bottom'])}(${x})`;
  }
} // prettier-ignore

/** Candidates per family in seeded order (more than the quotas: some fail the checks). */
export function sparseCandidates(
  seed = SPARSE_GENERATOR_SEED,
  perFamily = 60,
): Map<SparseFamily, SparseCandidate[]> {
  const random = createRandom(seed);
  const out = new Map<SparseFamily, SparseCandidate[]>();
  for (const family of Object.keys(SPARSE_QUOTAS) as SparseFamily[]) {
    const seen = new Set<string>();
    const list: SparseCandidate[] = [];
    while (list.length < perFamily) {
      const formula = candidate(random, family);
      if (seen.has(formula)) continue;
      seen.add(formula);
      list.push({ family, formula });
    }
    out.set(family, list);
  }
  return out;
}

/** How often the rule fires (value ≥ 0.5) on random scenes. */
export function firingRate(formula: string, set: ProbeSet, grid: number): { firing: number; rate: number } {
  const values = formulaValues(parseFormula(formula), set, grid);
  const firing = values.filter((v) => v >= 0.5).length;
  return { firing, rate: firing / set.n };
}
