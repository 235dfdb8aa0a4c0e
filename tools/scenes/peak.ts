import { isUpsideDown } from '../../stimuli/probeset-text-lines.ts';
import type { RenderedScene } from '../../stimuli/render.ts';
import type { UnitMap } from '../probe/types.ts';

/**
 * Where a unit peaks, as numbers: the cell of its map (row, column), the image point that cell covers,
 * the item there and — on text — the character under the peak. A picture of a 2×96 map on a 192×48
 * line is hard to read; "row 1, column 40: the 'e' of "hello"" is not.
 *
 * The character is found from the word's visible pixels: its glyphs split evenly across the word's
 * horizontal extent (reversed when the line is upside down), so it is exact for the word and close
 * (within about one character) for the letter.
 */
export interface UnitPeak {
  row: number;
  column: number;
  /** Centre of the peak cell in image pixels. */
  x: number;
  y: number;
  /** Name of the item whose pixels are nearest the peak (a word's text), if any within one cell. */
  item?: string;
  /** On a word: the character under the peak and its 0-based position in the word. */
  char?: { char: string; index: number };
}

export function unitPeak(map: UnitMap, scene: RenderedScene): UnitPeak {
  let best = 0;
  for (let i = 1; i < map.map.length; i++) if ((map.map[i] ?? 0) > (map.map[best] ?? 0)) best = i;
  const row = Math.floor(best / map.width);
  const column = best % map.width;
  const { width, height } = scene.image;
  const cellW = width / map.width;
  const cellH = height / map.height;
  const x = (column + 0.5) * cellW;
  const y = (row + 0.5) * cellH;
  const peak: UnitPeak = { row, column, x: Math.round(x), y: Math.round(y) };
  const item = nearestItem(scene, x, y, Math.max(cellW, cellH));
  if (item === undefined) return peak;
  const annotation = scene.annotation.items[item];
  if (!annotation) return peak;
  peak.item = annotation.name;
  if (annotation.kind === 'word' && annotation.name.length > 0) {
    const [x0, x1] = horizontalExtent(scene, item + 1);
    let fraction = (x - x0) / Math.max(1, x1 - x0 + 1);
    if (isUpsideDown(scene.spec)) fraction = 1 - fraction;
    const chars = [...annotation.name];
    const index = Math.min(chars.length - 1, Math.max(0, Math.floor(fraction * chars.length)));
    peak.char = { char: chars[index] ?? '', index };
  }
  return peak;
}

/** The item (0-based) with a visible pixel nearest (x, y), within `reach` pixels. */
function nearestItem(scene: RenderedScene, x: number, y: number, reach: number): number | undefined {
  const { width, height } = scene.image;
  let best: number | undefined;
  let bestDistance = reach * reach;
  const items = scene.annotation.items.length;
  for (let py = Math.max(0, Math.floor(y - reach)); py < Math.min(height, Math.ceil(y + reach)); py++) {
    for (let px = Math.max(0, Math.floor(x - reach)); px < Math.min(width, Math.ceil(x + reach)); px++) {
      const value = scene.itemMap[py * width + px] ?? 0;
      if (value === 0 || value > items) continue;
      const d = (px + 0.5 - x) ** 2 + (py + 0.5 - y) ** 2;
      if (d <= bestDistance) {
        bestDistance = d;
        best = value - 1;
      }
    }
  }
  return best;
}

function horizontalExtent(scene: RenderedScene, label: number): [number, number] {
  const { width } = scene.image;
  let x0 = width;
  let x1 = -1;
  scene.itemMap.forEach((value, p) => {
    if (value !== label) return;
    const x = p % width;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
  });
  return [x0, x1];
}

export function describePeak(peak: UnitPeak, map: UnitMap): string {
  const where = `peak at row ${peak.row}, column ${peak.column} of the ${map.height}×${map.width} map (pixel ${peak.x}, ${peak.y})`;
  if (peak.char)
    return `${where}, on '${peak.char.char}' (character ${peak.char.index + 1}) of "${peak.item ?? ''}"`;
  return peak.item !== undefined ? `${where}, on ${peak.item}` : where;
}
