/**
 * npx tsx scripts/make-contact-sheet.ts [out.png] — a contact sheet of 32 random probe scenes
 * (docs/probe-sheet.png): each scene, its item map colour-coded (one colour per item, background
 * regions in grays, occluders white), and a caption listing the background and every item's concepts
 * in its map colour. For eyeballing that sprites are recognisable and masks line up with the image.
 */
import { writeFileSync } from 'node:fs';
import { renderTextAlpha } from '../stimuli/font.ts';
import { probeSceneSpec } from '../stimuli/probeset-specs.ts';
import { createRandom } from '../util/random.ts';
import { OCCLUDED_ITEM, renderScene, type RenderedScene } from '../stimuli/render.ts';
import { createImage, encodePng, type RgbImage } from '../util/image.ts';

type Rgb = [number, number, number];

const SCENES = 32;
const COLUMNS = 4;
const SIZE = 144;
const LINE = 13;
const CAPTION_LINES = 5;
const GAP = 10;
const TILE_W = SIZE * 2 + 6;
const TILE_H = SIZE + 4 + LINE * CAPTION_LINES + GAP;
const ITEM_COLOURS: Rgb[] = [
  [230, 25, 75],
  [60, 180, 75],
  [0, 130, 200],
  [245, 130, 48],
];
const REGION_GRAYS: Rgb[] = [
  [70, 70, 70],
  [110, 110, 110],
  [150, 150, 150],
];

function blit(target: RgbImage, source: RgbImage, left: number, top: number): void {
  for (let y = 0; y < source.height; y++)
    target.data.set(
      source.data.subarray(y * source.width * 3, (y + 1) * source.width * 3),
      ((top + y) * target.width + left) * 3,
    );
}

async function drawText(
  target: RgbImage,
  text: string,
  left: number,
  top: number,
  colour: Rgb,
): Promise<void> {
  const glyphs = await renderTextAlpha(text, LINE - 1);
  const width = Math.min(glyphs.width, TILE_W - 4);
  for (let y = 0; y < glyphs.height; y++)
    for (let x = 0; x < width; x++) {
      const a = (glyphs.alpha[y * glyphs.width + x] ?? 0) / 255;
      if (a === 0) continue;
      const o = ((top + y) * target.width + left + x) * 3;
      for (let c = 0; c < 3; c++) target.data[o + c] = (target.data[o + c] ?? 0) * (1 - a) + colour[c]! * a;
    }
}

/** The item map as colours: items in ITEM_COLOURS, background regions in grays, occluders white. */
function mapPanel(scene: RenderedScene): RgbImage {
  const { width, height } = scene.image;
  const panel = createImage(width, height);
  const { labels, labelItem } = scene.labels;
  for (let p = 0; p < width * height; p++) {
    const label = labels[p] ?? 0;
    const item = labelItem[label] ?? 0;
    const colour: Rgb =
      item === OCCLUDED_ITEM
        ? [255, 255, 255]
        : item > 0
          ? (ITEM_COLOURS[(item - 1) % ITEM_COLOURS.length] ?? [255, 0, 255])
          : (REGION_GRAYS[label % REGION_GRAYS.length] ?? [90, 90, 90]);
    panel.data.set(colour, p * 3);
  }
  return panel;
}

function itemCaption(scene: RenderedScene, index: number): string {
  const item = scene.annotation.items[index];
  if (!item) return '';
  const own = item.kind === 'word' ? [`'${item.name}'`, ...item.concepts.slice(2)] : item.concepts;
  return `${item.kind === 'shape' ? 'shape ' : ''}${own.join(', ')} (${item.area} px)`;
}

const out = process.argv[2] ?? 'docs/probe-sheet.png';
const rng = createRandom(2024);
const indices = new Set<number>();
while (indices.size < SCENES) indices.add(Math.floor(rng() * 5000));
const rows = Math.ceil(SCENES / COLUMNS);
const sheet = createImage(COLUMNS * TILE_W + GAP, rows * TILE_H + GAP, [255, 255, 255]);
let tile = 0;
for (const index of indices) {
  const scene = await renderScene(probeSceneSpec(1, index, SIZE));
  const left = GAP + (tile % COLUMNS) * TILE_W;
  const top = GAP + Math.floor(tile / COLUMNS) * TILE_H;
  blit(sheet, scene.image, left, top);
  blit(sheet, mapPanel(scene), left + SIZE + 2, top);
  const effects = scene.spec.effects.map((e) => e.kind).join(', ');
  const lines: [string, Rgb][] = [
    [`#${index} bg: ${scene.spec.background}${effects ? `; effect: ${effects}` : ''}`, [40, 40, 40]],
    ...scene.annotation.items.map(
      (_, i) => [itemCaption(scene, i), ITEM_COLOURS[i % ITEM_COLOURS.length] ?? [0, 0, 0]] as [string, Rgb],
    ),
  ];
  for (const [i, [text, colour]] of lines.slice(0, CAPTION_LINES).entries())
    await drawText(sheet, text, left, top + SIZE + 3 + i * LINE, colour);
  tile++;
}
writeFileSync(out, await encodePng(sheet));
process.stdout.write(`wrote ${out} (${SCENES} scenes)\n`);
