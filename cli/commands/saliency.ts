import type { Command } from 'commander';
import type { SaliencyOptions } from '../actions/saliency.ts';

/**
 * `aia saliency <subject> --image x.png --method gradcam --target <label|site:unit> -o map.png`: a
 * saliency map of one image for a label or a unit. The work is in cli/actions/saliency.ts, loaded
 * when the command runs.
 */

export function registerSaliencyCommand(program: Command): void {
  program
    .command('saliency')
    .description('a saliency map of an image for an output label or a unit (gradient methods, Grad-CAM, CAM)')
    .argument('<subject>', 'zoo name (see aia models) or path to an .onnx model')
    .requiredOption('--image <file>', 'PNG or JPEG image')
    .requiredOption(
      '--target <target>',
      "an output label (e.g. '0') or a unit site:index (e.g. final_conv:7)",
    )
    .option(
      '--method <method>',
      'gradient | gradient_x_input | integrated_gradients | smoothgrad | gradcam | gradcam_pp | cam',
      'gradcam',
    )
    .option(
      '--site <site>',
      'gradcam/gradcam_pp: the convolutional site to weigh (default: the features before the head)',
    )
    .option('--steps <n>', 'integrated_gradients: Riemann steps (default 32)')
    .option('--baseline <image>', 'integrated_gradients: black | white | grey (default black)')
    .option('--samples <n>', 'smoothgrad: noisy copies averaged (default 25)')
    .option('--noise <sigma>', "smoothgrad: noise as a share of the input's range (default 0.15)")
    .option('--seed <n>', 'smoothgrad: noise seed (default 1)')
    .option('--pooling <pooling>', "a unit's score: mean or max of its map (default mean)")
    .option('-o, --out <file>', 'write the map over the image (PNG)')
    .option('--json', 'machine-readable output (the map itself included)')
    .action(async (ref: string, opts: SaliencyOptions) => {
      const { runSaliency } = await import('../actions/saliency.ts');
      await runSaliency(ref, opts);
    });
}
