import { Suite, Task, type ScorerName } from '../suite.ts';

/**
 * The background-bias suite: the two boat classifiers of the zoo (boats-biased, trained where boats
 * float on water; boats-balanced, its control), one task each about the 'boat' logit. Which model
 * is biased, and toward what? The reliance scorer credits an answer on the biased model for naming
 * water, and on the balanced one for naming the boat without claiming water (benchmarks/scorers/
 * reliance.ts); the concept scorer stands beside it.
 */

export const BIAS_SUITE_NAME = 'background-bias';
export const BIAS_SCORERS: ScorerName[] = ['reliance', 'concept'];
/** Not read by these scorers, but every task names one; a seed of its own. */
export const BIAS_HELD_OUT = { seed: 1302, n: 200 } as const;
/** The 'boat' class of both models (labels ['no boat', 'boat']). */
export const BOAT_UNIT = 'logits:1';

function biasTask(subject: 'boats-biased' | 'boats-balanced', relies: boolean): Task {
  return Task.parse({
    id: subject,
    family: relies ? 'biased' : 'balanced',
    subject,
    unit: BOAT_UNIT,
    question:
      // The question does not name the model: its name says which one is biased.
      `Unit ${BOAT_UNIT} is the 'boat' logit of a classifier that says whether a boat is in the scene. ` +
      'What does it rely on: the boat, or a spurious feature of the scene (and which)?',
    truth: {
      concepts: relies ? ['water'] : ['boat'],
      description: relies
        ? 'It relies on the water background: it was trained where boats almost always float on water, and it says boat on empty water and misses boats on land.'
        : 'It relies on the boat: it was trained with the background independent of the label, and it finds boats on land as on water.',
      // Water is drawn blue: a model that learned the colour has learned the cue.
      reliance: { target: 'boat', feature: 'water', relies, looksLike: ['blue'] },
    },
    scorers: BIAS_SCORERS,
    heldOut: { ...BIAS_HELD_OUT },
    origin: `zoo/${subject}: the Explanation Alignment CelebA bias experiment on rendered scenes`,
  });
}

export function backgroundBiasSuite(): Suite {
  return Suite.parse({
    name: BIAS_SUITE_NAME,
    description:
      'Which of two boat classifiers relies on the water background (the Explanation Alignment background-bias ' +
      'experiment on rendered scenes): one task per model about its boat logit, scored by reliance and concept.',
    version: 1,
    tasks: [biasTask('boats-biased', true), biasTask('boats-balanced', false)],
  });
}
