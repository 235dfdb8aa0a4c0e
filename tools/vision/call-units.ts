import { z } from 'zod';
import type { ToolContext } from '../context.ts';
import type { UnitMap } from '../probe/types.ts';
import { defineTool, type ToolImage } from '../tool.ts';
import { resolveStimuli, StimuliArg } from '../scenes/stimulus-arg.ts';
import { conceptsUnder, formatConcepts } from '../scenes/scene-concepts.ts';
import { withToolErrors } from '../common/errors.ts';
import { describePeak, unitPeak } from '../scenes/peak.ts';
import { fmt, round } from '../common/format.ts';
import { stimuliCost } from '../scenes/cost.ts';
import {
  hotMask,
  mapsRange,
  MAX_IMAGES,
  sideBySide,
  toolImage,
  unitHeatmap,
  unitMaskedImage,
} from '../scenes/tool-images.ts';
import { parseUnits, unitLabel, UnitsArg } from '../common/unit-args.ts';
import { sharePictures } from '../scenes/picture-budget.ts';

/**
 * Above this many unit × stimulus readings (with more than one unit) the text is one table, a row per
 * stimulus and a column per unit, instead of a line per reading with what lies under each peak: a
 * model comparing 8 units on 24 stimuli reads a grid more easily than 192 lines.
 */
export const COMPACT_CELLS = 32;

/** The readings as a table: stimulus index and label, then each unit's activation. */
function compactTable(
  names: readonly string[],
  stimuli: readonly { label: string }[],
  activations: readonly (readonly number[])[],
): string[] {
  const label = (text: string) => (text.length > 40 ? `${text.slice(0, 39)}…` : text);
  return [
    `${names.length} units × ${stimuli.length} stimuli (a table; call fewer units for the concepts under each peak):`,
    `stimulus | ${names.join(' | ')}`,
    ...stimuli.map(
      (st, s) =>
        `[${s}] ${label(st.label)} | ${activations.map((row) => fmt(row[s] ?? Number.NaN)).join(' | ')}`,
    ),
  ];
}

const Input = z.strictObject({
  units: UnitsArg,
  stimuli: StimuliArg,
  images: z.boolean().default(true).describe('return masked images and heatmaps (default true)'),
});

export interface CallUnitsData {
  units: string[];
  stimuli: { label: string; probeScene?: number; spec: unknown }[];
  /** activations[u][s]: unit u's activation (max of its map) on stimulus s. */
  activations: number[][];
  maps: { unit: string; stimulus: number; width: number; height: number; map: number[] }[];
}

/** call_units: the activations (and maps) of units on given stimuli. */
export const callUnitsTool = defineTool({
  name: 'call_units',
  description:
    "Measure units on stimuli you choose: each unit's activation (the maximum of its spatial map) on " +
    'each stimulus, which concepts lie under the region where it fires, and (images: true) for each ' +
    'unit and stimulus a picture: the MAIA-style masked image (where the map is at least half its ' +
    'maximum keeps its colour, the rest is dimmed) beside a heatmap of the map (one colour scale per ' +
    'unit across the call). Use it to test a hypothesis with targeted stimuli: phrases ("a red dog on ' +
    'grass"), scene specs, or probe scenes ({"probe_scene": i}).',
  input: Input,
  cost: (args, ctx: ToolContext) => stimuliCost(args.stimuli, ctx, 1),
  async execute(args: z.output<typeof Input>, ctx: ToolContext, { signal }) {
    return withToolErrors('call_units', async () => {
      const units = parseUnits(ctx, args.units);
      const stimuli = await resolveStimuli(args.stimuli, ctx, 'call_units', signal);
      const scenes = stimuli.map((s) => s.scene);
      const maps = await ctx.probe.unitMaps(scenes, units);

      const activations = maps.map((row) => row.map((m) => m.value));
      const compact = units.length > 1 && units.length * stimuli.length > COMPACT_CELLS;
      const lines: string[] = compact
        ? compactTable(
            units.map((u) => unitLabel(ctx, u)),
            stimuli,
            activations,
          )
        : [];
      const images: ToolImage[] = [];
      const pictured = sharePictures(activations, args.images ? MAX_IMAGES : 0);
      let skipped = 0;
      for (const [u, unit] of units.entries()) {
        const unitMaps = maps[u] as UnitMap[];
        const name = unitLabel(ctx, unit);
        const range = mapsRange(unitMaps);
        if (!compact) lines.push(`${name}:`);
        for (const [s, stimulus] of stimuli.entries()) {
          const map = unitMaps[s] as UnitMap;
          const { scene } = stimulus;
          if (!compact) {
            const under = conceptsUnder(scene, hotMask(map, scene.image.width, scene.image.height));
            lines.push(
              `  [${s}] ${fmt(map.value)}  ${stimulus.label}` +
                (map.value > 0 ? `  — fires on: ${formatConcepts(under)}` : '') +
                (map.value > 0 && map.width * map.height > 1
                  ? `; ${describePeak(unitPeak(map, scene), map)}`
                  : ''),
            );
          }
          if (!args.images) continue;
          if (!pictured[u]?.[s]) {
            skipped++;
            continue;
          }
          const picture = sideBySide([
            unitMaskedImage(scene.image, map),
            unitHeatmap(scene.image, map, range),
          ]);
          images.push(
            await toolImage(
              picture,
              `${name} on stimulus ${s} (${stimulus.label}): activation ${fmt(map.value)}; left: masked image, right: heatmap (${fmt(range[0])}..${fmt(range[1])})`,
            ),
          );
        }
      }
      if (skipped > 0)
        lines.push(
          `(${skipped} pictures left out: at most ${MAX_IMAGES} per call, shared across the units, each unit's ` +
            'most activating stimuli first)',
        );
      const data: CallUnitsData = {
        units: units.map((u) => u.id),
        stimuli: stimuli.map((s) => ({
          label: s.label,
          ...(s.probeScene !== undefined ? { probeScene: s.probeScene } : {}),
          spec: s.scene.spec,
        })),
        activations,
        maps: maps.flatMap((row, u) =>
          row.map((m, s) => ({
            unit: units[u]?.id ?? '',
            stimulus: s,
            width: m.width,
            height: m.height,
            map: Array.from(m.map, (v) => round(v, 5)),
          })),
        ),
      };
      return { text: lines.join('\n'), images, data };
    });
  },
});
