import { z } from 'zod';
import type { ToolContext } from '../context.ts';
import {
  compareUnits,
  nearestUnits,
  NEAR_DUPLICATE_R,
  type Divergence,
  type Neighbour,
} from '../analysis/unit-comparison.ts';
import { ProbeSetSizeArg, probeSetSizeCost, sizedContext } from '../common/probe-set-size.ts';
import { withToolErrors } from '../common/errors.ts';
import { fmt } from '../common/format.ts';
import { UnitArg, unitLabel } from '../common/unit-args.ts';
import { unitColumn } from '../common/unit-activations.ts';
import { sceneConcepts, formatConcepts } from '../scenes/scene-concepts.ts';
import { sideBySide, toolImage } from '../scenes/tool-images.ts';
import { defineTool, ToolError, type ToolImage } from '../tool.ts';

/**
 * compare_units: two units side by side over the probe set — how they co-vary, the scenes where one
 * responds and the other does not, and which units of the first unit's site are near duplicates of it.
 * A model studying a real network needs this to tell a unit from its neighbours ("is 7 the same
 * detector as 12?") before it spends calls explaining both.
 */

const NAME = 'compare_units';
const Input = z.strictObject({
  unit: UnitArg,
  other: UnitArg.optional().describe(
    'a second unit (site:index, any site) to compare with `unit`; leave out to see only the near duplicates of `unit`',
  ),
  k: z
    .number()
    .int()
    .min(1)
    .max(8)
    .default(4)
    .describe('how many scenes to list where each unit beats the other (default 4)'),
  neighbours: z
    .number()
    .int()
    .min(0)
    .max(16)
    .default(5)
    .describe(
      "how many of the units of `unit`'s own site most correlated with it to list (default 5; 0 for none)",
    ),
  probe_set_size: ProbeSetSizeArg,
});

export interface CompareUnitsData {
  unit: string;
  other: string | null;
  probeSet: string;
  scenes: number;
  /** Pearson r of the two units over the probe set; null without `other`. */
  r: number | null;
  /** Share of scenes where both are above their own means; null without `other`. */
  bothHigh: number | null;
  /** Probe scenes where `unit` beats `other` most (in standard deviations of each), and the reverse. */
  unitOverOther: (Divergence & { description: string })[];
  otherOverUnit: (Divergence & { description: string })[];
  /** The units of `unit`'s site most correlated with it, strongest |r| first. */
  neighbours: (Neighbour & { unit: string; nearDuplicate: boolean })[];
}

export const compareUnitsTool = defineTool({
  name: NAME,
  description:
    'Compare two units over the probe set: their correlation (Pearson r of their activations on every probe ' +
    'scene), how often both respond together, and the probe scenes where one responds and the other does not ' +
    "(largest gap in each unit's standard deviations, both ways, with the scenes' concepts and images). Also lists " +
    `the units of the first unit's site most correlated with it, flagging near duplicates (|r| ≥ ${NEAR_DUPLICATE_R}). ` +
    'Use it to tell a unit from its neighbours, to check whether two units you explained alike really are alike, ' +
    'and to find the stimuli that separate two hypotheses.',
  input: Input,
  cost: (args, ctx: ToolContext) => probeSetSizeCost(args.probe_set_size, ctx),
  async execute(args, given: ToolContext) {
    return withToolErrors(NAME, async () => {
      const ctx = sizedContext(given, args.probe_set_size);
      const unit = ctx.probe.parseUnit(args.unit);
      const other = args.other === undefined ? undefined : ctx.probe.parseUnit(args.other);
      if (other && other.id === unit.id)
        throw new ToolError(
          `${NAME}: 'unit' and 'other' are the same unit (${unit.id}); name two units`,
          NAME,
        );
      const set = await ctx.probeSet();
      const site = await ctx.activations(unit.site);
      const a = unitColumn(site.values, site.units, unit.index);
      const name = unitLabel(ctx, unit);
      const lines: string[] = [];
      const images: ToolImage[] = [];
      const data: CompareUnitsData = {
        unit: unit.id,
        other: other?.id ?? null,
        probeSet: set.id,
        scenes: set.n,
        r: null,
        bothHigh: null,
        unitOverOther: [],
        otherOverUnit: [],
        neighbours: [],
      };

      if (other) {
        const otherSite = other.site === unit.site ? site : await ctx.activations(other.site);
        const b = unitColumn(otherSite.values, otherSite.units, other.index);
        const otherName = unitLabel(ctx, other);
        const comparison = compareUnits(a, b, args.k);
        const chosen = [...comparison.aOverB, ...comparison.bOverA].map((d) => d.scene);
        const scenes = await ctx.probeScenes(chosen);
        const describe = (d: Divergence, i: number) => {
          const scene = scenes[i];
          return { ...d, description: scene ? formatConcepts(sceneConcepts(scene, 6)) : '' };
        };
        data.r = comparison.r;
        data.bothHigh = comparison.bothHigh;
        data.unitOverOther = comparison.aOverB.map((d, i) => describe(d, i));
        data.otherOverUnit = comparison.bOverA.map((d, i) => describe(d, comparison.aOverB.length + i));
        lines.push(
          `${name} vs ${otherName} over probe set ${set.id} (${set.n} scenes): r ${fmt(comparison.r)}; ` +
            `both above their means on ${fmt(comparison.bothHigh * 100, 1)}% of scenes.`,
        );
        const list = (title: string, rows: CompareUnitsData['unitOverOther']) => {
          lines.push(title);
          if (rows.length === 0) lines.push('  (none: the two never part ways)');
          for (const d of rows)
            lines.push(
              `  probe_scene ${d.scene}: ${name} ${fmt(d.a)}, ${otherName} ${fmt(d.b)} (gap ${fmt(d.zGap, 2)} sd) — ${d.description}`,
            );
        };
        list(`Where ${name} beats ${otherName}:`, data.unitOverOther);
        list(`Where ${otherName} beats ${name}:`, data.otherOverUnit);
        const firstOf = (rows: Divergence[], offset: number) =>
          rows.length > 0 ? scenes[offset] : undefined;
        const left = firstOf(comparison.aOverB, 0);
        const right = firstOf(comparison.bOverA, comparison.aOverB.length);
        if (left && right)
          images.push(
            await toolImage(
              sideBySide([left.image, right.image]),
              `left: probe_scene ${comparison.aOverB[0]?.scene} (${name} beats ${otherName}); ` +
                `right: probe_scene ${comparison.bOverA[0]?.scene} (${otherName} beats ${name})`,
            ),
          );
      }

      if (args.neighbours > 0 && site.units > 1) {
        const near = nearestUnits(site.values, site.units, unit.index, args.neighbours);
        data.neighbours = near.map((n) => ({
          ...n,
          unit: unitLabel(ctx, ctx.probe.parseUnit(`${unit.site}:${n.index}`)),
          nearDuplicate: Math.abs(n.r) >= NEAR_DUPLICATE_R,
        }));
        const duplicates = data.neighbours.filter((n) => n.nearDuplicate);
        lines.push(
          `Units of ${unit.site} most correlated with ${name}: ` +
            (data.neighbours.length > 0
              ? data.neighbours.map((n) => `${n.unit} r ${fmt(n.r)}`).join(', ')
              : 'none (every other unit is constant)') +
            '.',
          duplicates.length > 0
            ? `Near duplicates (|r| ≥ ${NEAR_DUPLICATE_R}): ${duplicates.map((n) => n.unit).join(', ')}.`
            : `No near duplicate (|r| ≥ ${NEAR_DUPLICATE_R}) among the ${site.units - 1} other units of the site.`,
        );
      }
      return { text: lines.join('\n'), images, data };
    });
  },
});
