import { z } from 'zod';
import type { ToolContext } from '../context.ts';
import { ToolError, type ToolCost } from '../tool.ts';
import { resolveStimuli, StimuliArg, type Stimulus } from '../scenes/stimulus-arg.ts';
import { asToolError } from './unit-edits.ts';
import { stimuliCost } from '../scenes/cost.ts';

/**
 * Where the causal tools measure an intervention's effect: stimuli given outright (phrases, specs,
 * probe scenes), the top-k probe-set exemplars of a unit (what the unit is "for"), or the first n
 * probe-set scenes (a neutral sample; the probe set is already a seeded random draw).
 */

export const MAX_EXEMPLARS = 24;
export const MAX_PROBE_SCENES = 64;
/** Used when a call names no stimuli at all. */
export const DEFAULT_PROBE_SCENES = 16;

export const CausalStimuliFields = {
  stimuli: StimuliArg.optional(),
  exemplars_of: z
    .string()
    .min(1)
    .optional()
    .describe("measure on this unit's top-k probe-set exemplars instead, e.g. 'final_conv:3'"),
  k: z
    .number()
    .int()
    .min(1)
    .max(MAX_EXEMPLARS)
    .default(8)
    .describe('how many exemplars with exemplars_of (default 8)'),
  probe_scenes: z
    .number()
    .int()
    .min(1)
    .max(MAX_PROBE_SCENES)
    .optional()
    .describe(
      `measure on the first n probe-set scenes instead (default when nothing else is given: ${DEFAULT_PROBE_SCENES})`,
    ),
};

export interface CausalStimuliArgs {
  stimuli?: z.output<typeof StimuliArg> | undefined;
  exemplars_of?: string | undefined;
  k: number;
  probe_scenes?: number | undefined;
}

export interface CausalStimuli {
  /** How the stimuli were chosen, for text: `3 given stimuli`, `top-8 exemplars of final_conv:3`, … */
  source: string;
  items: Stimulus[];
}

/**
 * The cost of measuring `passes` times on the stimuli a causal call names. Exemplars and probe scenes
 * are bounded by the schema (at most MAX_EXEMPLARS, MAX_PROBE_SCENES native-size scenes); given
 * stimuli may be large, so they are estimated.
 */
export function causalStimuliCost(args: CausalStimuliArgs, ctx: ToolContext, passes: number): ToolCost {
  if (args.stimuli) return stimuliCost(args.stimuli, ctx, passes, `, each measured ${passes} times`);
  const { width, height } = ctx.probe.sceneSize;
  const n = args.exemplars_of !== undefined ? args.k : (args.probe_scenes ?? DEFAULT_PROBE_SCENES);
  return {
    pixelOps: n * passes * width * height,
    forwardPasses: n * passes,
    detail: `${n} probe scenes, each measured ${passes} times`,
    shrink: 'fewer scenes (k or probe_scenes), fewer sweep values',
  };
}

export async function resolveCausalStimuli(
  args: CausalStimuliArgs,
  ctx: ToolContext,
  tool: string,
  signal?: AbortSignal,
): Promise<CausalStimuli> {
  const given = [args.stimuli, args.exemplars_of, args.probe_scenes].filter((v) => v !== undefined).length;
  if (given > 1) {
    throw new ToolError('give at most one of stimuli, exemplars_of and probe_scenes', tool);
  }
  if (args.stimuli) {
    const items = await resolveStimuli(args.stimuli, ctx, tool, signal);
    return { source: `${items.length} given stimul${items.length === 1 ? 'us' : 'i'}`, items };
  }
  if (args.exemplars_of !== undefined) return exemplarStimuli(args.exemplars_of, args.k, ctx, tool);
  return probeSceneStimuli(args.probe_scenes ?? DEFAULT_PROBE_SCENES, ctx, tool);
}

/** Indices of the k largest values (ties: lower index first). */
export function topIndices(values: ArrayLike<number>, k: number): number[] {
  return Array.from({ length: values.length }, (_, i) => i)
    .sort((a, b) => (values[b] ?? -Infinity) - (values[a] ?? -Infinity) || a - b)
    .slice(0, k);
}

async function exemplarStimuli(
  unitText: string,
  k: number,
  ctx: ToolContext,
  tool: string,
): Promise<CausalStimuli> {
  try {
    const unit = ctx.probe.parseUnit(unitText);
    const activations = await ctx.activations(unit.site);
    const column = Float32Array.from({ length: activations.n }, (_, s) => {
      return activations.values[s * activations.units + unit.index] ?? -Infinity;
    });
    const indices = topIndices(column, Math.min(k, activations.n));
    const scenes = await ctx.probeScenes(indices);
    const items = indices.map((index, i) => ({
      label: `probe scene ${index}`,
      scene: scenes[i] as Stimulus['scene'],
      probeScene: index,
    }));
    return { source: `top-${items.length} probe-set exemplars of ${unitText.trim()}`, items };
  } catch (error) {
    throw asToolError(error, tool);
  }
}

async function probeSceneStimuli(n: number, ctx: ToolContext, tool: string): Promise<CausalStimuli> {
  try {
    const set = await ctx.probeSet();
    const indices = Array.from({ length: Math.min(n, set.n) }, (_, i) => i);
    const scenes = await ctx.probeScenes(indices);
    const items = indices.map((index, i) => ({
      label: `probe scene ${index}`,
      scene: scenes[i] as Stimulus['scene'],
      probeScene: index,
    }));
    return { source: `${items.length} probe-set scenes`, items };
  } catch (error) {
    throw asToolError(error, tool);
  }
}

/** A stimulus as `data` records it: its label, and its probe-set index when it has one. */
export interface StimulusRecord {
  label: string;
  probeScene?: number;
}

export function stimulusRecords(items: readonly Stimulus[]): StimulusRecord[] {
  return items.map((s) => ({
    label: s.label,
    ...(s.probeScene !== undefined ? { probeScene: s.probeScene } : {}),
  }));
}
