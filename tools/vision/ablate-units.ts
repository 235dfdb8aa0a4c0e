import { z } from 'zod';
import {
  describeOutputEffects,
  describeTextChanges,
  describeUnitChanges,
  type OutputEffects,
  type TextChanges,
  type UnitChange,
} from '../causal/index.ts';
import type { ToolContext } from '../context.ts';
import type { UnitEdit } from '../probe/types.ts';
import { perStimulusTable } from '../causal/per-stimulus-table.ts';
import { softmaxRow } from '../causal/output-effects.ts';
import { defineTool } from '../tool.ts';
import { compareMeasurements, measure } from '../causal/measure.ts';
import { beforeAfterGrid, scoreTables } from '../causal/effects-grid.ts';
import {
  causalStimuliCost,
  CausalStimuliFields,
  resolveCausalStimuli,
  stimulusRecords,
  type StimulusRecord,
} from '../causal/stimuli-args.ts';
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
 * ablate_units: knock units out (zero them, or set them to their probe-set mean) and measure what
 * changes downstream — the subject's outputs and any watched units — on a set of stimuli. This is the
 * causal test of a hypothesis about a unit: if a unit matters for an output, removing it moves it.
 */

const NAME = 'ablate_units';
const Input = z.strictObject({
  units: UnitListArg,
  mode: z
    .enum(['zero', 'mean'])
    .default('zero')
    .describe("'zero' sets the units to 0; 'mean' sets them to their mean over the probe set (gentler)"),
  ...CausalStimuliFields,
  watch: WatchArg,
});

export interface AblateUnitsData {
  units: string[];
  mode: 'zero' | 'mean';
  source: string;
  stimuli: StimulusRecord[];
  effects: OutputEffects;
  watched: UnitChange[];
  /** For a text recogniser: how the decoded text changed; null for other subjects. */
  textChanges: TextChanges | null;
  /** Per stimulus, the output scores before and after (labels in `labels`); left out (empty) when
   *  the subject has more than MAX_TABULATED_LABELS labels, where `effects.labels` carries the means. */
  labels: string[];
  before: number[][];
  after: number[][];
  /** The true logits per stimulus before and after (labels in `labels`), where the subject names its
   *  logits tensor; null otherwise. */
  logits: { before: number[][]; after: number[][] } | null;
}

export const ablateUnitsTool = defineTool({
  name: NAME,
  description:
    'Causal test: ablate units and see what changes. Sets the listed units to 0 (mode "zero") or to their ' +
    'mean over the probe set (mode "mean", a gentler knock-out) during the forward pass, and compares the ' +
    "subject's outputs on a set of stimuli before and after: how many stimuli change their top answer " +
    '(and from which label to which), mean and largest probability shift per label, KL divergence, per stimulus ' +
    "the change in log-odds and, where the subject exposes them, its true logits and the top label's logit margin, and the " +
    'before/after activation of any `watch` units. Stimuli: give `stimuli` (phrases, specs, probe scenes), ' +
    'or `exemplars_of` a unit (its top-k probe-set exemplars: test whether the unit matters where it ' +
    'fires), or `probe_scenes` n (a neutral sample; the default, 16). Use it after forming a hypothesis about ' +
    'what a unit does, to check the unit matters for the output. Returns a short summary, an image of the ' +
    'most changed stimuli (answer before → after), and the full tables in data.',
  input: Input,
  cost: (args, ctx: ToolContext) => causalStimuliCost(args, ctx, 2),
  async execute(args, ctx: ToolContext, { signal }) {
    return withToolErrors(NAME, async () => {
      const probe = ctx.probe;
      const units = parseUnitList(probe, args.units, NAME);
      const watch = parseUnitList(probe, args.watch, NAME, MAX_WATCHED_UNITS);
      const stimuli = await resolveCausalStimuli(args, ctx, NAME, signal);
      const scenes = stimuli.items.map((s) => s.scene);
      const edits: UnitEdit[] = [{ units, op: args.mode }];

      const before = await measure(probe, scenes, watch);
      const after = await measure(probe, scenes, watch, edits);
      const { effects, watched, text } = compareMeasurements(probe, watch, before, after);

      const what = `${args.mode === 'zero' ? 'zeroing' : 'mean-ablating'} ${describeUnits(probe, units)}`;
      const lines = [`${what} on ${stimuli.source}: ${describeOutputEffects(effects)}`];
      if (text) lines.push(describeTextChanges(text));
      if (watched.length > 0) lines.push(describeUnitChanges(watched));
      if (effects.flips && effects.flips.count > 0) {
        const flipped = effects.perScene
          .filter((o) => o.flipped)
          .map((o) => stimuli.items[o.scene]?.label ?? `#${o.scene}`);
        lines.push(
          `flipped: ${flipped
            .slice(0, 6)
            .map((l) => JSON.stringify(l))
            .join(', ')}${flipped.length > 6 ? ', …' : ''}`,
        );
      }
      const onScale = (table: typeof before.outputs) =>
        table.kind === 'logits' ? table.scores.map(softmaxRow) : table.scores;
      const [rowsBefore, rowsAfter] = [onScale(before.outputs), onScale(after.outputs)];
      lines.push(
        perStimulusTable(
          before.outputs.labels,
          stimuli.items.map((item, i) => {
            const logitsBefore = before.outputs.logits?.[i];
            const logitsAfter = after.outputs.logits?.[i];
            return {
              label: item.label,
              before: rowsBefore[i] ?? [],
              after: rowsAfter[i] ?? [],
              ...(logitsBefore && logitsAfter
                ? { logits: { before: logitsBefore, after: logitsAfter } }
                : {}),
            };
          }),
          effects.scale,
        ),
      );
      const grid = await beforeAfterGrid(stimuli.items, effects, before.outputs, after.outputs, what);

      const data: AblateUnitsData = {
        units: units.map((u) => unitLabel(probe, u)),
        mode: args.mode,
        source: stimuli.source,
        stimuli: stimulusRecords(stimuli.items),
        effects,
        watched,
        textChanges: text ?? null,
        ...scoreTables(before.outputs, after.outputs),
        logits:
          before.outputs.logits && after.outputs.logits
            ? {
                before: before.outputs.logits.map((row) => Array.from(row)),
                after: after.outputs.logits.map((row) => Array.from(row)),
              }
            : null,
      };
      return { text: lines.join('\n'), images: grid ? [grid] : [], data };
    });
  },
});
