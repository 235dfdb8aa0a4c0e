import type { Command } from 'commander';
import type { ReplayOptions } from '../actions/replay.ts';

/**
 * `aia replay <run>`: what a recorded run did, and with --verify whether today's tools still give the
 * results it recorded. The work is in cli/actions/replay.ts, loaded when the command runs.
 */

export function registerReplayCommand(program: Command): void {
  program
    .command('replay <run>')
    .description(
      'summarise a recorded run; --verify re-runs its tool calls and reports any result that changed',
    )
    .option(
      '--verify',
      'check integrity, re-run every tool call and compare result hashes (exit code 1 on any problem or divergence)',
    )
    .option('--probe-set-size <n>', 'scenes in the probe set (default: as the run recorded it)')
    .option('--json', 'print the result as JSON')
    .action(async (runRef: string, opts: ReplayOptions) => {
      const { runReplay } = await import('../actions/replay.ts');
      await runReplay(runRef, opts);
    });
}
