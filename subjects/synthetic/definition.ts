import { z } from 'zod';
import { InputError } from '../../util/errors.ts';
import {
  COMPARISONS,
  DEFAULT_HUE_SIGMA,
  HALVES,
  RELATIONS,
  SIZE_BAND_NAMES,
  SIZE_BANDS,
  type Formula,
} from './ast.ts';
import { describeFormula } from './describe.ts';
import { HUE_COLOURS } from './hues.ts';
import { didYouMean } from './nearest.ts';
import { isConceptName, parseFormula } from './parse.ts';
import { formulaConcepts, printFormula } from './print.ts';

/** A concept as a definition names it: any case and spacing, stored lowercase with single spaces. */
const ConceptName = z
  .string()
  .transform((name) => name.trim().toLowerCase().replace(/\s+/g, ' '))
  .refine(isConceptName, {
    message: "a concept name is one or more words of letters, digits, _ ' or - (not AND, OR, NOT)",
  });

const HueColour = z
  .string()
  .transform((name) => name.trim().toLowerCase())
  .superRefine((name, context) => {
    if (!HUE_COLOURS.includes(name)) {
      context.addIssue({
        code: 'custom',
        message: `'${name}' has no hue${didYouMean(name, HUE_COLOURS)}; hue colours are ${HUE_COLOURS.join(', ')}`,
      });
    }
  });

/** Noise added to every coarse cell (see unit.ts): uniform in [0, level) or Gaussian with σ = level. */
export const NoiseSpec = z.strictObject({
  kind: z.enum(['gaussian', 'uniform']),
  level: z.number().gt(0).max(1),
});
export type NoiseSpec = z.infer<typeof NoiseSpec>;

const common = {
  /** Unique within a suite; the unit is named `synthetic:<id>`. */
  id: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._-]*$/,
      'an id is lowercase letters, digits, . _ or -, starting with a letter or digit',
    )
    .max(80),
  noise: NoiseSpec.optional(),
  /**
   * Upper bound of uniform noise put on every coarse cell when the rule does not fire at all, so a
   * silent unit reads as a small value rather than exactly 0. Defaults to 0.1 for `and` (MAIA's
   * synthetic AND neurons return a random value in [0, 0.1] when the second concept is missing), else 0.
   */
  restingNoise: z.number().min(0).max(1).optional(),
  /** Overrides the generated description. */
  description: z.string().min(1).max(500).optional(),
};

/**
 * One synthetic unit as data. The families mirror MAIA's three modes (mono, or, and) and add harder
 * ones; `formula` takes any formula of the concept language. Every family is implemented by a formula
 * (`unitFormula`), so the same evaluator serves the units and an agent's answer.
 */
export const UnitDefinition = z.discriminatedUnion('family', [
  z.strictObject({ ...common, family: z.literal('mono'), concept: ConceptName }),
  z.strictObject({ ...common, family: z.literal('or'), concepts: z.array(ConceptName).min(2).max(8) }),
  /** Fires on concepts[0] when concepts[1] is also present. */
  z.strictObject({ ...common, family: z.literal('and'), concepts: z.tuple([ConceptName, ConceptName]) }),
  z.strictObject({ ...common, family: z.literal('spatial'), concept: ConceptName, half: z.enum(HALVES) }),
  z.strictObject({
    ...common,
    family: z.literal('size'),
    concept: ConceptName,
    band: z.union([
      z.enum(SIZE_BAND_NAMES),
      z
        .strictObject({ min: z.number().min(0).max(1), max: z.number().gt(0).max(1) })
        .refine((band) => band.min < band.max, { message: 'band min must be below max' }),
    ]),
  }),
  z.strictObject({
    ...common,
    family: z.literal('graded'),
    hue: HueColour,
    sigma: z.number().min(1).max(180).default(DEFAULT_HUE_SIGMA),
  }),
  z.strictObject({ ...common, family: z.literal('negation'), concept: ConceptName, unless: ConceptName }),
  z.strictObject({
    ...common,
    family: z.literal('relational'),
    concept: ConceptName,
    relation: z.enum(RELATIONS),
    reference: ConceptName,
  }),
  z.strictObject({
    ...common,
    family: z.literal('counting'),
    concept: ConceptName,
    count: z.number().int().min(1).max(1000),
    comparison: z.enum(COMPARISONS).default('='),
  }),
  /** A word item whose text is `text`; without `text`, any rendered text (the 'text' concept). */
  z.strictObject({ ...common, family: z.literal('word'), text: z.string().trim().min(1).max(64).optional() }),
  z.strictObject({
    ...common,
    family: z.literal('formula'),
    formula: z.string().superRefine((text, context) => {
      try {
        parseFormula(text);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  }),
]);
export type UnitDefinition = z.infer<typeof UnitDefinition>;
export type UnitDefinitionInput = z.input<typeof UnitDefinition>;
export type UnitFamily = UnitDefinition['family'];

/** The ground truth of a unit, as data a benchmark can store and a scorer can compare against. */
export interface UnitTruth {
  id: string;
  /** `synthetic:<id>`. */
  unit: string;
  family: UnitFamily;
  /** Concept names the rule mentions. */
  concepts: string[];
  /** The rule in words. */
  description: string;
  /** The canonical formula (printFormula of the parsed rule). */
  formula: string;
  noise?: NoiseSpec;
  restingNoise: number;
}

/**
 * Validate a list of unit definitions (e.g. a suite's JSON): every entry against the schema, ids
 * unique. The error names the entry by position and id and says what is wrong.
 */
export function parseUnitDefinitions(input: unknown): UnitDefinition[] {
  if (!Array.isArray(input)) {
    throw new InputError(`synthetic unit definitions must be a JSON array, got ${typeof input}`);
  }
  const seen = new Set<string>();
  return input.map((entry: unknown, i) => {
    const result = UnitDefinition.safeParse(entry);
    const id = typeof entry === 'object' && entry !== null && 'id' in entry ? ` ('${String(entry.id)}')` : '';
    if (!result.success) {
      throw new InputError(`synthetic unit ${i}${id} is invalid:\n${z.prettifyError(result.error)}`);
    }
    if (seen.has(result.data.id)) throw new InputError(`synthetic unit ${i}${id}: the id is used twice`);
    seen.add(result.data.id);
    return result.data;
  });
}

/** The formula that implements a unit. */
export function unitFormula(definition: UnitDefinition): Formula {
  const concept = (name: string): Formula => ({ op: 'concept', name });
  switch (definition.family) {
    case 'mono':
      return concept(definition.concept);
    case 'or':
      return definition.concepts.map(concept).reduce((left, right): Formula => ({ op: 'or', left, right }));
    case 'and':
      return { op: 'and', left: concept(definition.concepts[0]), right: concept(definition.concepts[1]) };
    case 'spatial':
      return { op: 'half', half: definition.half, arg: concept(definition.concept) };
    case 'size': {
      const band = typeof definition.band === 'string' ? SIZE_BANDS[definition.band] : definition.band;
      return { op: 'size', band: { ...band }, arg: concept(definition.concept) };
    }
    case 'graded':
      return { op: 'hue', colour: definition.hue, sigma: definition.sigma };
    case 'negation':
      return {
        op: 'and',
        left: concept(definition.concept),
        right: { op: 'not', arg: concept(definition.unless) },
      };
    case 'relational':
      return {
        op: 'relation',
        relation: definition.relation,
        arg: concept(definition.concept),
        reference: concept(definition.reference),
      };
    case 'counting':
      return {
        op: 'count',
        comparison: definition.comparison,
        count: definition.count,
        arg: concept(definition.concept),
      };
    case 'word':
      return definition.text === undefined
        ? concept('text')
        : { op: 'word', text: definition.text.toLowerCase().replace(/\s+/g, ' ') };
    case 'formula':
      return parseFormula(definition.formula);
  }
}

export function unitRestingNoise(definition: UnitDefinition): number {
  return definition.restingNoise ?? (definition.family === 'and' ? 0.1 : 0);
}

/** The ground truth of a unit: its family, concepts, formula and a description in words. */
export function unitTruth(definition: UnitDefinition): UnitTruth {
  const formula = unitFormula(definition);
  const restingNoise = unitRestingNoise(definition);
  let description = definition.description ?? `Fires on ${describeFormula(formula)}.`;
  if (definition.description === undefined && definition.noise) {
    const { kind, level } = definition.noise;
    description += ` Adds ${kind} noise (${kind === 'gaussian' ? 'σ' : 'up to'} ${level}).`;
  }
  if (definition.description === undefined && restingNoise > 0) {
    description += ` Otherwise returns a small random value below ${restingNoise}.`;
  }
  return {
    id: definition.id,
    unit: `synthetic:${definition.id}`,
    family: definition.family,
    concepts: formulaConcepts(formula),
    description,
    formula: printFormula(formula),
    ...(definition.noise ? { noise: definition.noise } : {}),
    restingNoise,
  };
}
