import type { Command } from 'commander';

/**
 * `aia demo` (what `npm start` runs): a worked, offline investigation through the same typed tools an
 * agent uses. The steps and the work are in cli/actions/demo.ts, loaded when the command runs.
 */

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('a worked offline investigation with the typed tools (what `npm start` runs)')
    .option('--out <dir>', 'where to write images and the record (default runs/demo-<time>)')
    .option('--json', 'print the record of every step as JSON')
    .action(async (opts: { out?: string; json?: boolean }) => {
      const { runDemo } = await import('../actions/demo.ts');
      await runDemo(opts);
    });
}
