import { readMaiaNeurons } from '../../subjects/synthetic/maia.ts';
import type { UnitDefinitionInput } from '../../subjects/synthetic/index.ts';
import { maiaConceptMapping } from '../../stimuli/maia-mapping.ts';
import { Suite, type ScorerName, type Substitution, type Task } from '../suite.ts';
import { syntheticTask } from './synthetic-task.ts';

/**
 * MAIA's synthetic-neuron benchmark (Shaham et al., ICML 2024; data/maia_synthetic_concepts.txt):
 * 47 mono, 18 OR and 20 AND neurons, each as one synthetic unit over our vocabulary. MAIA's concept
 * names go through stimuli/maia-mapping.ts: spellings become ours ('hands' → hand, 'tires' →
 * wheel), and the four concepts nothing can depict alone are replaced by the nearest depictable one,
 * recorded in the task's truth.substitution.
 */

export const MAIA_SUITE_NAME = 'maia-synthetic';
/**
 * Held-out scenes: the probe-set distribution under its own seed (the agent's is 1); the size per
 * task is chosen by scripts/make-suites.ts (held-out-size.ts), 1,000 unless the unit is rare.
 */
export const MAIA_HELD_OUT = { seed: 101, n: 1000 } as const;
export const MAIA_SCORERS: ScorerName[] = ['formula', 'concept', 'judge', 'predictive'];

function mapConcept(name: string): { concept: string; substitution?: Substitution } {
  const mapping = maiaConceptMapping[name];
  if (!mapping || mapping.concept === null) {
    throw new Error(`MAIA concept '${name}' has no depictable concept in stimuli/maia-mapping.ts`);
  }
  return mapping.kind === 'substitute'
    ? { concept: mapping.concept, substitution: { from: name, to: mapping.concept, why: mapping.note } }
    : { concept: mapping.concept };
}

/** `heldOut` gives a task's held-out size and what its unit fires on there (from make-suites). */
export type HeldOutSizes = ReadonlyMap<string, { n: number; positives: number }>;

export function maiaTasks(heldOut: HeldOutSizes = new Map()): Task[] {
  return readMaiaNeurons().map(({ mode, concepts }) => {
    const id = `maia-${mode}-${concepts.join('-').replace(/ /g, '_')}`;
    const mapped = concepts.map(mapConcept);
    const ours = mapped.map((m) => m.concept);
    const substitutions = mapped.flatMap((m) => (m.substitution ? [m.substitution] : []));
    if (substitutions.length > 1)
      throw new Error(`${id}: a task records one substitution, this one needs ${substitutions.length}`);
    const [first = '', second = ''] = ours;
    const definition: UnitDefinitionInput =
      mode === 'mono'
        ? { id, family: 'mono', concept: first }
        : mode === 'or'
          ? { id, family: 'or', concepts: [first, second] }
          : { id, family: 'and', concepts: [first, second] };
    const substitution = substitutions[0];
    const size = heldOut.get(id);
    return syntheticTask({
      id,
      family: mode,
      definition,
      scorers: MAIA_SCORERS,
      heldOut: { seed: MAIA_HELD_OUT.seed, n: size?.n ?? MAIA_HELD_OUT.n },
      origin:
        `MAIA synthetic neuron, ${mode}: ${concepts.join(' / ')}` +
        (size ? `; fires on ${size.positives} of ${size.n} held-out scenes` : ''),
      ...(substitution
        ? {
            substitution,
            note: `(MAIA's concept is '${substitution.from}'; ${substitution.to} stands in for it: ${substitution.why}.)`,
          }
        : {}),
    });
  });
}

export function maiaSyntheticSuite(heldOut: HeldOutSizes = new Map()): Suite {
  return Suite.parse({
    name: MAIA_SUITE_NAME,
    description:
      "MAIA's 85 synthetic neurons (47 mono, 18 OR, 20 AND; Shaham et al., ICML 2024) as synthetic units " +
      'over the aia scene vocabulary, with four undepictable concepts substituted (docs/benchmarks.md).',
    version: 1,
    tasks: maiaTasks(heldOut),
  });
}
