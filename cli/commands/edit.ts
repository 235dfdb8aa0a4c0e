import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { editScene, parseEdit, type EditSpec } from '../../stimuli/edits.ts';
import { labelledGrid } from '../../stimuli/grid.ts';
import { describeSpec, parsePhrase } from '../../stimuli/phrase.ts';
import { renderScene } from '../../stimuli/render.ts';
import { encodePng } from '../../util/image.ts';
import { printResult } from '../output.ts';
import { itemTable, sceneOptions, type SceneOptions } from './render.ts';

/**
 * `aia edit "<scene phrase>" "<edit phrase>" -o out.png`: render a scene and its exact edit side by
 * side (original | edited), printing the edits as data so they can be replayed through the tools.
 */

export function describeEdit(edit: EditSpec): string {
  const { op, ...rest } = edit;
  return `${op} ${JSON.stringify(rest)}`;
}

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
    .action(
      async (phrase: string, editPhrase: string, opts: SceneOptions & { output: string; json?: boolean }) => {
        const spec = parsePhrase(phrase, sceneOptions(opts));
        const edits = parseEdit(editPhrase, spec);
        const { original, edited } = editScene(spec, edits);
        const [before, after] = await Promise.all([renderScene(original), renderScene(edited)]);
        const grid = await labelledGrid(
          [
            { image: before.image, caption: 'original' },
            { image: after.image, caption: `edited: ${editPhrase}` },
          ],
          { columns: 2 },
        );
        await writeFile(opts.output, await encodePng(grid));
        printResult(
          opts.json === true,
          {
            edits,
            original: before.spec,
            edited: after.spec,
            annotation: { original: before.annotation, edited: after.annotation },
            files: [opts.output],
          },
          () =>
            [
              `original: ${describeSpec(before.spec)}`,
              itemTable(before),
              `edits:`,
              ...edits.map((e) => `  ${describeEdit(e)}`),
              `edited: ${describeSpec(after.spec)}`,
              itemTable(after),
              `wrote ${opts.output}`,
            ].join('\n'),
        );
      },
    );
}
