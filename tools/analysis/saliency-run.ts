import { z } from 'zod';
import { errorMessage, InputError } from '../../util/errors.ts';
import type { Probe, ProbeImage } from '../probe/types.ts';
import { occlusionSaliency, riseSaliency, type SaliencyMap } from '../saliency/index.ts';
import { ToolError } from '../tool.ts';
import {
  BASELINES,
  DEFAULT_IG_STEPS,
  DEFAULT_SMOOTHGRAD_NOISE,
  DEFAULT_SMOOTHGRAD_SAMPLES,
  GRADIENT_METHODS,
  gradientSaliency,
  type Baseline,
  type GradientMethod,
} from './saliency-gradient.ts';
import { camForLabel, targetScorer, type SaliencyTarget, type UnitPooling } from './saliency-target.ts';

/**
 * The saliency arguments saliency and alignment share, and the one function both use to make a map.
 *
 * Defaults, chosen so a call on one stimulus costs a few hundred forward passes:
 * - occlusion: a square grey patch of side ≈ √(width·height)/8 (28 px on 224×224, 12 px on a 48×192 text
 *   line), stride half the patch: 225 occluded copies on 224×224, 217 on 48×192.
 * - rise: 500 random masks on a 7×7 grid (p = 0.5), seeded by the call's seed (default: the context's).
 * - cam: exact and one forward pass, but only for a classifier label whose head is global average
 *   pooling + a linear layer; otherwise the call fails with the reason.
 * - gradient methods (ONNX subjects; one compiled gradient graph per target tensor): gradient and
 *   gradient × input cost one forward+backward pass; integrated_gradients `steps` (default 32) passes
 *   from a black baseline; smoothgrad `samples` (default 25) at noise 0.15 of the input range, seeded;
 *   gradcam and gradcam_pp one pass, at `site` (default: the features before the head).
 */

export const SALIENCY_METHODS = ['occlusion', 'rise', 'cam', ...GRADIENT_METHODS] as const;
export type SaliencyMethod = (typeof SALIENCY_METHODS)[number];

export const DEFAULT_RISE_MASKS = 500;

export const SaliencyArgs = {
  label: z.string().min(1).optional().describe("an output label to explain (e.g. '0'); give this or unit"),
  unit: z.string().min(1).optional().describe("a unit to explain, 'site:index'; give this or label"),
  method: z
    .enum(SALIENCY_METHODS)
    .default('occlusion')
    .describe(
      'occlusion (hide patches, measure the drop; deterministic), rise (random masks, seeded), cam (class ' +
        'activation map; only for classifier labels with a global-average-pooling + linear head), or a ' +
        'gradient method on ONNX subjects: gradient (|∂score/∂pixel|), gradient_x_input, ' +
        'integrated_gradients (from a baseline image in `steps`), smoothgrad (gradients averaged over noisy ' +
        'copies, seeded), gradcam and gradcam_pp (activations at a convolutional `site` weighed by their gradients)',
    ),
  patch_size: z.number().int().min(1).max(512).optional().describe('occlusion patch side in pixels'),
  stride: z.number().int().min(1).max(512).optional().describe('occlusion step in pixels (default patch/2)'),
  masks: z.number().int().min(10).max(4000).optional().describe(`RISE masks (default ${DEFAULT_RISE_MASKS})`),
  seed: z.number().int().min(0).optional().describe('RISE and SmoothGrad seed (default: the session seed)'),
  baseline: z
    .enum(BASELINES)
    .default('black')
    .describe('integrated_gradients: the image the path starts from (default black)'),
  steps: z
    .number()
    .int()
    .min(2)
    .max(256)
    .optional()
    .describe(`integrated_gradients: Riemann steps (default ${DEFAULT_IG_STEPS})`),
  noise: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe(`smoothgrad: noise σ as a share of the input's range (default ${DEFAULT_SMOOTHGRAD_NOISE})`),
  samples: z
    .number()
    .int()
    .min(1)
    .max(200)
    .optional()
    .describe(`smoothgrad: noisy copies averaged (default ${DEFAULT_SMOOTHGRAD_SAMPLES})`),
  site: z
    .string()
    .min(1)
    .optional()
    .describe('gradcam/gradcam_pp: the convolutional site to weigh (default: the features the head pools)'),
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
  /** Gradient methods' options (defaults in saliency-gradient.ts). */
  baseline?: Baseline | undefined;
  steps?: number | undefined;
  noise?: number | undefined;
  samples?: number | undefined;
  site?: string | undefined;
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
    baseline?: Baseline | undefined;
    steps?: number | undefined;
    noise?: number | undefined;
    samples?: number | undefined;
    site?: string | undefined;
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
    baseline: args.baseline,
    steps: args.steps,
    noise: args.noise,
    samples: args.samples,
    site: args.site,
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

type MethodRunner = (
  probe: Probe,
  target: SaliencyTarget,
  scene: ProbeImage,
  settings: SaliencySettings,
  signal?: AbortSignal,
) => Promise<ComputedSaliency>;

const occlusion: MethodRunner = async (probe, target, scene, settings, signal) => {
  const { image } = scene;
  const { score, describes } = targetScorer(probe, target, scene, settings.pooling);
  const [baseline] = await score([image]);
  const patchSize = settings.patchSize ?? defaultPatchSize(image.width, image.height);
  const map = await occlusionSaliency(image, score, {
    patchSize: Math.min(patchSize, image.width, image.height),
    ...(settings.stride !== undefined ? { stride: settings.stride } : {}),
    ...(signal !== undefined ? { signal } : {}),
  });
  return { map, describes, score: baseline ?? 0 };
};

const rise: MethodRunner = async (probe, target, scene, settings, signal) => {
  const { score, describes } = targetScorer(probe, target, scene, settings.pooling);
  const [baseline] = await score([scene.image]);
  const map = await riseSaliency(scene.image, score, {
    masks: settings.masks ?? DEFAULT_RISE_MASKS,
    seed: settings.seed,
    ...(signal !== undefined ? { signal } : {}),
  });
  return { map, describes, score: baseline ?? 0 };
};

const cam: MethodRunner = async (probe, target, scene) => {
  const result = await camForLabel(probe, target, scene.image);
  if (!result.available)
    throw new InputError(`${result.reason}; use method 'occlusion', 'rise' or 'gradcam'`);
  return { map: result.map, describes: `CAM from ${result.features}` };
};

function gradient(method: GradientMethod): MethodRunner {
  return (probe, target, scene, settings) =>
    gradientSaliency(probe, target, scene.image, method, {
      baseline: settings.baseline ?? 'black',
      steps: settings.steps ?? DEFAULT_IG_STEPS,
      noise: settings.noise ?? DEFAULT_SMOOTHGRAD_NOISE,
      samples: settings.samples ?? DEFAULT_SMOOTHGRAD_SAMPLES,
      seed: settings.seed,
      site: settings.site,
      pooling: settings.pooling,
    });
}

/** Every saliency method by name (the compiler checks the map covers SALIENCY_METHODS). */
const METHODS: Record<SaliencyMethod, MethodRunner> = {
  occlusion,
  rise,
  cam,
  gradient: gradient('gradient'),
  gradient_x_input: gradient('gradient_x_input'),
  integrated_gradients: gradient('integrated_gradients'),
  smoothgrad: gradient('smoothgrad'),
  gradcam: gradient('gradcam'),
  gradcam_pp: gradient('gradcam_pp'),
};

/** Whether a method's map is signed (evidence for and against), so only its positive part is "salient". */
export const SIGNED_METHODS: ReadonlySet<SaliencyMethod> = new Set([
  'cam',
  'gradient_x_input',
  'integrated_gradients',
]);

export async function computeSaliency(
  probe: Probe,
  target: SaliencyTarget,
  scene: ProbeImage,
  settings: SaliencySettings,
  tool: string,
  signal?: AbortSignal,
): Promise<ComputedSaliency> {
  try {
    return await METHODS[settings.method](probe, target, scene, settings, signal);
  } catch (error) {
    // A cancelled call ends with the reason the signal carries (already a ToolError saying why).
    if (signal?.aborted && error === signal.reason) throw error;
    throw new ToolError(errorMessage(error), tool);
  }
}
