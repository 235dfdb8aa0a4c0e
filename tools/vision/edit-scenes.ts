import { z } from 'zod';
import { applyEdits, EditSpec, parseEdit } from '../../stimuli/edits.ts';
import { describeSpec } from '../../stimuli/phrase.ts';
import { renderScene, type RenderedScene } from '../../stimuli/render.ts';
import { softmax } from '../../subjects/index.ts';
import { errorMessage } from '../../util/errors.ts';
import { probeSetDistribution, type ToolContext } from '../context.ts';
import { describeOptionsFor } from '../scenes/describe-options.ts';
import type { OutputScores, UnitMap } from '../probe/types.ts';
import { defineTool, ToolError, type ToolImage } from '../tool.ts';
import { resolveStimuli, StimulusArg } from '../scenes/stimulus-arg.ts';
import { withToolErrors } from '../common/errors.ts';
import { fmt } from '../common/format.ts';
import { MAX_IMAGES, sideBySide, toolImage, unitMaskedImage } from '../scenes/tool-images.ts';
import { parseUnits, unitLabel, UnitsArg } from '../common/unit-args.ts';
import { stimuliCost } from '../scenes/cost.ts';

const Input = z.strictObject({
  stimuli: z
    .array(StimulusArg)
    .min(1)
    .max(12)
    .describe('1–12 scenes to edit: phrases, specs or {"probe_scene": i}'),
  edits: z
    .array(
      z.union([
        z
          .string()
          .trim()
          .min(1)
          .describe('an edit phrase, e.g. "replace the dog with a cat", "rotate the image 180 degrees"'),
        EditSpec,
      ]),
    )
    .min(1)
    .max(8)
    .describe(
      'edits applied in order to every stimulus: phrases or edit specs ({"op": "remove", "target": "dog"}, …)',
    ),
  units: UnitsArg.optional().describe('units to measure on each original and edited scene'),
});

export interface EditScenesData {
  pairs: {
    label: string;
    original: unknown;
    edited: unknown;
    originalDescription: string;
    editedDescription: string;
    edits: unknown[];
    /** Per unit: activation before and after. */
    units?: { unit: string; before: number; after: number }[];
    /** The subject's top label before and after (classifiers only). */
    output?: { before: { label: string; score: number }; after: { label: string; score: number } };
  }[];
}

/** edit_scenes: exact before/after pairs, with units measured on both. */
export const editScenesTool = defineTool({
  name: 'edit_scenes',
  description:
    'Apply exact edits to scenes and compare original with edited: edits are phrases ("replace the dog ' +
    'with a cat", "make the circle red", "remove the tree", "move the dog to the left", "rotate the ' +
    'image 180 degrees") or edit specs, applied in order to every stimulus. "remove the cat" (or "a cat", ' +
    '"one cat") removes one cat, the first; "remove the cats" or "remove every cat" removes all of them; ' +
    '"remove the second cat" a particular one. Returns each pair side by ' +
    "side; with units, each unit's activation before → after (and masked images of the first unit); " +
    'for a classifier, its top label before → after. The edited scene differs only by the edit, so a ' +
    'change in activation is caused by it: the way to test a causal hypothesis.',
  input: Input,
  // Each stimulus is rendered twice (original, edited) and scored twice when units are watched.
  cost: (args, ctx: ToolContext) => {
    const once = stimuliCost(
      args.stimuli,
      ctx,
      args.units ? 2 : 0,
      ', each rendered before and after the edits',
    );
    return { ...once, pixelOps: 2 * once.pixelOps };
  },
  async execute(args: z.output<typeof Input>, ctx: ToolContext, { signal }) {
    return withToolErrors('edit_scenes', async () => {
      const units = args.units ? parseUnits(ctx, args.units) : [];
      const originals = await resolveStimuli(args.stimuli, ctx, 'edit_scenes', signal);
      const edited: RenderedScene[] = [];
      const editLists: EditSpec[][] = [];
      for (const [i, { scene }] of originals.entries()) {
        signal.throwIfAborted();
        try {
          let spec = scene.spec;
          const applied: EditSpec[] = [];
          for (const edit of args.edits) {
            const parsed = typeof edit === 'string' ? parseEdit(edit, spec, { seed: ctx.seed }) : [edit];
            spec = applyEdits(spec, parsed);
            applied.push(...parsed);
          }
          editLists.push(applied);
          edited.push(await renderScene(spec));
        } catch (error) {
          throw new ToolError(`edit_scenes: stimulus ${i}: ${errorMessage(error)}`, 'edit_scenes');
        }
      }
      const before = units.length
        ? await ctx.probe.unitMaps(
            originals.map((o) => o.scene),
            units,
          )
        : [];
      const after = units.length ? await ctx.probe.unitMaps(edited, units) : [];
      const outputsBefore = await classifierOutputs(
        ctx,
        originals.map((o) => o.scene),
      );
      const outputsAfter = outputsBefore ? await classifierOutputs(ctx, edited) : undefined;

      const lines: string[] = [];
      const images: ToolImage[] = [];
      const pairs: EditScenesData['pairs'] = [];
      const describe = describeOptionsFor(probeSetDistribution(ctx.probe));
      for (const [i, original] of originals.entries()) {
        const scene = edited[i] as RenderedScene;
        const pair: EditScenesData['pairs'][number] = {
          label: original.label,
          original: original.scene.spec,
          edited: scene.spec,
          originalDescription: describeSpec(original.scene.spec, describe),
          editedDescription: describeSpec(scene.spec, describe),
          edits: editLists[i] ?? [],
        };
        lines.push(`[${i}] ${original.label} → ${pair.editedDescription}`);
        if (units.length) {
          pair.units = units.map((unit, u) => ({
            unit: unit.id,
            before: before[u]?.[i]?.value ?? 0,
            after: after[u]?.[i]?.value ?? 0,
          }));
          lines.push(
            '    ' +
              pair.units
                .map((r, u) => `${unitLabel(ctx, units[u]!)} ${fmt(r.before)} → ${fmt(r.after)}`)
                .join('; '),
          );
        }
        if (outputsBefore && outputsAfter) {
          const b = topLabel(outputsBefore, i);
          const a = topLabel(outputsAfter, i);
          pair.output = { before: b, after: a };
          lines.push(`    output: ${b.label} (${fmt(b.score)}) → ${a.label} (${fmt(a.score)})`);
        }
        pairs.push(pair);
        if (images.length < MAX_IMAGES) {
          const first = units.length ? [before[0]?.[i], after[0]?.[i]] : [];
          const left = first[0]
            ? unitMaskedImage(original.scene.image, first[0] as UnitMap)
            : original.scene.image;
          const right = first[1] ? unitMaskedImage(scene.image, first[1] as UnitMap) : scene.image;
          images.push(
            await toolImage(
              sideBySide([left, right]),
              `stimulus ${i}: original (left) and edited (right)` +
                (units.length
                  ? `, masked by ${unitLabel(ctx, units[0]!)}: ${fmt(pair.units?.[0]?.before ?? 0)} → ${fmt(pair.units?.[0]?.after ?? 0)}`
                  : ''),
            ),
          );
        }
      }
      const data: EditScenesData = { pairs };
      return { text: lines.join('\n'), images, data };
    });
  },
});

/** The subject's outputs when it is a classifier (probabilities or logits); undefined otherwise. */
async function classifierOutputs(
  ctx: ToolContext,
  scenes: RenderedScene[],
): Promise<OutputScores | undefined> {
  if (ctx.probe.kind !== 'onnx') return undefined;
  const outputs = await ctx.probe.outputs(scenes);
  return outputs.kind === 'activations' ? undefined : outputs;
}

function topLabel(outputs: OutputScores, i: number): { label: string; score: number } {
  const row = outputs.scores[i] ?? new Float32Array();
  const scores = outputs.kind === 'logits' ? softmax(row) : Array.from(row);
  let best = 0;
  scores.forEach((s, k) => {
    if (s > (scores[best] ?? -Infinity)) best = k;
  });
  return { label: outputs.labels[best] ?? String(best), score: scores[best] ?? 0 };
}
