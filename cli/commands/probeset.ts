import type { Command } from 'commander';
import type { ProbesetMakeOptions } from '../actions/probeset.ts';

/**
 * `aia probeset make|show`: seeded, cached probe sets of rendered scenes with exact concept masks. The
 * work is in cli/actions/probeset.ts, loaded when a subcommand runs.
 */

export function registerProbesetCommand(program: Command): void {
  const probeset = program
    .command('probeset')
    .description('seeded, cached probe sets of rendered scenes with exact concept masks');

  probeset
    .command('make')
    .description('generate a probe set (or reuse the stored one with the same n, seed and size)')
    .option('--n <count>', 'number of scenes', '5000')
    .option('--seed <seed>', 'seed of the scene distribution', '1')
    .option('--size <px>', 'square image side in pixels', '224')
    .option('--workers <count>', 'worker threads (0 = render in the main thread)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: ProbesetMakeOptions) => {
      const { runProbesetMake } = await import('../actions/probeset.ts');
      await runProbesetMake(opts);
    });

  probeset
    .command('show <id>')
    .description('summarise a stored probe set: parameters and the most frequent concepts')
    .option('--top <count>', 'how many concepts to list', '25')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, opts: { top: string; json?: boolean }) => {
      const { runProbesetShow } = await import('../actions/probeset.ts');
      runProbesetShow(id, opts);
    });
}
