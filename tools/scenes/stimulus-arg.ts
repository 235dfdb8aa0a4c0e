import { z } from 'zod';
import { parsePhrase } from '../../stimuli/phrase.ts';
import { describeScene } from '../../stimuli/describe-effects.ts';
import { renderScene, type RenderedScene } from '../../stimuli/render.ts';
import { SceneSpec } from '../../stimuli/spec.ts';
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

export interface Stimulus {
  /** How the stimulus was given, for captions: the phrase, `probe scene i`, or the spec described. */
  label: string;
  scene: RenderedScene;
  /** The probe-set index, when it came from the probe set. */
  probeScene?: number;
}

/** Render stimuli (in order). A bad phrase or spec becomes a ToolError naming the stimulus. */
export async function resolveStimuli(
  args: readonly z.output<typeof StimulusArg>[],
  ctx: ToolContext,
  tool: string,
  signal?: AbortSignal,
): Promise<Stimulus[]> {
  const { width, height } = ctx.probe.sceneSize;
  const out: Stimulus[] = [];
  for (const [i, arg] of args.entries()) {
    // Between scenes: a call past its time limit stops rendering here.
    signal?.throwIfAborted();
    try {
      if (typeof arg === 'string') {
        const spec = parsePhrase(arg, { width, height, seed: ctx.seed });
        out.push({ label: arg, scene: await renderScene(spec) });
      } else if ('probe_scene' in arg) {
        const set = await ctx.probeSet();
        const index = arg.probe_scene;
        if (index >= set.n)
          throw new Error(`the probe set has scenes 0–${set.n - 1}; there is no scene ${index}`);
        const [scene] = await probeSetScenes(set, [index]);
        if (!scene) throw new Error(`probe scene ${index} could not be read`);
        out.push({ label: `probe scene ${index}`, scene, probeScene: index });
      } else {
        const spec = SceneSpec.parse({ ...arg, width: arg.width ?? width, height: arg.height ?? height });
        const scene = await renderScene(spec);
        out.push({
          label: describeScene(scene.spec, describeOptionsFor(probeSetDistribution(ctx.probe))),
          scene,
        });
      }
    } catch (error) {
      throw new ToolError(`stimulus ${i}: ${errorMessage(error)}`, tool);
    }
  }
  return out;
}
