import { z } from 'zod';
import {
  describeDoseResponse,
  describeOutputEffects,
  describeTextChanges,
  describeUnitChanges,
  doseRow,
  formatNumber,
  mostResponsiveLabels,
  renderLinePlot,
  type DoseResponse,
  type OutputEffects,
  type TextChanges,
  type UnitChange,
} from '../causal/index.ts';
import type { ToolContext } from '../context.ts';
import type { Probe, UnitAddress, UnitEdit } from '../probe/types.ts';
import { defineTool, ToolError, type ToolImage } from '../tool.ts';
import { encodePng } from '../../util/image.ts';
import { compareMeasurements, measure } from '../causal/measure.ts';
import { beforeAfterGrid, scoreTables } from '../causal/effects-grid.ts';
import {
  causalStimuliCost,
  CausalStimuliFields,
  resolveCausalStimuli,
  stimulusRecords,
  type StimulusRecord,
} from '../causal/stimuli-args.ts';
import { unitStats, type UnitStats } from '../causal/unit-stats.ts';
import {
  describeUnits,
  MAX_WATCHED_UNITS,
  parseUnitList,
  UnitListArg,
  unitLabel,
  WatchArg,
  withToolErrors,
} from '../causal/unit-edits.ts';

/**
 * steer_units: drive units instead of removing them — clamp them to a value (set), push them (add) or
 * amplify them (scale) — and measure the effect on outputs and watched units, optionally over a sweep
 * of strengths (a dose-response curve). Ablation asks "is the unit needed?"; steering asks "is it
 * sufficient, and in which direction does it push?".
 */

const NAME = 'steer_units';
export const MAX_SWEEP = 11;
/** Lines in a dose-response plot of output scores (the labels that move most). */
const PLOTTED_LABELS = 4;
/** Lines in the watched-units plot (the plot's palette size). */
const PLOTTED_WATCHED = 7;

const Input = z.strictObject({
  units: UnitListArg,
  op: z
    .enum(['add', 'set', 'scale'])
    .default('add')
    .describe(
      "'add' adds the amount to the units (steering), 'set' clamps them to it, 'scale' multiplies them by it",
    ),
  value: z.number().finite().optional().describe('the amount for one intervention (give this or sweep)'),
  sweep: z
    .array(z.number().finite())
    .min(2)
    .max(MAX_SWEEP)
    .optional()
    .describe(
      'several amounts, e.g. [-2,-1,0,1,2]: returns a dose-response table and plot (give this or value)',
    ),
  relative_to: z
    .enum(['absolute', 'std'])
    .default('absolute')
    .describe(
      "'std': amounts are multiples of each unit's standard deviation over the probe set (add: delta = k·std; " +
        'set: value = mean + k·std); not for scale',
    ),
  ...CausalStimuliFields,
  watch: WatchArg,
});

export interface DoseEffect {
  dose: number;
  /** Per edited unit (in `units` order): the number the edit used. */
  amounts: number[];
  effects: OutputEffects;
  watched: UnitChange[];
  /** For a text recogniser: how the decoded text changed. */
  text?: TextChanges;
}

export interface SteerUnitsData {
  units: string[];
  op: 'add' | 'set' | 'scale';
  relativeTo: 'absolute' | 'std';
  /** Probe-set statistics of each edited unit, when amounts are relative to std. */
  unitStats: { unit: string; mean: number; std: number; n: number }[] | null;
  source: string;
  stimuli: StimulusRecord[];
  doses: DoseEffect[];
  /** One row per dose (one row for a single value). */
  doseResponse: DoseResponse;
  /** For a single value: per-stimulus output scores before and after. */
  labels: string[];
  before: number[][];
  after: number[][];
}

/** The number each unit's edit uses at a dose. */
function amountsAt(
  dose: number,
  op: 'add' | 'set' | 'scale',
  stats: readonly UnitStats[] | null,
  n: number,
): number[] {
  if (!stats) return Array.from({ length: n }, () => dose);
  return stats.map((s) => (op === 'set' ? s.mean + dose * s.std : dose * s.std));
}

function editsAt(
  units: readonly UnitAddress[],
  op: 'add' | 'set' | 'scale',
  amounts: readonly number[],
): UnitEdit[] {
  const first = amounts[0] ?? 0;
  // One edit when every unit gets the same amount; else one per unit.
  if (amounts.every((a) => a === first)) return [{ units: [...units], op, value: first }];
  return units.map((unit, i) => ({ units: [unit], op, value: amounts[i] ?? 0 }));
}

function describeIntervention(
  probe: Probe,
  units: readonly UnitAddress[],
  op: 'add' | 'set' | 'scale',
  dose: number,
  amounts: readonly number[],
  relative: boolean,
): string {
  const target = describeUnits(probe, units);
  const same = amounts.every((a) => a === amounts[0]);
  const amount = same ? formatNumber(amounts[0] ?? 0) : 'per-unit amounts';
  const k = formatNumber(dose);
  switch (op) {
    case 'add':
      return `adding ${amount}${relative ? ` (${k} std)` : ''} to ${target}`;
    case 'set':
      return `clamping ${target} to ${amount}${relative ? ` (mean + ${k} std)` : ''}`;
    case 'scale':
      return `scaling ${target} by ${amount}`;
  }
}

async function plotImage(
  title: string,
  xLabel: string,
  x: readonly number[],
  series: { name: string; values: number[] }[],
  caption: string,
): Promise<ToolImage> {
  const image = await renderLinePlot({ title, xLabel, x, series });
  return { png: await encodePng(image), caption };
}

export const steerUnitsTool = defineTool({
  name: NAME,
  description:
    'Causal test: steer units and see what changes. During the forward pass, adds an amount to the listed ' +
    'units (op "add"), clamps them to a value ("set") or multiplies them ("scale"), and compares the ' +
    "subject's outputs on a set of stimuli before and after: top-answer flips, mean probability shift per " +
    'label, KL divergence, and `watch` units before/after. Give `value` for one intervention, or `sweep` ' +
    '(e.g. [-2,-1,0,1,2]) for a dose-response table and plot. With relative_to "std", amounts are multiples ' +
    "of each unit's standard deviation over the probe set (set: mean + k·std), so doses are comparable " +
    'across units. Stimuli: `stimuli`, `exemplars_of` a unit, or `probe_scenes` n (default 16). Use it to ' +
    'test whether driving a unit is enough to push the output toward a label (sufficiency), after ' +
    'ablate_units showed it is needed.',
  input: Input,
  // One baseline plus one measurement per dose.
  cost: (args, ctx: ToolContext) => causalStimuliCost(args, ctx, 1 + (args.sweep?.length ?? 1)),
  async execute(args, ctx: ToolContext, { signal }) {
    return withToolErrors(NAME, async () => {
      if ((args.value === undefined) === (args.sweep === undefined)) {
        throw new ToolError(
          'give exactly one of value (one intervention) and sweep (a list of amounts)',
          NAME,
        );
      }
      if (args.relative_to === 'std' && args.op === 'scale') {
        throw new ToolError("relative_to 'std' is for add and set; a scale factor is already relative", NAME);
      }
      const probe = ctx.probe;
      const units = parseUnitList(probe, args.units, NAME);
      const watch = parseUnitList(probe, args.watch, NAME, MAX_WATCHED_UNITS);
      const stimuli = await resolveCausalStimuli(args, ctx, NAME, signal);
      const scenes = stimuli.items.map((s) => s.scene);
      const relative = args.relative_to === 'std';
      const stats = relative ? await unitStats(ctx, units) : null;
      const doses = args.sweep ?? [args.value ?? 0];

      const before = await measure(probe, scenes, watch);
      const results: DoseEffect[] = [];
      let lastAfter = before;
      for (const dose of doses) {
        const amounts = amountsAt(dose, args.op, stats, units.length);
        lastAfter = await measure(probe, scenes, watch, editsAt(units, args.op, amounts));
        const { effects, watched, text } = compareMeasurements(probe, watch, before, lastAfter);
        results.push({ dose, amounts, effects, watched, ...(text ? { text } : {}) });
      }
      const doseResponse: DoseResponse = {
        labels: before.outputs.labels,
        watched: watch.map((u) => unitLabel(probe, u)),
        rows: results.map((r) => doseRow(r.dose, r.amounts, r.effects, r.watched, r.text)),
      };

      const lines: string[] = [];
      const deadUnits = (stats ?? []).filter((s) => s.std === 0).map((s) => unitLabel(probe, s.unit));
      const images: ToolImage[] = [];
      const first = results[0];
      if (args.sweep === undefined && first) {
        const what = describeIntervention(probe, units, args.op, first.dose, first.amounts, relative);
        lines.push(`${what} on ${stimuli.source}: ${describeOutputEffects(first.effects)}`);
        if (first.text) lines.push(describeTextChanges(first.text));
        if (first.watched.length > 0) lines.push(describeUnitChanges(first.watched));
        const grid = await beforeAfterGrid(
          stimuli.items,
          first.effects,
          before.outputs,
          lastAfter.outputs,
          what,
        );
        if (grid) images.push(grid);
      } else {
        const scale = results[0]?.effects.scale ?? 'activations';
        const doseWord = relative
          ? args.op === 'set'
            ? 'k (value = mean + k·std)'
            : 'k (delta = k·std)'
          : 'amount';
        lines.push(
          `${args.op} sweep on ${describeUnits(probe, units)}, ${stimuli.source}; dose = ${doseWord}; ` +
            `columns: ${sweepColumns(scale, results[0]?.text !== undefined, watch.length > 0)}`,
        );
        if (first) lines.push(`before: ${baselineSummary(doseResponse, first.effects)}`);
        lines.push(describeDoseResponse(doseResponse, scale));
        const shownLabels = mostResponsiveLabels(doseResponse, PLOTTED_LABELS);
        const xLabel = relative ? 'dose (× std over the probe set)' : `${args.op} amount`;
        images.push(
          await plotImage(
            `${args.op} ${describeUnits(probe, units)}: outputs`,
            xLabel,
            doses,
            shownLabels.map((j) => ({
              name:
                scale === 'probabilities' ? `P('${doseResponse.labels[j]}')` : (doseResponse.labels[j] ?? ''),
              values: doseResponse.rows.map((r) => r.meanScores[j] ?? NaN),
            })),
            `dose-response: mean output score per dose (the ${shownLabels.length} labels that move most)`,
          ),
        );
        if (watch.length > 0) {
          const shownWatch = doseResponse.watched.slice(0, PLOTTED_WATCHED);
          images.push(
            await plotImage(
              `${args.op} ${describeUnits(probe, units)}: watched units`,
              xLabel,
              doses,
              shownWatch.map((name, w) => ({
                name,
                values: doseResponse.rows.map((r) => r.watched[w] ?? NaN),
              })),
              `dose-response: mean activation of watched units per dose`,
            ),
          );
        }
      }
      if (deadUnits.length > 0) {
        lines.push(
          `note: ${deadUnits.join(', ')} do not vary over the probe set (std 0), so k·std is 0 there`,
        );
      }

      const data: SteerUnitsData = {
        units: units.map((u) => unitLabel(probe, u)),
        op: args.op,
        relativeTo: args.relative_to,
        unitStats: stats
          ? stats.map((s) => ({ unit: unitLabel(probe, s.unit), mean: s.mean, std: s.std, n: s.n }))
          : null,
        source: stimuli.source,
        stimuli: stimulusRecords(stimuli.items),
        doses: results,
        doseResponse,
        ...(args.sweep === undefined
          ? scoreTables(before.outputs, lastAfter.outputs)
          : { labels: [], before: [], after: [] }),
      };
      return { text: lines.join('\n'), images, data };
    });
  },
});

/** Mean score before any edit of the labels the table shows, so the rows can be read against it. */
function baselineSummary(table: DoseResponse, effects: OutputEffects): string {
  return mostResponsiveLabels(table, 3)
    .map((j) => {
      const shift = effects.labels[j];
      const label = shift?.label ?? String(j);
      // meanBefore is on the compared scale (probabilities for logits), like the table's columns.
      const name = effects.scale === 'probabilities' ? `P('${label}')` : label;
      return `${name} ${formatNumber(shift?.meanBefore ?? NaN)}`;
    })
    .join(', ');
}

/** What the sweep table's columns are, in words (only the columns it has). */
function sweepColumns(scale: OutputEffects['scale'], text: boolean, watched: boolean): string {
  return [
    'mean score after',
    ...(scale === 'probabilities' ? ['stimuli flipped', 'mean KL'] : []),
    ...(text ? ['stimuli whose decoded text changed'] : []),
    ...(watched ? ["watched units' mean activation"] : []),
  ].join(', ');
}
