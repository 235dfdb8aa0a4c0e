import {
  formulaConcepts,
  HUE_COLOURS,
  parseFormula,
  unitTruth,
  UnitDefinition,
  type Formula,
  type UnitDefinitionInput,
} from '../../subjects/synthetic/index.ts';
import type { ProbeSet } from '../../stimuli/probeset.ts';
import { PROBE_PAIRS, PROBE_WORDS } from '../../stimuli/probeset-specs.ts';
import { isA } from '../../stimuli/vocabulary.ts';
import { pearson } from '../../tools/metrics/correlation.ts';
import { createRandom, type Random } from '../../util/random.ts';
import type { ScorerName } from '../suite.ts';
import { formulaValues } from '../scorers/formula-values.ts';

/**
 * The synthetic-hard suite's candidates: units of the families where naming one concept is not
 * enough (where in the image, how large, which hue, unless what, next to what, how many, which word,
 * what is both) and noisy variants of mono and OR units. Candidates are generated from a seed over
 * concepts the probe-set distribution shows often; scripts/make-suites.ts keeps, per family, the first
 * ones (in seeded order) that pass `checkCandidate` on the held-out scenes.
 */

export const HARD_SUITE_NAME = 'synthetic-hard';
export const HARD_HELD_OUT = { seed: 102, n: 1000 } as const;
export const HARD_GENERATOR_SEED = 6;
export const HARD_SCORERS: ScorerName[] = ['formula', 'concept', 'judge', 'predictive'];

/** Tasks kept per family (63 in all). */
export const HARD_QUOTAS = {
  spatial: 8,
  size: 6,
  graded: 6,
  negation: 8,
  relational: 8,
  counting: 7,
  word: 4,
  intersect: 6,
  'noisy-mono': 6,
  'noisy-or': 4,
} as const;
export type HardFamily = keyof typeof HARD_QUOTAS;

/** Thresholds of `checkCandidate`. */
export const HARD_CHECKS = {
  /** The unit must fire on at least this many held-out scenes, so the formula scorer has positives. */
  minPositives: 6,
  /** …and on at most this fraction of them, so firing means something. */
  maxPositiveFraction: 0.4,
  /** The best single concept of the rule may correlate with the unit at most this much. */
  maxSingleConceptR: 0.82,
  /** Noisy units: the clean rule must still explain the unit this well… */
  minNoisyR: 0.45,
  /** …but noise must matter: the clean rule may not explain it better than this. */
  maxNoisyR: 0.93,
};

export interface HardCandidate {
  id: string;
  family: HardFamily;
  definition: UnitDefinitionInput;
  /** What a correct description must name, when not the formula's concepts. */
  concepts?: string[];
}

/** Concepts items carry often in the probe-set distribution (see docs/probe-sets.md). */
const ITEM_CONCEPTS = [
  'animal', 'mammal', 'vehicle', 'text', 'shape', 'polygon', 'people', 'food', 'clothing', 'plant',
  'bird', 'dog', 'structure', 'blue', 'red', 'green', 'yellow', 'instrument', 'building', 'toy',
]; // prettier-ignore
const SIZED_CONCEPTS = [
  'animal',
  'shape',
  'polygon',
  'vehicle',
  'text',
  'food',
  'mammal',
  'clothing',
  'plant',
  'circle',
];
const RELATED_CONCEPTS = [
  'animal',
  'shape',
  'vehicle',
  'text',
  'food',
  'people',
  'plant',
  'clothing',
  'polygon',
  'bird',
];
const COUNTED_CONCEPTS = ['animal', 'shape', 'text', 'polygon', 'vehicle', 'mammal', 'food'];
const COUNTS: [number, '=' | '>=' | '<='][] = [
  [2, '>='],
  [1, '='],
  [2, '='],
  [3, '>='],
  [1, '<='],
];
const INTERSECTED = ['shape', 'polygon', 'animal', 'text', 'vehicle', 'circle'];
const NOISY_BACKGROUNDS = ['sky', 'grass', 'water', 'sand', 'snow', 'road'];
const NOISES = [
  { kind: 'gaussian', level: 0.15 },
  { kind: 'gaussian', level: 0.25 },
  { kind: 'uniform', level: 0.4 },
] as const;

function slug(text: string): string {
  return text
    .replace(/>=/g, ' ge ')
    .replace(/<=/g, ' le ')
    .replace(/=/g, ' eq ')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function shuffle<T>(random: Random, list: readonly T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const unrelated = (a: string, b: string) => a !== b && !isA(a, b) && !isA(b, a);

/** A unit definition without its id (the task id becomes the id), kept a union per family. */
type DistributiveOmitId<T> = T extends unknown ? Omit<T, 'id'> : never;

function candidate(
  family: HardFamily,
  definition: DistributiveOmitId<UnitDefinitionInput>,
  concepts?: string[],
): HardCandidate {
  const truth = unitTruth(UnitDefinition.parse({ ...definition, id: 'x' }));
  const noise = definition.noise
    ? `-${definition.noise.kind}-${String(definition.noise.level).replace('.', '')}`
    : '';
  return {
    id: `hard-${family}-${slug(truth.formula)}${noise}`,
    family,
    definition: { ...definition, id: 'x' } as UnitDefinitionInput,
    ...(concepts ? { concepts } : {}),
  };
}

/** Every candidate of every family, each family in its own seeded order. */
export function hardCandidates(seed = HARD_GENERATOR_SEED): Map<HardFamily, HardCandidate[]> {
  const random = createRandom(seed);
  const families = new Map<HardFamily, HardCandidate[]>();
  const add = (family: HardFamily, list: HardCandidate[]) => families.set(family, shuffle(random, list));

  add(
    'spatial',
    ITEM_CONCEPTS.flatMap((concept) =>
      (['left', 'right', 'top', 'bottom'] as const).map((half) =>
        candidate('spatial', { family: 'spatial', concept, half }),
      ),
    ),
  );
  add(
    'size',
    SIZED_CONCEPTS.flatMap((concept) =>
      (['small', 'medium', 'large'] as const).map((band) =>
        candidate('size', { family: 'size', concept, band }),
      ),
    ),
  );
  add(
    'graded',
    HUE_COLOURS.flatMap((hue) =>
      [20, 30, 45].map((sigma) => candidate('graded', { family: 'graded', hue, sigma }, [hue])),
    ),
  );
  add(
    'negation',
    PROBE_PAIRS.flatMap(([a, b]) => [
      candidate('negation', { family: 'negation', concept: a, unless: b }),
      candidate('negation', { family: 'negation', concept: b, unless: a }),
    ]),
  );
  add(
    'relational',
    RELATED_CONCEPTS.flatMap((concept) =>
      RELATED_CONCEPTS.filter((reference) => unrelated(concept, reference)).flatMap((reference) =>
        (['above', 'below', 'left_of', 'right_of'] as const).map((relation) =>
          candidate('relational', { family: 'relational', concept, relation, reference }),
        ),
      ),
    ),
  );
  add(
    'counting',
    COUNTED_CONCEPTS.flatMap((concept) =>
      COUNTS.map(([count, comparison]) =>
        candidate('counting', { family: 'counting', concept, count, comparison }),
      ),
    ),
  );
  add(
    'word',
    PROBE_WORDS.map((text) => candidate('word', { family: 'word', text }, [`word:${text}`])),
  );
  add(
    'intersect',
    ['red', 'blue', 'green', 'yellow', 'black', 'purple', 'orange', 'pink'].flatMap((colour) =>
      INTERSECTED.map((what) =>
        candidate('intersect', { family: 'formula', formula: `${colour} & ${what}` }),
      ),
    ),
  );
  add(
    'noisy-mono',
    [...ITEM_CONCEPTS, ...NOISY_BACKGROUNDS].flatMap((concept) =>
      NOISES.map((noise) => candidate('noisy-mono', { family: 'mono', concept, noise: { ...noise } })),
    ),
  );
  add(
    'noisy-or',
    PROBE_PAIRS.slice(0, 18).flatMap((pair) =>
      NOISES.map((noise) =>
        candidate('noisy-or', { family: 'or', concepts: [...pair], noise: { ...noise } }),
      ),
    ),
  );
  return families;
}

export interface CandidateCheck {
  ok: boolean;
  reason: string;
  positives: number;
  /** Best correlation of a single concept of the rule with the clean unit. */
  singleR: number;
}

/** The one-concept formulas an agent might stop at: each concept of the rule alone ('text' for a word). */
function singleConcepts(formula: Formula): Formula[] {
  const names = formula.op === 'word' ? ['text'] : formulaConcepts(formula);
  return names.map((name) => ({ op: 'concept', name }));
}

/**
 * Whether a candidate makes a good hard task on the held-out scenes: it fires often enough to be
 * scored and seldom enough to mean something, and (unless it is a noisy variant, whose difficulty is
 * the noise) no single concept of its rule explains it. Uses the noise-free rule; noisy candidates
 * get their noise checked by the caller against the unit's real activations.
 */
export function checkCandidate(hard: HardCandidate, set: ProbeSet, grid: number): CandidateCheck {
  const formula = parseFormula(unitTruth(UnitDefinition.parse(hard.definition)).formula);
  const clean = formulaValues(formula, set, grid);
  let max = 0;
  for (const value of clean) max = Math.max(max, value);
  const positives = clean.filter((value) => value > max / 2).length;
  const noisy = hard.family === 'noisy-mono' || hard.family === 'noisy-or';
  const singleR = noisy
    ? Number.NaN
    : Math.max(...singleConcepts(formula).map((single) => pearson(formulaValues(single, set, grid), clean)));
  const limits = HARD_CHECKS;
  if (positives < limits.minPositives) {
    return { ok: false, reason: `fires on only ${positives} held-out scenes`, positives, singleR };
  }
  if (positives > limits.maxPositiveFraction * set.n) {
    return { ok: false, reason: `fires on ${positives} of ${set.n} held-out scenes`, positives, singleR };
  }
  if (singleR > limits.maxSingleConceptR) {
    return { ok: false, reason: `one concept explains it (r ${singleR.toFixed(2)})`, positives, singleR };
  }
  return { ok: true, reason: 'ok', positives, singleR };
}
