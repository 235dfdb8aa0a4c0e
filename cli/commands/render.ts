import type { Command } from 'commander';
import type { RenderOptions } from '../actions/render.ts';

/**
 * `aia render "<phrase>" -o out.png`: a phrase → scene spec → PNG, optionally with a labelled grid
 * of every concept mask. The work is in cli/actions/render.ts, loaded when the command runs.
 */

export function registerRenderCommand(program: Command): void {
  program
    .command('render')
    .description('render a scene from a phrase, e.g. "two striped circles beside a boat on grass"')
    .argument('<phrase>', 'the scene in words')
    .requiredOption('-o, --output <file>', 'PNG file to write')
    .option('--masks', 'also write <output>.masks.png: a labelled grid of every concept mask')
    .option('--size <px>', 'image width and height in pixels', '224')
    .option('--seed <n>', 'seed for layout and rendering', '0')
    .option('--json', 'print the spec and annotation as JSON')
    .action(async (phrase: string, opts: RenderOptions) => {
      const { runRender } = await import('../actions/render.ts');
      await runRender(phrase, opts);
    });
}
