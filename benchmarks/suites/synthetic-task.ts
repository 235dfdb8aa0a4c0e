import { UnitDefinition, unitTruth, type UnitDefinitionInput } from '../../subjects/synthetic/index.ts';
import { Task, type ScorerName, type Substitution } from '../suite.ts';

/**
 * A benchmark task about one synthetic unit: the subject is the unit alone, inline, so the agent
 * studies `synthetic:0` and nothing in the subject's name gives the answer away (the runner must not
 * show the agent the subject reference itself, which holds the definition).
 */

export const SYNTHETIC_QUESTION = 'What does unit synthetic:0 detect?';

export interface SyntheticTaskInput {
  id: string;
  family: string;
  /** The unit; its id is replaced by the task id (which also seeds the unit's noise). */
  definition: UnitDefinitionInput;
  /** What a correct description must name (defaults to the concepts the unit's formula names). */
  concepts?: string[];
  scorers: ScorerName[];
  heldOut: { seed: number; n: number; contrastive?: number };
  substitution?: Substitution;
  origin?: string;
  /** Appended to the generated description of the rule. */
  note?: string;
}

export function syntheticTask(input: SyntheticTaskInput): Task {
  const definition = UnitDefinition.parse({ ...input.definition, id: input.id });
  const truth = unitTruth(definition);
  const description = input.note ? `${truth.description} ${input.note}` : truth.description;
  return Task.parse({
    id: input.id,
    family: input.family,
    subject: `synthetic:${JSON.stringify([definition])}`,
    unit: 'synthetic:0',
    question: SYNTHETIC_QUESTION,
    truth: {
      formula: truth.formula,
      concepts: input.concepts ?? truth.concepts,
      description,
      ...(input.substitution ? { substitution: input.substitution } : {}),
    },
    scorers: input.scorers,
    heldOut: input.heldOut,
    ...(input.origin ? { origin: input.origin } : {}),
  });
}
