import type { Command } from 'commander';
import type { EditOptions } from '../actions/edit.ts';

/**
 * `aia edit "<scene phrase>" "<edit phrase>" -o out.png`: a scene and its exact edit side by side. The
 * work is in cli/actions/edit.ts, loaded when the command runs.
 */

export function registerEditCommand(program: Command): void {
  program
    .command('edit')
    .description(
      'render a scene and an exact edit of it side by side, e.g. "a dog on grass" "replace the dog with a cat"',
    )
    .argument('<phrase>', 'the scene in words')
    .argument('<edit>', 'the edit in words (several joined by "and" / "then")')
    .requiredOption('-o, --output <file>', 'PNG file to write (original | edited)')
    .option('--size <px>', 'image width and height in pixels', '224')
    .option('--seed <n>', 'seed for layout and rendering', '0')
    .option('--json', 'print both specs, the edits and the annotations as JSON')
    .action(async (phrase: string, editPhrase: string, opts: EditOptions) => {
      const { runEdit } = await import('../actions/edit.ts');
      await runEdit(phrase, editPhrase, opts);
    });
}
