import { z } from 'zod';

/**
 * What dissect reads from tool results: the parts of each tool's `data` it needs, validated. Data come
 * from the loop as `unknown` (and from transcripts on replay), so each view is parsed, and a result
 * that does not match is treated as missing evidence rather than trusted. Views are loose objects:
 * tools may add fields without breaking dissect.
 */

const ConceptArea = z.looseObject({ concept: z.string(), area: z.number() });
const ConceptCoverage = z.looseObject({ concept: z.string(), coverage: z.number() });

export const ExemplarsView = z.looseObject({
  unit: z.string(),
  scenes: z.number(),
  stats: z.looseObject({ mean: z.number(), max: z.number(), min: z.number() }),
  exemplars: z.array(
    z.looseObject({
      probeScene: z.number(),
      activation: z.number(),
      rank: z.enum(['top', 'bottom']),
      concepts: z.array(ConceptArea),
      firesOn: z.array(ConceptCoverage),
      description: z.string(),
    }),
  ),
});
export type ExemplarsView = z.infer<typeof ExemplarsView>;

const ConceptScore = z.looseObject({ concept: z.string(), iou: z.number(), kind: z.string() });

export const StatsView = z.looseObject({
  unit: z.string(),
  scenes: z.number(),
  activeFraction: z.number(),
  top: z.array(ConceptScore),
  detector: z.boolean(),
});
export type StatsView = z.infer<typeof StatsView>;

const FormulaResult = z.looseObject({
  formula: z.string(),
  description: z.string(),
  length: z.number(),
  iou: z.number(),
  r: z.number(),
  scenes: z.number(),
});
export type FormulaResultView = z.infer<typeof FormulaResult>;

export const SearchView = z.looseObject({
  unit: z.string(),
  scenes: z.number(),
  activeFraction: z.number(),
  concepts: z.array(FormulaResult),
  formulas: z.array(FormulaResult),
  scored: z.array(z.looseObject({ formula: z.string(), score: FormulaResult.optional() })).default([]),
  detector: z.boolean(),
});
export type SearchView = z.infer<typeof SearchView>;

const PropertyScore = z.looseObject({
  property: z.string(),
  kind: z.string(),
  label: z.string(),
  scenes: z.number(),
  r: z.number(),
  score: z.number(),
});
export type PropertyScoreView = z.infer<typeof PropertyScore>;

export const PropertiesView = z.looseObject({
  unit: z.string(),
  scenes: z.number(),
  top: z.array(PropertyScore),
  bottom: z.array(PropertyScore),
});
export type PropertiesView = z.infer<typeof PropertiesView>;

export const CallUnitsView = z.looseObject({
  units: z.array(z.string()),
  activations: z.array(z.array(z.number())),
});
export type CallUnitsView = z.infer<typeof CallUnitsView>;

export const EditScenesView = z.looseObject({
  pairs: z.array(
    z.looseObject({
      units: z.array(z.looseObject({ unit: z.string(), before: z.number(), after: z.number() })).optional(),
    }),
  ),
});
export type EditScenesView = z.infer<typeof EditScenesView>;

/** The parts of a scene spec that edits are designed from. */
export const SpecView = z.looseObject({
  background: z.string(),
  items: z.array(
    z.looseObject({
      kind: z.enum(['object', 'shape', 'word']),
      name: z.string(),
      colour: z.string().optional(),
      texture: z.string().optional(),
      x: z.number(),
      y: z.number(),
    }),
  ),
});
export type SpecView = z.infer<typeof SpecView>;

export const RenderScenesView = z.looseObject({
  scenes: z.array(z.looseObject({ probeScene: z.number().optional(), spec: SpecView })),
});
export type RenderScenesView = z.infer<typeof RenderScenesView>;

export const HypothesisView = z.looseObject({
  hypothesis: z.looseObject({ id: z.string(), status: z.string() }),
});

export const DescribeView = z.looseObject({ kind: z.string().optional() });

export const SearchStimuliView = z.looseObject({
  evaluated: z.number(),
  resting: z.number(),
  moved: z.boolean(),
  best: z.array(z.looseObject({ activation: z.number(), contents: z.string(), spec: z.looseObject({}) })),
  drivers: z.array(z.looseObject({ change: z.string(), activation: z.number(), drop: z.number() })),
});
export type SearchStimuliView = z.infer<typeof SearchStimuliView>;

export const ProbeFamilyView = z.looseObject({
  family: z.string(),
  levels: z.array(z.looseObject({ level: z.string(), activation: z.number() })),
  // r is NaN where the unit or the formula is constant on the family: null once written as JSON.
  formulas: z.array(
    z.looseObject({
      formula: z.string(),
      r: z
        .number()
        .nullable()
        .transform((r) => r ?? Number.NaN),
    }),
  ),
});
export type ProbeFamilyView = z.infer<typeof ProbeFamilyView>;

export interface SpecItem {
  kind: string;
  name: string;
  [key: string]: unknown;
}
export interface Spec {
  background: string;
  items: SpecItem[];
  [key: string]: unknown;
}

export interface MemberStimulus {
  /** Which needed thing was replaced, and by what. */
  replaced: string;
  by: string;
  spec: Spec;
}

export function membersOutcome(
  stimuli: MemberStimulus[],
  data: unknown,
): { stimuli: MemberStimulus[]; activations: number[] } | undefined {
  const activations = view(CallUnitsView, data)?.activations[0];
  return activations ? { stimuli, activations } : undefined;
}

/** The data, if it has the view's shape. */
export function view<T>(schema: z.ZodType<T>, data: unknown): T | undefined {
  const parsed = schema.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}
