import { writeFile } from 'node:fs/promises';
import { editScene, parseEdit, type EditSpec } from '../../stimuli/edits.ts';
import { labelledGrid } from '../../stimuli/grid.ts';
import { describeSpec, parsePhrase } from '../../stimuli/phrase.ts';
import { renderScene } from '../../stimuli/render.ts';
import { encodePng } from '../../util/image.ts';
import { printResult } from '../output.ts';
import { itemTable, sceneOptions, type SceneOptions } from './render.ts';

/**
 * The work of `aia edit "<scene phrase>" "<edit phrase>" -o out.png` (defined in cli/commands/edit.ts):
 * render a scene and its exact edit side by side (original | edited), printing the edits as data so
 * they can be replayed through the tools.
 */

export function describeEdit(edit: EditSpec): string {
  const { op, ...rest } = edit;
  return `${op} ${JSON.stringify(rest)}`;
}

export interface EditOptions extends SceneOptions {
  output: string;
  json?: boolean;
}

/** Render the scene and its edit side by side, write the PNG, print both specs and the edits. */
export async function runEdit(phrase: string, editPhrase: string, opts: EditOptions): Promise<void> {
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
}
