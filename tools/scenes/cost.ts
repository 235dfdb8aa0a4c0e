import type { z } from 'zod';
import type { ToolContext } from '../context.ts';
import type { ToolCost } from '../tool.ts';
import { isSpecArg, type ImageStimulusArg } from './stimulus-arg.ts';
import { DEFAULT_IG_STEPS, DEFAULT_SMOOTHGRAD_SAMPLES } from '../analysis/saliency-gradient.ts';
import {
  DEFAULT_RISE_MASKS,
  defaultPatchSize,
  type SaliencyMethod,
  type SaliencySettings,
} from '../analysis/saliency-run.ts';

/**
 * Cost estimates of the vision tools, from their validated arguments (see ToolCost). Rendering a
 * stimulus costs its pixels once, plus each effect's passes (a Gaussian blur of σ runs a kernel of
 * 2⌈3σ⌉+1 taps in each of two directions, over the image and again over its concept masks);
 * scoring a stimulus costs one forward pass and its pixels.
 */

type Stimulus = z.output<typeof ImageStimulusArg>;

/** The size a stimulus renders at: a spec's own size, else the subject's scene size. */
export function stimulusSize(stimulus: Stimulus, ctx: ToolContext): { width: number; height: number } {
  const native = ctx.probe.sceneSize;
  if (!isSpecArg(stimulus)) return native;
  return { width: stimulus.width ?? native.width, height: stimulus.height ?? native.height };
}

/** Passes over the image a scene's effects make (1 for the composition itself). */
function renderPasses(stimulus: Stimulus): number {
  if (!isSpecArg(stimulus)) return 1;
  let passes = 1;
  for (const effect of stimulus.effects)
    passes += effect.kind === 'blur' ? 2 * 2 * (2 * Math.max(1, Math.ceil(effect.sigma * 3)) + 1) : 1;
  return passes;
}

export interface StimuliWork {
  pixelOps: number;
  /** Total pixels of the stimuli (what one forward pass on each costs). */
  pixels: number;
  /** The largest stimulus, for the message. */
  largest: { width: number; height: number };
  blurs: number;
}

/** What rendering the stimuli costs. */
export function renderWork(stimuli: readonly Stimulus[], ctx: ToolContext): StimuliWork {
  let pixelOps = 0;
  let pixels = 0;
  let blurs = 0;
  let largest = { width: 0, height: 0 };
  for (const stimulus of stimuli) {
    const size = stimulusSize(stimulus, ctx);
    const area = size.width * size.height;
    pixels += area;
    pixelOps += area * renderPasses(stimulus);
    if (area > largest.width * largest.height) largest = size;
    if (isSpecArg(stimulus)) blurs += stimulus.effects.filter((e) => e.kind === 'blur').length;
  }
  return { pixelOps, pixels, largest, blurs };
}

/** "6 stimuli up to 1024×1024 px with 16 blurs" */
export function describeStimuli(count: number, work: StimuliWork): string {
  const { width, height } = work.largest;
  return (
    `${count} stimul${count === 1 ? 'us' : 'i'} up to ${width}×${height} px` +
    (work.blurs > 0 ? ` with ${work.blurs} blur${work.blurs === 1 ? '' : 's'}` : '')
  );
}

const SHRINK_STIMULI = 'fewer stimuli, smaller width/height in scene specs, fewer blurs or smaller sigma';

/** Render the stimuli and score each `passesEach` times (0 for tools that only draw). */
export function stimuliCost(
  stimuli: readonly Stimulus[],
  ctx: ToolContext,
  passesEach: number,
  what = '',
): ToolCost {
  const work = renderWork(stimuli, ctx);
  return {
    pixelOps: work.pixelOps + passesEach * work.pixels,
    forwardPasses: passesEach * stimuli.length,
    detail: `${describeStimuli(stimuli.length, work)}${what}`,
    shrink: SHRINK_STIMULI,
  };
}

/** Patch positions along one side, as occlusion places them (always one flush with the far edge). */
function positions(side: number, patch: number, stride: number): number {
  return Math.max(1, Math.ceil((side - patch) / stride) + 1);
}

/** A saliency map per stimulus: perturbed copies made and scored, plus the render. */
export function saliencyCost(
  stimuli: readonly Stimulus[],
  ctx: ToolContext,
  settings: SaliencySettings,
): ToolCost {
  const work = renderWork(stimuli, ctx);
  let copies = 0;
  let copyPixels = 0;
  for (const stimulus of stimuli) {
    const { width, height } = stimulusSize(stimulus, ctx);
    const n = SCORED_COPIES[settings.method](settings, width, height);
    copies += n + 1;
    copyPixels += (n + 1) * width * height;
  }
  const how = describeMethod(settings);
  return {
    pixelOps: work.pixelOps + copyPixels,
    forwardPasses: copies,
    detail: `${how} on ${describeStimuli(stimuli.length, work)} (${copies.toLocaleString('en-US')} scored copies)`,
    shrink: SHRINK[settings.method],
  };
}

/**
 * A forward+backward pass costs about three forward passes (docs/performance.md, autodiff), so a
 * gradient method counts 3 scored copies per gradient it takes.
 */
const GRADIENT_PASS = 3;

/** Scored copies of one stimulus each method needs, besides the unperturbed one. */
const SCORED_COPIES: Record<SaliencyMethod, (s: SaliencySettings, width: number, height: number) => number> =
  {
    occlusion: (s, width, height) => {
      const patch = Math.min(s.patchSize ?? defaultPatchSize(width, height), width, height);
      const stride = s.stride ?? Math.max(1, Math.floor(patch / 2));
      return positions(width, patch, stride) * positions(height, patch, stride);
    },
    rise: (s) => s.masks ?? DEFAULT_RISE_MASKS,
    cam: () => 1,
    gradient: () => GRADIENT_PASS,
    gradient_x_input: () => GRADIENT_PASS,
    gradcam: () => GRADIENT_PASS,
    gradcam_pp: () => GRADIENT_PASS,
    integrated_gradients: (s) => (s.steps ?? DEFAULT_IG_STEPS) * GRADIENT_PASS,
    smoothgrad: (s) => (s.samples ?? DEFAULT_SMOOTHGRAD_SAMPLES) * GRADIENT_PASS,
  };

const SHRINK: Record<SaliencyMethod, string> = {
  occlusion: 'a larger patch_size and stride, fewer or smaller stimuli',
  rise: 'fewer masks, fewer or smaller stimuli',
  cam: 'fewer or smaller stimuli',
  gradient: 'fewer or smaller stimuli',
  gradient_x_input: 'fewer or smaller stimuli',
  gradcam: 'fewer or smaller stimuli',
  gradcam_pp: 'fewer or smaller stimuli',
  integrated_gradients: 'fewer steps, fewer or smaller stimuli',
  smoothgrad: 'fewer samples, fewer or smaller stimuli',
};

function describeMethod(s: SaliencySettings): string {
  if (s.method === 'rise') return `${s.masks ?? DEFAULT_RISE_MASKS} RISE masks`;
  if (s.method === 'occlusion')
    return (
      `occlusion${s.patchSize !== undefined ? ` with patch_size ${s.patchSize}` : ''}` +
      `${s.stride !== undefined ? `, stride ${s.stride}` : ''}`
    );
  if (s.method === 'integrated_gradients')
    return `integrated_gradients with ${s.steps ?? DEFAULT_IG_STEPS} steps`;
  if (s.method === 'smoothgrad') return `smoothgrad with ${s.samples ?? DEFAULT_SMOOTHGRAD_SAMPLES} samples`;
  return s.method;
}
