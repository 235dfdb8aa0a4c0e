import type { Command } from 'commander';
import type { CompareOptions } from '../actions/compare.ts';

/**
 * `aia compare <subject…> [--on <set…>] [--json]`: explanation alignment of several classifiers side
 * by side (accuracy, EA_IoU and EA_PG per class and per annotated concept, Shared Interest patterns),
 * as tables on stdout and an HTML report with bar charts. The work is in cli/actions/compare.ts,
 * loaded when the command runs.
 */

export function registerCompareCommand(program: Command): void {
  program
    .command('compare')
    .description('explanation alignment of several models side by side, on annotated dataset sets')
    .argument('<subjects...>', 'zoo names or .onnx paths of models that take the same input')
    .option('--on <sets...>', 'dataset sets, dataset/set (default: every set of the datasets that fit)')
    .option('--method <methods...>', 'saliency: gradient | gradient_x_input | gradcam | gradcam_pp', [
      'gradient',
      'gradcam',
    ])
    .option(
      '--site <site>',
      'Grad-CAM site, an alias every model has (default: the features before each head)',
    )
    .option(
      '--tolerance <px>',
      'Pointing Game tolerance in pixels (default 0: the peak must lie in the mask)',
    )
    .option('--images <n>', 'images per set (the first ones; default all)')
    .option('--paper <name>', "print a paper's figures beside ours (spurious-pair)")
    .option('--markdown', 'tables as Markdown')
    .option('-o, --out <file>', 'the HTML report (default runs/compare/<models>.html)')
    .option('--json', 'machine-readable output (every figure)')
    .action(async (subjects: string[], opts: CompareOptions) => {
      const { runCompare } = await import('../actions/compare.ts');
      await runCompare(subjects, opts);
    });
}
