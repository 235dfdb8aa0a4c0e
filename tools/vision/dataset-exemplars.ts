import { z } from 'zod';
import type { ToolContext } from '../context.ts';
import type { UnitMap } from '../probe/types.ts';
import { ProbeSetSizeArg, sizedContext } from '../common/probe-set-size.ts';
import { defineTool, type ToolImage } from '../tool.ts';
import { conceptsUnder, formatConcepts, sceneConcepts } from '../scenes/scene-concepts.ts';
import { withToolErrors } from '../common/errors.ts';
import { fmt } from '../common/format.ts';
import { hotMask, toolImage, unitMaskedImage } from '../scenes/tool-images.ts';
import { UnitArg, unitLabel } from '../common/unit-args.ts';
import { rankScenes, unitActivations } from '../common/unit-activations.ts';

const Input = z.strictObject({
  unit: UnitArg,
  k: z
    .number()
    .int()
    .min(1)
    .max(12)
    .default(6)
    .describe('how many of the most activating scenes (default 6)'),
  bottom: z
    .number()
    .int()
    .min(0)
    .max(12)
    .default(3)
    .describe('how many of the least activating scenes to add as contrast (default 3; 0 for none)'),
  probe_set_size: ProbeSetSizeArg,
});

export interface Exemplar {
  probeScene: number;
  activation: number;
  rank: 'top' | 'bottom';
  concepts: { concept: string; area: number }[];
  firesOn: { concept: string; coverage: number }[];
  description: string;
}

export interface DatasetExemplarsData {
  unit: string;
  probeSet: string;
  scenes: number;
  stats: { mean: number; max: number; min: number };
  exemplars: Exemplar[];
}

/** dataset_exemplars: the probe-set scenes that drive a unit most (and least). */
export const datasetExemplarsTool = defineTool({
  name: 'dataset_exemplars',
  description:
    'The probe-set scenes on which a unit is most active (top k) and least active (bottom), from the ' +
    "unit's activations over the subject's whole probe set (computed once per site, then cached). For " +
    'each: its activation, a MAIA-style masked image (the region where the unit fires keeps its colour), ' +
    'the concepts in the scene with their area, and the concepts under the region where it fires. Start ' +
    'an investigation of a unit here; re-test any exemplar later as {"probe_scene": i}. A rare unit (few scenes ' +
    'above its resting level, as the text says) needs a larger probe set (probe_set_size, e.g. 20000) or ' +
    'search_stimuli.',
  input: Input,
  async execute(args: z.output<typeof Input>, given: ToolContext) {
    return withToolErrors('dataset_exemplars', async () => {
      const ctx = sizedContext(given, args.probe_set_size);
      const unit = ctx.probe.parseUnit(args.unit);
      const set = await ctx.probeSet();
      const values = await unitActivations(ctx, unit);
      const { top, bottom, stats } = rankScenes(values, args.k, args.bottom);
      const chosen = [...top, ...bottom];
      // Only the shown scenes are decoded and run again (for their maps).
      const scenes = await ctx.probeScenes(chosen);
      const [maps = []] = await ctx.probe.unitMaps(scenes, [unit]);
      const name = unitLabel(ctx, unit);

      const exemplars: Exemplar[] = [];
      const pending: Promise<ToolImage>[] = [];
      const lines = [
        `${name} over probe set ${set.id} (${set.n} scenes): mean ${fmt(stats.mean)}, max ${fmt(stats.max)}, min ${fmt(stats.min)}.`,
      ];
      for (const [i, index] of chosen.entries()) {
        const scene = scenes[i];
        const map = maps[i] as UnitMap;
        if (!scene) continue;
        const rank = i < top.length ? 'top' : 'bottom';
        if (i === 0) {
          lines.push(`Top ${top.length}:`);
          // A rare unit: say how few scenes move it, so resting scenes are not read as exemplars.
          const above = countAboveRest(values, stats.min);
          if (above < top.length)
            lines.push(
              above === 0
                ? `  (the unit is at its resting level ${fmt(stats.min)} on every scene: these are not exemplars; ` +
                    'try search_stimuli, or a larger probe set with probe_set_size)'
                : `  (only ${above} of ${set.n} scenes are above the resting level ${fmt(stats.min)}; the rest of ` +
                    'this list is at rest — try search_stimuli, or a larger probe set with probe_set_size)',
            );
        }
        if (i === top.length && bottom.length > 0) lines.push(`Bottom ${bottom.length}:`);
        const concepts = sceneConcepts(scene, 8);
        const firesOn = conceptsUnder(scene, hotMask(map, scene.image.width, scene.image.height));
        exemplars.push({
          probeScene: index,
          activation: values[index] ?? 0,
          rank,
          concepts,
          firesOn,
          description: describeScene(scene.spec),
        });
        lines.push(
          `  probe_scene ${index}: ${fmt(values[index] ?? 0)} — ${formatConcepts(concepts)}` +
            (rank === 'top' && firesOn.length ? `; fires on ${formatConcepts(firesOn)}` : ''),
        );
        // Encoded concurrently (sharp works off the main thread).
        pending.push(
          toolImage(
            unitMaskedImage(scene.image, map),
            `${rank} exemplar: probe_scene ${index}, ${name} = ${fmt(values[index] ?? 0)}`,
          ),
        );
      }
      const images = await Promise.all(pending);
      const data: DatasetExemplarsData = {
        unit: unit.id,
        probeSet: set.id,
        scenes: set.n,
        stats,
        exemplars,
      };
      return { text: lines.join('\n'), images, data };
    });
  },
});

/** A short description of a probe scene's spec: its items and background (effects named). */
function describeScene(spec: {
  items: { name: string; kind: string }[];
  background: string;
  effects: { kind: string }[];
}): string {
  const items = spec.items.map((i) => (i.kind === 'word' ? `"${i.name}"` : i.name)).join(', ');
  const effects = spec.effects.map((e) => e.kind).join(', ');
  return `${items || 'nothing'} on ${spec.background}${effects ? ` (${effects})` : ''}`;
}

/** Scenes whose activation is above the unit's minimum (its resting level for a sparse unit). */
export function countAboveRest(values: Float32Array, min: number): number {
  const margin = 1e-6 * Math.max(1, Math.abs(min));
  let n = 0;
  for (const v of values) if (v > min + margin) n++;
  return n;
}
