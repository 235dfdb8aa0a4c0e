import { z } from 'zod';
import { InputError } from '../../util/errors.ts';
import { NoiseSpec } from '../synthetic/definition.ts';
import { describeTextFormula, parseTextFormula, printTextFormula, textFormulaTerms } from './formula.ts';

/** The families of synthetic text units (what kind of rule each is, for suites and reports). */
export const TEXT_UNIT_FAMILIES = [
  'pos',
  'lexical',
  'word',
  'position',
  'brackets',
  'repeat',
  'capital',
  'combination',
  'sequence',
  'noisy',
] as const;
export type TextUnitFamily = (typeof TEXT_UNIT_FAMILIES)[number];

/**
 * One synthetic text unit as data: a formula of the text concept language (formula.ts), its family,
 * optional noise (per token, as in subjects/synthetic: uniform in [0, level) or Gaussian σ = level).
 */
export const TextUnitDefinition = z.strictObject({
  /** Unique within a bank or suite: lowercase letters, digits, . _ -. */
  id: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._-]*$/,
      'an id is lowercase letters, digits, . _ or -, starting with one of those',
    )
    .max(80),
  family: z.enum(TEXT_UNIT_FAMILIES),
  formula: z.string().superRefine((text, context) => {
    try {
      parseTextFormula(text);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
    }
  }),
  noise: NoiseSpec.optional(),
  description: z.string().min(1).max(500).optional(),
});
export type TextUnitDefinition = z.infer<typeof TextUnitDefinition>;

export interface TextUnitTruth {
  id: string;
  family: TextUnitFamily;
  /** Canonical formula. */
  formula: string;
  /** Concept names and `word:<w>` terms the formula mentions. */
  concepts: string[];
  description: string;
  noise?: NoiseSpec;
}

export function parseTextUnitDefinitions(input: unknown): TextUnitDefinition[] {
  const list = Array.isArray(input) ? input : [input];
  const seen = new Set<string>();
  return list.map((entry: unknown, i) => {
    const result = TextUnitDefinition.safeParse(entry);
    const id = typeof entry === 'object' && entry !== null && 'id' in entry ? ` ('${String(entry.id)}')` : '';
    if (!result.success)
      throw new InputError(`synthetic text unit ${i}${id} is invalid:\n${z.prettifyError(result.error)}`);
    if (seen.has(result.data.id)) throw new InputError(`synthetic text unit ${i}${id}: the id is used twice`);
    seen.add(result.data.id);
    return result.data;
  });
}

export function textUnitTruth(definition: TextUnitDefinition): TextUnitTruth {
  const tree = parseTextFormula(definition.formula);
  let description = definition.description ?? `Fires on ${describeTextFormula(tree)}.`;
  if (definition.description === undefined && definition.noise)
    description += ` Adds ${definition.noise.kind} noise (level ${definition.noise.level}).`;
  return {
    id: definition.id,
    family: definition.family,
    formula: printTextFormula(tree),
    concepts: textFormulaTerms(tree),
    description,
    ...(definition.noise ? { noise: definition.noise } : {}),
  };
}
