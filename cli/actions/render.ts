import { writeFile } from 'node:fs/promises';
import { labelledGrid } from '../../stimuli/grid.ts';
import { maskOutline } from '../../stimuli/overlays.ts';
import { describeSpec, parsePhrase } from '../../stimuli/phrase.ts';
import { renderScene, type RenderedScene } from '../../stimuli/render.ts';
import { MAX_IMAGE_SIDE, MIN_IMAGE_SIDE } from '../../stimuli/spec.ts';
import { InputError } from '../../util/errors.ts';
import { encodePng, type RgbImage } from '../../util/image.ts';
import { formatTable, printResult } from '../output.ts';

/**
 * The work of `aia render "<phrase>" -o out.png` (defined in cli/commands/render.ts): a phrase → scene
 * spec → PNG, optionally with a labelled grid of every concept mask, so a person can see exactly what
 * the renderer knows about each pixel. The scene options and tables here serve `aia edit` too.
 */

export interface SceneOptions {
  size: string;
  seed: string;
}

/** --size and --seed as integers, or an InputError naming the option. */
export function sceneOptions(opts: SceneOptions): { width: number; height: number; seed: number } {
  const size = Number(opts.size);
  const seed = Number(opts.seed);
  if (!Number.isInteger(size) || size < MIN_IMAGE_SIDE || size > MAX_IMAGE_SIDE) {
    throw new InputError(
      `--size must be an integer from ${MIN_IMAGE_SIDE} to ${MAX_IMAGE_SIDE} pixels, got '${opts.size}'`,
    );
  }
  if (!Number.isInteger(seed) || seed < 0)
    throw new InputError(`--seed must be a non-negative integer, got '${opts.seed}'`);
  return { width: size, height: size, seed };
}

/** The mask shown on the image: inside kept, outside dimmed, the boundary outlined in red. */
function maskPreview(image: RgbImage, mask: Uint8Array): RgbImage {
  const data = Uint8Array.from(image.data);
  for (let p = 0; p < mask.length; p++) {
    if (mask[p]) continue;
    for (let c = 0; c < 3; c++) data[p * 3 + c] = Math.round(data[p * 3 + c]! * 0.2);
  }
  return maskOutline({ width: image.width, height: image.height, data }, mask, [255, 40, 40]);
}

/** A grid of the image and each concept mask (largest first), captioned with the concept and its area. */
export async function maskGrid(scene: RenderedScene): Promise<RgbImage> {
  const concepts = [...scene.annotation.concepts].sort(
    (a, b) => b.area - a.area || a.name.localeCompare(b.name),
  );
  const cells = [{ image: scene.image, caption: 'image' }];
  for (const concept of concepts) {
    const mask = scene.masks.get(concept.name);
    if (!mask) continue;
    cells.push({ image: maskPreview(scene.image, mask), caption: `${concept.name} (${concept.area} px)` });
  }
  const cellSize = Math.min(224, Math.max(scene.image.width, scene.image.height));
  return labelledGrid(cells, { columns: Math.min(6, cells.length), cellSize });
}

export function itemTable(scene: RenderedScene): string {
  const rows = scene.annotation.items.map((item) => {
    const spec = scene.spec.items[item.index]!;
    return [
      `#${item.index}`,
      item.kind,
      item.kind === 'word' ? `'${item.name}'` : item.name,
      spec.colour ?? '',
      spec.texture ?? '',
      `${spec.x.toFixed(2)},${spec.y.toFixed(2)}`,
      spec.size.toFixed(2),
      String(item.area),
    ];
  });
  return formatTable(['item', 'kind', 'name', 'colour', 'texture', 'x,y', 'size', 'area px'], rows);
}

export function masksPathFor(output: string): string {
  return output.replace(/(\.png)?$/i, '.masks.png');
}

export interface RenderOptions extends SceneOptions {
  output: string;
  masks?: boolean;
  json?: boolean;
}

/** Render the phrase, write the PNG (and the mask grid), print the scene. */
export async function runRender(phrase: string, opts: RenderOptions): Promise<void> {
  const spec = parsePhrase(phrase, sceneOptions(opts));
  const scene = await renderScene(spec);
  await writeFile(opts.output, await encodePng(scene.image));
  const files = [opts.output];
  if (opts.masks) {
    const path = masksPathFor(opts.output);
    await writeFile(path, await encodePng(await maskGrid(scene)));
    files.push(path);
  }
  printResult(opts.json === true, { spec: scene.spec, annotation: scene.annotation, files }, () =>
    [
      `scene: ${describeSpec(scene.spec)}`,
      `background: ${scene.spec.background}, ${scene.spec.width}×${scene.spec.height}, seed ${scene.spec.seed}`,
      itemTable(scene),
      `concepts: ${scene.annotation.concepts.map((c) => `${c.name} ${c.area}`).join(', ')}`,
      `wrote ${files.join(', ')}`,
    ].join('\n'),
  );
}
