import type { Command } from 'commander';

/**
 * `aia models`: the model zoo — subjects known by name, what they do, and whether they are installed.
 * The work is in cli/actions/models.ts, loaded when the command runs.
 */

export function registerModelsCommand(program: Command): void {
  program
    .command('models')
    .description('list the model zoo: subjects you can name instead of giving an .onnx path')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const { runModels } = await import('../actions/models.ts');
      runModels(opts);
    });
}
