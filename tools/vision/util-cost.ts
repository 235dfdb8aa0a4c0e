import type { z } from 'zod';
import type { ToolContext } from '../context.ts';
import type { ToolCost } from '../tool.ts';
import type { StimulusArg } from './stimulus-arg.ts';
import { DEFAULT_RISE_MASKS, defaultPatchSize, type SaliencySettings } from './util-analysis-saliency.ts';

/**
 * Cost estimates of the vision tools, from their validated arguments (see ToolCost). Rendering a
 * stimulus costs its pixels once, plus each effect's passes (a Gaussian blur of σ runs a kernel of
 * 2⌈3σ⌉+1 taps in each of two directions, over the image and again over its concept masks);
 * scoring a stimulus costs one forward pass and its pixels.
 */

type Stimulus = z.output<typeof StimulusArg>;

/** The size a stimulus renders at: a spec's own size, else the subject's scene size. */
export function stimulusSize(stimulus: Stimulus, ctx: ToolContext): { width: number; height: number } {
  const native = ctx.probe.sceneSize;
  if (typeof stimulus === 'string' || 'probe_scene' in stimulus) return native;
  return { width: stimulus.width ?? native.width, height: stimulus.height ?? native.height };
}

/** Passes over the image a scene's effects make (1 for the composition itself). */
function renderPasses(stimulus: Stimulus): number {
  if (typeof stimulus === 'string' || 'probe_scene' in stimulus) return 1;
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
    if (typeof stimulus !== 'string' && !('probe_scene' in stimulus))
      blurs += stimulus.effects.filter((e) => e.kind === 'blur').length;
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
    let n = 1;
    if (settings.method === 'rise') n = settings.masks ?? DEFAULT_RISE_MASKS;
    else if (settings.method === 'occlusion') {
      const patch = Math.min(settings.patchSize ?? defaultPatchSize(width, height), width, height);
      const stride = settings.stride ?? Math.max(1, Math.floor(patch / 2));
      n = positions(width, patch, stride) * positions(height, patch, stride);
    }
    copies += n + 1;
    copyPixels += (n + 1) * width * height;
  }
  const how =
    settings.method === 'rise'
      ? `${settings.masks ?? DEFAULT_RISE_MASKS} RISE masks`
      : settings.method === 'occlusion'
        ? `occlusion${settings.patchSize !== undefined ? ` with patch_size ${settings.patchSize}` : ''}` +
          `${settings.stride !== undefined ? `, stride ${settings.stride}` : ''}`
        : 'CAM';
  return {
    pixelOps: work.pixelOps + copyPixels,
    forwardPasses: copies,
    detail: `${how} on ${describeStimuli(stimuli.length, work)} (${copies.toLocaleString('en-US')} scored copies)`,
    shrink:
      settings.method === 'rise'
        ? 'fewer masks, fewer or smaller stimuli'
        : 'a larger patch_size and stride, fewer or smaller stimuli',
  };
}
