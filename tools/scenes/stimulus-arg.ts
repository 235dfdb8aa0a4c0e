import { z } from 'zod';
import { parsePhrase } from '../../stimuli/phrase.ts';
import { describeScene } from '../../stimuli/describe-effects.ts';
import { renderScene, type RenderedScene } from '../../stimuli/render.ts';
import { SceneSpec } from '../../stimuli/spec.ts';
import { DatasetEdit } from '../../stimuli/datasets/dataset-image.ts';
import { loadDataset } from '../../stimuli/datasets/registry.ts';
import type { ProbeImage } from '../probe/types.ts';
import { errorMessage } from '../../util/errors.ts';
import { probeSetScenes } from '../cache/probe-scenes.ts';
import { probeSetDistribution, type ToolContext } from '../context.ts';
import { describeOptionsFor } from './describe-options.ts';
import { ToolError } from '../tool.ts';

/**
 * How tools take stimuli: a phrase ("a red dog on grass"), a scene spec (JSON, exact placement), or a
 * probe-set scene by index (`{ "probe_scene": 17 }`, as dataset_exemplars reports them). Phrases and
 * specs without a size are rendered at the subject's native scene size; every stimulus renders with
 * exact concept masks.
 */

/** A scene spec whose width and height may be left out (the subject's scene size fills them). */
export const StimulusSpec = SceneSpec.extend({
  width: z.number().int().min(8).max(1024).optional(),
  height: z.number().int().min(8).max(1024).optional(),
});

export const StimulusArg = z.union([
  z.string().trim().min(1).max(400).describe('a phrase describing a scene, e.g. "a red dog on grass"'),
  z.strictObject({
    probe_scene: z.number().int().min(0).describe('index of a probe-set scene (as dataset_exemplars lists)'),
  }),
  StimulusSpec.describe('a scene spec: background, items [{kind, name, x, y, size, colour, …}], effects'),
]);
export type StimulusArg = z.input<typeof StimulusArg>;

/** Most stimuli one call may render: keeps a call's cost and its images bounded. */
export const MAX_STIMULI = 24;

export const StimuliArg = z
  .array(StimulusArg)
  .min(1)
  .max(MAX_STIMULI)
  .describe(`1–${MAX_STIMULI} stimuli: phrases, scene specs, or {"probe_scene": i}`);

/**
 * An annotated dataset image, with exact edits (`{"dataset": "fashion-mnist-square", "set": "broken",
 * "index": 3, "edits": [{"op": "remove", "concept": "square"}]}`). Tools that need only an image and
 * its concept masks (saliency, alignment, classify) take these beside scenes.
 */
export const DatasetImageArg = z.strictObject({
  dataset: z.string().min(1).describe('an annotated dataset, e.g. fashion-mnist-square'),
  set: z.string().min(1).describe("one of the dataset's sets (describe_subject lists them)"),
  index: z.number().int().min(0).describe('the image of the set'),
  edits: z
    .array(DatasetEdit)
    .max(8)
    .default([])
    .describe('exact edits applied in order: remove, recolour or move an annotated concept'),
});

/** A scene or an annotated dataset image: what tools that read only pixels and masks take. */
export const ImageStimulusArg = z.union([
  DatasetImageArg.describe(
    'an annotated dataset image: {"dataset", "set", "index", "edits"?} (edits: remove / recolour / move a concept)',
  ),
  ...StimulusArg.options,
]);
export type ImageStimulusArg = z.input<typeof ImageStimulusArg>;

/** Whether a stimulus argument is a scene spec (rendered from its fields), not a phrase or a reference. */
export function isSpecArg(arg: z.output<typeof ImageStimulusArg>): arg is z.output<typeof StimulusSpec> {
  return typeof arg !== 'string' && !('probe_scene' in arg) && !('dataset' in arg);
}

/** A stimulus of any kind: its image and exact masks, whatever it was made from. */
export interface ImageStimulus {
  label: string;
  scene: ProbeImage;
  probeScene?: number;
}

/**
 * Scenes (as resolveStimuli) and dataset images, in order. A dataset image comes from its dataset
 * with its edits applied; a bad reference or edit becomes a ToolError naming the stimulus.
 */
export async function resolveImageStimuli(
  args: readonly z.output<typeof ImageStimulusArg>[],
  ctx: ToolContext,
  tool: string,
  signal?: AbortSignal,
): Promise<ImageStimulus[]> {
  const out: ImageStimulus[] = [];
  for (const [i, arg] of args.entries()) {
    if (typeof arg !== 'string' && 'dataset' in arg) {
      try {
        const image = loadDataset(arg.dataset).image(arg.set, arg.index, arg.edits);
        out.push({ label: image.id, scene: image });
      } catch (error) {
        throw new ToolError(`stimulus ${i}: ${errorMessage(error)}`, tool);
      }
      continue;
    }
    // Scenes one at a time, so an error names the stimulus by its place in the call.
    try {
      const [scene] = await resolveStimuli([arg], ctx, tool, signal);
      if (scene) out.push(scene);
    } catch (error) {
      throw new ToolError(errorMessage(error).replace(/^stimulus 0:/, `stimulus ${i}:`), tool);
    }
  }
  return out;
}

export interface Stimulus {
  /** How the stimulus was given, for captions: the phrase, `probe scene i`, or the spec described. */
  label: string;
  scene: RenderedScene;
  /** The probe-set index, when it came from the probe set. */
  probeScene?: number;
}

/**
 * Render stimuli (in order). Every stimulus is checked before any is rendered, and all the bad ones
 * are named in one ToolError ("stimulus 3: …; stimulus 17: …"), so a caller fixes a batch in one go
 * instead of one error a call.
 */
export async function resolveStimuli(
  args: readonly z.output<typeof StimulusArg>[],
  ctx: ToolContext,
  tool: string,
  signal?: AbortSignal,
): Promise<Stimulus[]> {
  const { width, height } = ctx.probe.sceneSize;
  type Prepared =
    | { kind: 'spec'; label?: string; spec: SceneSpec }
    | { kind: 'probe'; index: number };
  const prepared: (Prepared | undefined)[] = [];
  const bad: string[] = [];
  for (const [i, arg] of args.entries()) {
    try {
      if (typeof arg === 'string') {
        prepared.push({ kind: 'spec', label: arg, spec: parsePhrase(arg, { width, height, seed: ctx.seed }) });
      } else if ('probe_scene' in arg) {
        const set = await ctx.probeSet();
        const index = arg.probe_scene;
        if (index >= set.n)
          throw new Error(`the probe set has scenes 0–${set.n - 1}; there is no scene ${index}`);
        prepared.push({ kind: 'probe', index });
      } else {
        prepared.push({ kind: 'spec', spec: SceneSpec.parse({ ...arg, width: arg.width ?? width, height: arg.height ?? height }) });
      }
    } catch (error) {
      prepared.push(undefined);
      bad.push(`stimulus ${i}: ${errorMessage(error)}`);
    }
  }
  if (bad.length > 0) throw new ToolError(badStimuli(bad, args.length), tool);
  const out: Stimulus[] = [];
  for (const [i, p] of prepared.entries()) {
    // Between scenes: a call past its time limit stops rendering here.
    signal?.throwIfAborted();
    try {
      if (p?.kind === 'probe') {
        const [scene] = await probeSetScenes(await ctx.probeSet(), [p.index]);
        if (!scene) throw new Error(`probe scene ${p.index} could not be read`);
        out.push({ label: `probe scene ${p.index}`, scene, probeScene: p.index });
      } else if (p) {
        const scene = await renderScene(p.spec);
        out.push({
          label: p.label ?? describeScene(scene.spec, describeOptionsFor(probeSetDistribution(ctx.probe))),
          scene,
        });
      }
    } catch (error) {
      bad.push(`stimulus ${i}: ${errorMessage(error)}`);
    }
  }
  if (bad.length > 0) throw new ToolError(badStimuli(bad, args.length), tool);
  return out;
} // prettier-ignore

function badStimuli(bad: readonly string[], total: number): string {
  return bad.length === 1
    ? (bad[0] as string)
    : `${bad.length} of the ${total} stimuli are bad (the others are fine): ${bad.join('; ')}`;
}
