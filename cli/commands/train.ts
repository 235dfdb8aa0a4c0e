import type { Command } from 'commander';

/**
 * `aia train <recipe>`: rebuild a model organism from its recipe (a zoo name or a recipe file).
 * The work is in cli/actions/train.ts, loaded when the command runs.
 */

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description(
      'rebuild a model organism from its seed: a zoo name (zoo/<name>/recipe.ts) or a recipe .ts file',
    )
    .argument('<recipe>', 'zoo name (e.g. fashion-spurious) or path to a recipe .ts file')
    .action(async (recipe: string) => {
      const { runTrain } = await import('../actions/train.ts');
      process.exitCode = await runTrain(recipe);
    });
}
