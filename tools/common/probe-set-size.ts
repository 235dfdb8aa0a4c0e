import { z } from 'zod';
import { MAX_PROBESET_SCENES } from '../../stimuli/probeset.ts';
import type { ToolContext } from '../context.ts';

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
    'scenes in the probe set to use (default: the session probe set, usually 1000); ask for 10000 or more ' +
      'when the unit fires on few scenes (a rare unit). Same seed: the first scenes are the same.',
  );

/** The context for a tool call: the session's, or the same session over a probe set of that size. */
export function sizedContext(ctx: ToolContext, size: number | undefined): ToolContext {
  return size === undefined ? ctx : ctx.withProbeSetSize(size);
}
