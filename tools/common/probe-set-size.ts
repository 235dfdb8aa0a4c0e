import { z } from 'zod';
import { MAX_PROBESET_SCENES } from '../../stimuli/probeset.ts';
import type { ToolContext } from '../context.ts';
import type { ToolCost } from '../tool.ts';

/**
 * The `probe_set_size` argument of the tools that read the probe set: a larger set (same seed, so
 * its first scenes are the default set's) for rare units, which fire on too few of the default
 * 1,000 scenes to rank or explain. Rendered and cached on first use (about 6 s per 1,000 scenes on
 * 2 cores, plus the subject's activations).
 */
export const ProbeSetSizeArg = z
  .number()
  .int()
  .min(100)
  .max(MAX_PROBESET_SCENES)
  .optional()
  .describe(
    'scenes in the probe set to use (default: the session probe set, usually 1000); ask for up to about ' +
      '10000 (what one call may render) when the unit fires on few scenes (a rare unit). Same seed: the first ' +
      'scenes are the same.',
  );

/** The context for a tool call: the session's, or the same session over a probe set of that size. */
export function sizedContext(ctx: ToolContext, size: number | undefined): ToolContext {
  return size === undefined ? ctx : ctx.withProbeSetSize(size);
}

/**
 * What asking for a probe set of `size` scenes may cost: rendering every scene once and scoring it
 * (the set and its activations are cached afterwards, but a call is costed as if it made them, so the
 * same call is admitted or refused the same way on every machine and in replay). The default
 * session set costs nothing here: it is made once per session, whatever the tool.
 */
export function probeSetSizeCost(size: number | undefined, ctx: ToolContext): ToolCost {
  if (size === undefined)
    return { pixelOps: 0, forwardPasses: 0, detail: 'the session probe set', shrink: '' };
  const { width, height } = ctx.probe.sceneSize;
  return {
    pixelOps: size * width * height,
    forwardPasses: size,
    detail: `a probe set of ${size.toLocaleString('en-US')} scenes of ${width}×${height} px`,
    shrink: 'a smaller probe_set_size',
  };
}
