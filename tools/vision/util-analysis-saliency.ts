import { z } from 'zod';
import type { RenderedScene } from '../../stimuli/render.ts';
import { errorMessage } from '../../util/errors.ts';
import type { Probe } from '../probe/types.ts';
import { occlusionSaliency, riseSaliency, type SaliencyMap } from '../saliency/index.ts';
import { ToolError } from '../tool.ts';
import { camForLabel, targetScorer, type SaliencyTarget, type UnitPooling } from './util-analysis-scorer.ts';

/**
 * The saliency arguments saliency and alignment share, and the one function both use to make a map.
 *
 * Defaults, chosen so a call on one stimulus costs a few hundred forward passes:
 * - occlusion: a square grey patch of side ≈ √(width·height)/8 (28 px on 224×224, 12 px on a 48×192 text
 *   line), stride half the patch: 225 occluded copies on 224×224, 217 on 48×192.
 * - rise: 500 random masks on a 7×7 grid (p = 0.5), seeded by the call's seed (default: the context's).
 * - cam: exact and one forward pass, but only for a classifier label whose head is global average
 *   pooling + a linear layer; otherwise the call fails with the reason.
 */

export const SALIENCY_METHODS = ['occlusion', 'rise', 'cam'] as const;
export type SaliencyMethod = (typeof SALIENCY_METHODS)[number];

export const DEFAULT_RISE_MASKS = 500;

export const SaliencyArgs = {
  label: z.string().min(1).optional().describe("an output label to explain (e.g. '0'); give this or unit"),
  unit: z.string().min(1).optional().describe("a unit to explain, 'site:index'; give this or label"),
  method: z
    .enum(SALIENCY_METHODS)
    .default('occlusion')
    .describe(
      'occlusion (hide patches, measure the drop; deterministic), rise (random masks, seeded) or cam (class ' +
        'activation map; only for classifier labels with a global-average-pooling + linear head)',
    ),
  patch_size: z.number().int().min(1).max(512).optional().describe('occlusion patch side in pixels'),
  stride: z.number().int().min(1).max(512).optional().describe('occlusion step in pixels (default patch/2)'),
  masks: z.number().int().min(10).max(4000).optional().describe(`RISE masks (default ${DEFAULT_RISE_MASKS})`),
  seed: z.number().int().min(0).optional().describe('RISE seed (default: the session seed)'),
  unit_pooling: z
    .enum(['mean', 'max'])
    .default('mean')
    .describe("how a unit's map becomes its score: mean (default; credits every region it fires on) or max"),
};

export interface SaliencySettings {
  method: SaliencyMethod;
  patchSize?: number | undefined;
  stride?: number | undefined;
  masks?: number | undefined;
  seed: number;
  pooling: UnitPooling;
}

/** The saliency arguments of a tool call (SaliencyArgs) as settings; the seed defaults to the session's. */
export function saliencySettings(
  args: {
    method: SaliencyMethod;
    patch_size?: number | undefined;
    stride?: number | undefined;
    masks?: number | undefined;
    seed?: number | undefined;
    unit_pooling: UnitPooling;
  },
  sessionSeed: number,
): SaliencySettings {
  return {
    method: args.method,
    patchSize: args.patch_size,
    stride: args.stride,
    masks: args.masks,
    seed: args.seed ?? sessionSeed,
    pooling: args.unit_pooling,
  };
}

export interface ComputedSaliency {
  map: SaliencyMap;
  /** What the map explains, in words. */
  describes: string;
  /** The unperturbed score of the target (undefined for CAM). */
  score?: number;
}

export function defaultPatchSize(width: number, height: number): number {
  return Math.max(1, Math.min(width, height, Math.round(Math.sqrt(width * height) / 8)));
}

export async function computeSaliency(
  probe: Probe,
  target: SaliencyTarget,
  scene: RenderedScene,
  settings: SaliencySettings,
  tool: string,
  signal?: AbortSignal,
): Promise<ComputedSaliency> {
  const { image } = scene;
  if (settings.method === 'cam') {
    const cam = await camForLabel(probe, target, image);
    if (!cam.available) throw new ToolError(`${cam.reason}; use method 'occlusion' or 'rise'`, tool);
    return { map: cam.map, describes: `CAM from ${cam.features}` };
  }
  const { score, describes } = targetScorer(probe, target, scene, settings.pooling);
  const [baseline] = await score([image]);
  try {
    if (settings.method === 'rise') {
      const map = await riseSaliency(image, score, {
        masks: settings.masks ?? DEFAULT_RISE_MASKS,
        seed: settings.seed,
        ...(signal !== undefined ? { signal } : {}),
      });
      return { map, describes, score: baseline ?? 0 };
    }
    const patchSize = settings.patchSize ?? defaultPatchSize(image.width, image.height);
    const map = await occlusionSaliency(image, score, {
      patchSize: Math.min(patchSize, image.width, image.height),
      ...(settings.stride !== undefined ? { stride: settings.stride } : {}),
      ...(signal !== undefined ? { signal } : {}),
    });
    return { map, describes, score: baseline ?? 0 };
  } catch (error) {
    // A cancelled call ends with the reason the signal carries (already a ToolError saying why).
    if (signal?.aborted && error === signal.reason) throw error;
    throw new ToolError(errorMessage(error), tool);
  }
}
