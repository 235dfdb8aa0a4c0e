import { z } from 'zod';
import { conceptOverlaps } from '../analysis/compositional/index.ts';
import { DEFAULT_TOP_FRACTION, DETECTOR_IOU, type ConceptIoU } from '../analysis/netdissect.ts';
import { roundTo } from '../analysis/saliency-summary.ts';
import type { ToolContext } from '../context.ts';
import { ProbeSetSizeArg, probeSetSizeCost, sizedContext } from '../common/probe-set-size.ts';
import { defineTool } from '../tool.ts';
import { unitTable } from './formula-search.ts';
import { canonicalConcept, conceptKind } from '../analysis/concept-args.ts';

const ConceptStatsInput = z.strictObject({
  unit: z.string().min(1).describe("the unit, 'site:index'"),
  top_k: z.number().int().min(1).max(50).default(5).describe('concepts listed overall and per kind'),
  top_fraction: z
    .number()
    .gt(0)
    .max(0.5)
    .default(DEFAULT_TOP_FRACTION)
    .describe('share of all map values above the threshold (default 0.005: the top 0.5%, as NetDissect)'),
  concepts: z
    .array(z.string().min(1))
    .max(20)
    .optional()
    .describe('concepts to report whatever their rank, e.g. ["dog", "grass"]'),
  scenes: z.number().int().min(1).optional().describe('use only the first n probe-set scenes (default: all)'),
  probe_set_size: ProbeSetSizeArg,
});

export interface ConceptScore extends ConceptIoU {
  kind: string;
}

export interface ConceptStatsData {
  unit: string;
  scenes: number;
  threshold: number;
  topFraction: number;
  activeFraction: number;
  /** Set when the unit rests at a noisy floor and the top fraction fell inside it: the threshold was raised to this. */
  floor?: number;
  /** The grid maps and masks were compared on (for the probe set's image size). */
  comparison: { width: number; height: number };
  top: ConceptScore[];
  byKind: Record<string, ConceptScore[]>;
  /** The concepts asked for, in the order asked (IoU 0 when never seen). */
  requested: ConceptScore[];
  detector: boolean;
}

/** concept_stats: NetDissect IoU of a unit with every concept over the probe set. */
export const conceptStatsTool = defineTool({
  name: 'concept_stats',
  description:
    "Network Dissection for one unit: over the subject's whole probe set, takes the region where the unit's " +
    'map is in its top 0.5% of values (top_fraction) and measures its overlap (IoU) with the exact mask of ' +
    'every concept in the scenes. Returns the best-matching concepts overall and by kind (object, shape, ' +
    'colour, texture, background, word, category). IoU > 0.04 is what NetDissect calls a detector; a clear ' +
    'winner well above the rest suggests a single-concept unit, several close concepts a mixed one. Use it ' +
    'early for a quantitative first guess, and to compare candidate concepts (concepts).',
  input: ConceptStatsInput,
  cost: (args, ctx: ToolContext) => probeSetSizeCost(args.probe_set_size, ctx),
  async execute(args: z.output<typeof ConceptStatsInput>, given: ToolContext) {
    const ctx = sizedContext(given, args.probe_set_size);
    const unit = ctx.probe.parseUnit(args.unit);
    const requested = (args.concepts ?? []).map((c) => canonicalConcept(c, 'concept_stats'));
    const set = await ctx.probeSet();
    const n = Math.min(set.n, args.scenes ?? set.n);
    // The same table formula_search builds (and keeps, per context): one pass serves both tools, and
    // only the scenes that can reach the threshold have their maps computed.
    const { table, region } = await unitTable(ctx, unit, n, args.top_fraction);
    const result = {
      threshold: region.threshold,
      topFraction: region.topFraction,
      activeFraction: region.activeFraction,
      floor: region.floor,
      scenes: n,
      concepts: conceptOverlaps(table),
    };
    const scored = result.concepts.map((c) => ({ ...c, kind: conceptKind(c.concept) }));
    const byKind: Record<string, ConceptScore[]> = {};
    for (const concept of scored) {
      const list = (byKind[concept.kind] ??= []);
      if (list.length < args.top_k) list.push(concept);
    }
    const asked = requested.map(
      (name) =>
        scored.find((c) => c.concept === name) ?? {
          concept: name,
          kind: conceptKind(name),
          iou: 0,
          intersection: 0,
          union: 0,
          area: 0,
          scenes: 0,
          specificity: 0,
        },
    );
    const data: ConceptStatsData = {
      unit: unit.id,
      scenes: result.scenes,
      threshold: result.threshold,
      topFraction: result.topFraction,
      activeFraction: result.activeFraction,
      ...(result.floor !== undefined ? { floor: result.floor } : {}),
      comparison: table.comparison,
      top: scored.slice(0, args.top_k),
      byKind,
      requested: asked,
      detector: (scored[0]?.iou ?? 0) > DETECTOR_IOU,
    };
    return { text: describeStats(data), images: [], data };
  },
});

function describeStats(data: ConceptStatsData): string {
  const iou = (c: ConceptScore) => `${c.concept} ${roundTo(c.iou, 3)}`;
  const lines = [
    `Unit ${data.unit} over ${data.scenes} probe scenes: threshold ${roundTo(data.threshold, 4)} ` +
      `(top ${roundTo(data.topFraction * 100, 3)}% of map values; ${roundTo(data.activeFraction * 100, 3)}% of ` +
      `pixels above it).` +
      (data.floor !== undefined
        ? ' The unit rests at a noisy floor on most scenes, and the top fraction fell inside it: the ' +
          'threshold is raised halfway from the floor to the maximum, so only firing counts.'
        : ''),
  ];
  if (data.activeFraction === 0) {
    lines.push('The unit never exceeds its threshold on the probe set: no concept can be matched.');
    return lines.join('\n');
  }
  const best = data.top[0];
  lines.push(
    `Top concepts by IoU: ${data.top.map(iou).join(', ')}.` +
      (best
        ? data.detector
          ? ` Best '${best.concept}' (${best.kind}, in ${best.scenes} scenes) passes the detector bar IoU > 0.04.`
          : ' No concept passes the detector bar IoU > 0.04.'
        : ''),
  );
  for (const [kind, list] of Object.entries(data.byKind))
    lines.push(`  ${kind}: ${list.map(iou).join(', ')}`);
  if (data.requested.length > 0) {
    lines.push(
      `Requested: ${data.requested.map((c) => `${iou(c)}${c.scenes === 0 ? ' (not in the probe set)' : ''}`).join(', ')}.`,
    );
  }
  return lines.join('\n');
}
