import type { Command } from 'commander';
import type { ProbeOptions } from '../actions/probe.ts';

/**
 * `aia probe <subject> <site:unit> --image img.png`: how strongly a unit responds to an image and
 * where, and with `--ablate`, how zeroing units changes the answer. The work is in cli/actions/probe.ts,
 * loaded when the command runs.
 */

export function registerProbeCommand(program: Command): void {
  program
    .command('probe')
    .description("a unit's response to an image (summary and heatmap); with --ablate, the output change")
    .argument('<subject>', 'zoo name (see aia models) or path to an .onnx model')
    .argument('<unit>', 'site:index, e.g. conv2d_94.tmp_0:7 or final_conv:7')
    .requiredOption('--image <file>', 'PNG or JPEG image')
    .option('--out <file>', 'write a heatmap of the unit over the image (PNG)')
    .option('--ablate <units>', 'zero these units (site:index, comma-separated) and report the output change')
    .option('--json', 'machine-readable output')
    .action(async (ref: string, unitArg: string, opts: ProbeOptions) => {
      const { runProbe } = await import('../actions/probe.ts');
      await runProbe(ref, unitArg, opts);
    });
}
