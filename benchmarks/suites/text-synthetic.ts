import {
  TEXT_UNIT_BANK,
  textUnitTruth,
  type TextUnitDefinition,
} from '../../subjects/synthetic-text/index.ts';
import { SYNTHETIC_TEXT_PREFIX } from '../../tools/text-probe/load.ts';
import { Suite, Task } from '../suite.ts';

/**
 * The text-synthetic suite: one task per unit of the built-in synthetic text bank (parts of speech,
 * lexical categories, words, positions, quotes and brackets, repetition, capitals, combinations,
 * sequences, noisy units). Each task's subject is its unit alone, inline, so the agent studies
 * `synthetic:0` of a subject named only `synthetic-text`. Every task shares one held-out text set
 * from the corpus's test split (documents the agent's tools never read), so scoring a suite annotates
 * it once.
 */
export const TEXT_SUITE_NAME = 'text-synthetic';
export const TEXT_HELD_OUT = { seed: 101, n: 400 } as const;
export const TEXT_QUESTION = 'What does unit synthetic:0 respond to?';

export function textTask(definition: TextUnitDefinition): Task {
  const id = `text-${definition.id}`;
  const unit = { ...definition, id };
  const truth = textUnitTruth(unit);
  return Task.parse({
    id,
    family: definition.family,
    subject: `${SYNTHETIC_TEXT_PREFIX}${JSON.stringify([unit])}`,
    unit: 'synthetic:0',
    question: TEXT_QUESTION,
    truth: { formula: truth.formula, concepts: truth.concepts, description: truth.description },
    scorers: ['formula', 'concept'],
    heldOut: TEXT_HELD_OUT,
    origin: `synthetic text bank unit ${definition.id}`,
  });
}

export function textSyntheticSuite(): Suite {
  return Suite.parse({
    name: TEXT_SUITE_NAME,
    description:
      'Synthetic text units with exact ground truth over token annotations: parts of speech, lexical categories, ' +
      'single words, sentence position, quotes and brackets, repetition, capitals, combinations (AND/OR/NOT), ' +
      'sequences (after) and noisy units; scored token by token on held-out texts (docs/benchmarks.md).',
    version: 1,
    tasks: TEXT_UNIT_BANK.map(textTask),
  });
}
