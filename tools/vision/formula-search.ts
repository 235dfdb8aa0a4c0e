import { z } from 'zod';
import {
  DEFAULT_GRID,
  describeFormula,
  parseFormula,
  printFormula,
  type Formula,
} from '../../subjects/synthetic/index.ts';
import { errorMessage } from '../../util/errors.ts';
import {
  LabelIndexBuilder,
  scoreFormulas,
  searchFormulas,
  restingFloor,
  topRegion,
  unitLabelTable,
  type FormulaScore,
  type LabelIndex,
  type LabelTable,
  type Objective,
  type TopRegion,
} from '../analysis/compositional/index.ts';
import { scoreByEvaluation } from '../analysis/formula-evaluation.ts';
import { DEFAULT_TOP_FRACTION, DETECTOR_IOU, comparisonSize } from '../analysis/netdissect.ts';
import type { ProbeSet } from '../../stimuli/probeset.ts';
import type { ToolContext } from '../context.ts';
import { probeSetAnnotatedScenes } from '../cache/probe-scenes.ts';
import { SyntheticProbe } from '../probe/synthetic-probe.ts';
import type { UnitAddress } from '../probe/types.ts';
import { ProbeSetSizeArg, probeSetSizeCost, sizedContext } from '../common/probe-set-size.ts';
import { defineTool, ToolError } from '../tool.ts';
import { canonicalConcept } from '../analysis/concept-args.ts';
import { withToolErrors } from '../common/errors.ts';
import { fmt, round } from '../common/format.ts';
import { unitActivations } from '../common/unit-activations.ts';

const Input = z.strictObject({
  unit: z.string().trim().min(1).describe("the unit, 'site:index'"),
  candidates: z
    .array(z.string().min(1))
    .max(20)
    .optional()
    .describe(
      'concepts to combine with OR and & (default: the 10 concepts with the best IoU); gates (AND g, AND NOT g) ' +
        'are tried with every concept',
    ),
  max_length: z.number().int().min(1).max(4).default(3).describe('most concepts in a formula (default 3)'),
  beam: z.number().int().min(1).max(20).default(5).describe('beam width (default 5)'),
  top_k: z.number().int().min(1).max(20).default(5).describe('formulas to report (default 5)'),
  rank_by: z
    .enum(['iou', 'r'])
    .default('iou')
    .describe('what the beam keeps and the list is ordered by: IoU (as Mu & Andreas) or r (default iou)'),
  spatial: z
    .boolean()
    .default(true)
    .describe('also try the left/right/top/bottom half of each candidate, e.g. left(dog) (default true)'),
  top_fraction: z
    .number()
    .gt(0)
    .max(0.5)
    .default(DEFAULT_TOP_FRACTION)
    .describe("share of all map values in the unit's region (default 0.005, as concept_stats)"),
  formulas: z
    .array(z.string().trim().min(1).max(300))
    .max(40)
    .optional()
    .describe(
      'formulas of your own to score the same way, e.g. ["snake AND NOT grass", "large(dog)", ' +
        '"count(bird) >= 2", "above(bird, tree)", "hue(red, 20)"]; any formula of the concept language ' +
        '(those with sizes, relations, counts or hues are evaluated on every probe scene, which is slower)',
    ),
  scenes: z.number().int().min(1).optional().describe('use only the first n probe-set scenes (default: all)'),
  probe_set_size: ProbeSetSizeArg,
});

export interface FormulaResult {
  formula: string;
  description: string;
  length: number;
  iou: number;
  r: number;
  precision: number;
  recall: number;
  scenes: number;
}

export interface FormulaSearchData {
  unit: string;
  scenes: number;
  threshold: number;
  topFraction: number;
  activeFraction: number;
  /** Scenes whose unit maps were needed to fix the threshold and the region. */
  mappedScenes: number;
  comparison: { width: number; height: number };
  /** The grid a formula's map is pooled to for its scalar value (r). */
  grid: number;
  rankBy: Objective;
  maxLength: number;
  candidates: string[];
  gates: number;
  evaluated: number;
  /** The best single concepts. */
  concepts: FormulaResult[];
  formulas: FormulaResult[];
  /** The formulas asked for, in order (those the label table cannot express scored by evaluation). */
  scored: { formula: string; score: FormulaResult }[];
  /** Whether the best formula passes NetDissect's detector bar (IoU > 0.04). */
  detector: boolean;
}

/** Per context: the table of a (unit, scenes, top fraction), so a second search skips the maps. */
const tables = new WeakMap<ToolContext, Map<string, Promise<{ table: LabelTable; region: TopRegion }>>>();

/** formula_search: compositional explanations (Mu & Andreas 2020) of one unit. */
export const formulaSearchTool = defineTool({
  name: 'formula_search',
  description:
    'Compositional explanation of a unit (Mu & Andreas 2020): beam search over formulas of the concept language ' +
    'built from concepts with OR, & (both at once), AND (gate: the first where the second is also in the image), ' +
    'AND NOT, and left/right/top/bottom halves, up to max_length concepts. Each formula is scored by IoU between ' +
    "the unit's top region over the whole probe set (as concept_stats) and the formula's mask, and by r: the " +
    "correlation over scenes between the unit's activation and the formula's value, which is how an answer " +
    'formula is compared with a unit. Use it after concept_stats to find mixtures (dog OR car), conjunctions ' +
    '(cup AND handle), exceptions (snake AND NOT grass) and places (left(dog)); seed it with candidates.',
  input: Input,
  cost: (args, ctx: ToolContext) => probeSetSizeCost(args.probe_set_size, ctx),
  async execute(args: z.output<typeof Input>, given: ToolContext) {
    return withToolErrors('formula_search', async () => {
      const ctx = sizedContext(given, args.probe_set_size);
      const unit = ctx.probe.parseUnit(args.unit);
      const candidates = args.candidates?.map((c) => canonicalConcept(c, 'formula_search'));
      const asked = (args.formulas ?? []).map((text) => parseAsked(text));
      const set = await ctx.probeSet();
      const n = Math.min(set.n, args.scenes ?? set.n);
      const { table, region } = await unitTable(ctx, unit, n, args.top_fraction);
      const result = searchFormulas(table, {
        ...(candidates ? { candidates } : {}),
        maxLength: args.max_length,
        beam: args.beam,
        topK: args.top_k,
        objective: args.rank_by,
        spatial: args.spatial,
      });
      const data: FormulaSearchData = {
        unit: unit.id,
        scenes: n,
        threshold: region.threshold,
        topFraction: region.topFraction,
        activeFraction: region.activeFraction,
        mappedScenes: region.mapped,
        comparison: table.comparison,
        grid: table.grid,
        rankBy: result.objective,
        maxLength: args.max_length,
        candidates: result.candidates,
        gates: result.gates,
        evaluated: result.evaluated,
        concepts: result.concepts.map(asResult),
        formulas: result.formulas.map(asResult),
        scored: scoreAsked(table, region, set, asked),
        detector: (result.formulas[0]?.iou ?? 0) > DETECTOR_IOU,
      };
      return { text: describeSearch(data, candidates), images: [], data };
    });
  },
});

/** A formula as asked: parsed, its concepts checked against the vocabulary (names canonical). */
function parseAsked(text: string): Formula {
  let formula: Formula;
  try {
    formula = parseFormula(text);
  } catch (error) {
    throw new ToolError(`formula_search: '${text}' does not parse: ${errorMessage(error)}`, 'formula_search');
  }
  return renameConcepts(formula, (name) => canonicalConcept(name, 'formula_search'));
}

function renameConcepts(formula: Formula, rename: (name: string) => string): Formula {
  switch (formula.op) {
    case 'concept':
      return { op: 'concept', name: rename(formula.name) };
    case 'or':
    case 'and':
    case 'intersect':
      return {
        op: formula.op,
        left: renameConcepts(formula.left, rename),
        right: renameConcepts(formula.right, rename),
      };
    case 'not':
    case 'half':
    case 'size':
    case 'count':
    case 'height':
    case 'span':
      return { ...formula, arg: renameConcepts(formula.arg, rename) };
    case 'relation':
      return {
        ...formula,
        arg: renameConcepts(formula.arg, rename),
        reference: renameConcepts(formula.reference, rename),
      };
    case 'word':
    case 'hue':
    case 'char':
    case 'orientation':
    case 'effect':
      return formula;
  }
}

/**
 * The asked formulas' scores: from the label table where it can express them, else by evaluating the
 * formula on every probe scene (sizes, relations, counts, hues), with the same meaning.
 */
function scoreAsked(
  table: LabelTable,
  region: TopRegion,
  set: ProbeSet,
  asked: Formula[],
): FormulaSearchData['scored'] {
  const scores = scoreFormulas(table, asked);
  const refused = asked.filter((_, i) => scores[i] === undefined);
  const scenes = (indices: number[]) => probeSetAnnotatedScenes(set, indices);
  const evaluated = refused.length ? scoreByEvaluation(refused, table, region.masks, scenes) : [];
  return asked.map((formula, i) => {
    const score = scores[i] ?? (evaluated[refused.indexOf(formula)] as FormulaScore);
    return { formula: printFormula(formula), score: asResult(score) };
  });
}

function asResult(score: FormulaScore): FormulaResult {
  return {
    formula: score.text,
    description: describeFormula(score.formula),
    length: score.length,
    iou: round(score.iou, 4),
    r: round(score.r, 4),
    precision: round(score.precision, 4),
    recall: round(score.recall, 4),
    scenes: score.scenes,
  };
}

/**
 * The unit's label table over the first `n` probe-set scenes (and its top region), built once per
 * context and kept: formula_search builds it, and concept_stats can read NetDissect's numbers from the
 * same table (`conceptOverlaps`) instead of a second pass over the probe set.
 */
export function unitTable(
  ctx: ToolContext,
  unit: UnitAddress,
  n: number,
  topFraction: number,
): Promise<{ table: LabelTable; region: TopRegion }> {
  let memo = tables.get(ctx);
  if (!memo) tables.set(ctx, (memo = new Map()));
  const key = `${unit.id}|${n}|${topFraction}`;
  let pending = memo.get(key);
  if (!pending) {
    pending = buildTable(ctx, unit, n, topFraction);
    memo.set(key, pending);
    pending.catch(() => memo.delete(key));
  }
  return pending;
}

async function buildTable(
  ctx: ToolContext,
  unit: UnitAddress,
  n: number,
  topFraction: number,
): Promise<{ table: LabelTable; region: TopRegion }> {
  const set = await ctx.probeSet();
  // The cached activation of a scene is its map's maximum: an upper bound of every upsampled value.
  const values = (await unitActivations(ctx, unit)).subarray(0, n);
  const comparison = comparisonSize(set.width, set.height);
  const region = await topRegion(
    values,
    async (indices) => {
      // A synthetic unit reads annotations only: its maps need no decoded images.
      if (ctx.probe instanceof SyntheticProbe)
        return ctx.probe.annotatedUnitMaps(probeSetAnnotatedScenes(set, indices), unit);
      const scenes = await ctx.probeScenes(indices);
      return (await ctx.probe.unitMaps(scenes, [unit]))[0] ?? [];
    },
    { topFraction, ...comparison, floor: restingFloor(values) },
  );
  // A synthetic unit's map is its grid, so r compares like with like; other maps keep the usual 14.
  const side = Math.min(set.width, set.height);
  const grid =
    ctx.probe.kind === 'synthetic' && region.mapSize && region.mapSize.width === region.mapSize.height
      ? Math.min(side, region.mapSize.width)
      : Math.min(side, DEFAULT_GRID);
  const index = await labelIndex(set, n, grid, comparison);
  return { table: unitLabelTable(index, region.masks, values), region };
}

/**
 * The probe set's label index, shared by every unit and context on the same probe set (it is
 * content-addressed, so its id names its scenes): a benchmark investigating many units decodes and
 * indexes the labels once. The last few indexes are kept.
 */
const indexes = new Map<string, LabelIndex>();
const KEPT_INDEXES = 2;

async function labelIndex(
  set: ProbeSet,
  n: number,
  grid: number,
  comparison: { width: number; height: number },
): Promise<LabelIndex> {
  const key = `${set.id}|${n}|${grid}|${comparison.width}x${comparison.height}`;
  const kept = indexes.get(key);
  if (kept) return kept;
  const builder = new LabelIndexBuilder(comparison, grid);
  for (let i = 0; i < n; i++) builder.add({ ...set.labels(i), width: set.width, height: set.height });
  const index = builder.finish();
  indexes.set(key, index);
  for (const old of indexes.keys()) if (indexes.size > KEPT_INDEXES) indexes.delete(old);
  return index;
}

function describeSearch(data: FormulaSearchData, asked: string[] | undefined): string {
  const score = (f: FormulaResult) => `IoU ${fmt(f.iou)}, r ${fmt(f.r)}`;
  const lines = [
    `formula_search for ${data.unit} over ${data.scenes} probe scenes: threshold ${fmt(data.threshold)} ` +
      `(top ${fmt(data.topFraction * 100)}% of map values; ${fmt(data.activeFraction * 100)}% of pixels above it; ` +
      `maps of ${data.mappedScenes} scenes needed).`,
  ];
  if (data.activeFraction === 0) {
    lines.push('The unit never exceeds its threshold on the probe set: IoU is 0 for every formula.');
  }
  lines.push(
    `Best single concepts: ${data.concepts
      .slice(0, 6)
      .map((c) => `${c.formula} (${score(c)})`)
      .join(', ')}.`,
    `Combined with OR / &: ${data.candidates.join(', ') || '(none)'}${asked ? ' (as asked)' : ''}; ` +
      `gates AND / AND NOT: ${data.gates} concepts. ${data.evaluated} formulas scored.`,
    `Top formulas by ${data.rankBy === 'iou' ? 'IoU' : 'r'} (length ≤ ${data.maxLength}):`,
    ...data.formulas.map(
      (f, i) =>
        `  ${i + 1}. ${f.formula} — ${score(f)}; precision ${fmt(f.precision)}, recall ${fmt(f.recall)}, ` +
        `fires in ${f.scenes} scenes`,
    ),
    ...data.scored.map(
      (s) =>
        `Asked: ${s.formula} — ${score(s.score)}; precision ${fmt(s.score.precision)}, recall ${fmt(s.score.recall)}, fires in ${s.score.scenes} scenes`,
    ),
    data.detector
      ? 'The best formula passes the detector bar IoU > 0.04.'
      : 'No formula passes the detector bar IoU > 0.04.',
    `r: correlation over scenes between the unit's activation and the formula's value (its map pooled to ` +
      `${data.grid}×${data.grid}, maximum).`,
  );
  return lines.join('\n');
}
