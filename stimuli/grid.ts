import sharp from 'sharp';
import { InputError } from '../util/errors.ts';
import { createImage, type RgbImage } from '../util/image.ts';
import { renderTextAlpha } from './font.ts';

/**
 * A labelled grid: images in equal square cells, each with a one-line caption band under it. Used to
 * show exemplars, masks and before/after pairs to people and to the agent in ONE image.
 *
 * Output size is exactly columns·cellSize wide and rows·(cellSize + captionHeight) tall. Each image
 * is scaled to fit its cell keeping its aspect ratio (nearest-neighbour when enlarging, so coarse maps
 * and masks stay crisp) and centred on white.
 */

export interface GridCell {
  image: RgbImage;
  caption: string;
}

export interface GridOptions {
  /** Cells per row (default: ⌈√n⌉, capped by the number of cells). */
  columns?: number;
  /** Side of each square cell in pixels (default: the largest side of the first image, at most 512). */
  cellSize?: number;
  /** Height of the caption band under each cell in pixels (default: max(12, cellSize / 8)); 0 for none. */
  captionHeight?: number;
}

const MAX_GRID_SIDE = 8192;
const WHITE: [number, number, number] = [255, 255, 255];
/** Captions narrower than this (in pixels of text height) are truncated rather than shrunk further. */
const MIN_CAPTION_TEXT_PX = 9;

async function fitToCell(image: RgbImage, cellSize: number): Promise<RgbImage> {
  if (image.width === cellSize && image.height === cellSize) return image;
  const scale = Math.min(cellSize / image.width, cellSize / image.height);
  const width = Math.max(1, Math.min(cellSize, Math.round(image.width * scale)));
  const height = Math.max(1, Math.min(cellSize, Math.round(image.height * scale)));
  const { data, info } = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .resize(width, height, { fit: 'fill', kernel: scale > 1 ? 'nearest' : 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}

function blit(target: RgbImage, source: RgbImage, left: number, top: number): void {
  for (let y = 0; y < source.height; y++) {
    const ty = top + y;
    if (ty < 0 || ty >= target.height) continue;
    const rowStart = y * source.width * 3;
    const x0 = Math.max(0, -left);
    const x1 = Math.min(source.width, target.width - left);
    if (x1 <= x0) continue;
    target.data.set(
      source.data.subarray(rowStart + x0 * 3, rowStart + x1 * 3),
      (ty * target.width + left + x0) * 3,
    );
  }
}

/** Draw black text (coverage alpha) onto the target with its top-left corner at (left, top). */
function drawAlpha(
  target: RgbImage,
  alpha: { width: number; height: number; alpha: Uint8Array },
  left: number,
  top: number,
): void {
  for (let y = 0; y < alpha.height; y++) {
    const ty = top + y;
    if (ty < 0 || ty >= target.height) continue;
    for (let x = 0; x < alpha.width; x++) {
      const tx = left + x;
      if (tx < 0 || tx >= target.width) continue;
      const a = alpha.alpha[y * alpha.width + x]! / 255;
      if (a === 0) continue;
      const i = (ty * target.width + tx) * 3;
      for (let c = 0; c < 3; c++) target.data[i + c] = Math.round(target.data[i + c]! * (1 - a));
    }
  }
}

/**
 * The caption rasterised to fit `maxWidth`: first at ~75% of the band height; if too wide, at a
 * smaller height; if still too wide at the smallest legible size, truncated with an ellipsis.
 */
async function captionAlpha(caption: string, bandHeight: number, maxWidth: number) {
  const preferred = Math.max(1, Math.floor(bandHeight * 0.75));
  let text = caption.replace(/\s+/g, ' ').trim();
  let rendered = await renderTextAlpha(text || ' ', preferred);
  if (rendered.width <= maxWidth) return rendered;
  const shrunk = Math.max(
    Math.min(preferred, MIN_CAPTION_TEXT_PX),
    Math.floor((preferred * maxWidth) / rendered.width),
  );
  rendered = await renderTextAlpha(text, shrunk);
  while (rendered.width > maxWidth && text.length > 1) {
    // Cut proportionally to the overflow, then one character at a time near the fit.
    const keep = Math.max(
      1,
      Math.min(text.length - 1, Math.floor((text.length * maxWidth) / rendered.width) - 1),
    );
    text = text.slice(0, keep).trimEnd();
    rendered = await renderTextAlpha(`${text}…`, shrunk);
  }
  return rendered;
}

export async function labelledGrid(cells: GridCell[], opts: GridOptions = {}): Promise<RgbImage> {
  if (cells.length === 0) throw new InputError('a grid needs at least one cell');
  const first = cells[0]!.image;
  const cellSize = opts.cellSize ?? Math.min(512, Math.max(first.width, first.height));
  if (!Number.isInteger(cellSize) || cellSize < 8 || cellSize > 2048) {
    throw new InputError(`grid cellSize must be an integer in 8..2048, got ${cellSize}`);
  }
  const columns = opts.columns ?? Math.min(cells.length, Math.ceil(Math.sqrt(cells.length)));
  if (!Number.isInteger(columns) || columns < 1) {
    throw new InputError(`grid columns must be a positive integer, got ${columns}`);
  }
  const captionHeight = opts.captionHeight ?? Math.max(12, Math.round(cellSize / 8));
  if (!Number.isInteger(captionHeight) || captionHeight < 0 || captionHeight > 256) {
    throw new InputError(`grid captionHeight must be an integer in 0..256, got ${captionHeight}`);
  }
  const rows = Math.ceil(cells.length / columns);
  const width = columns * cellSize;
  const height = rows * (cellSize + captionHeight);
  if (width > MAX_GRID_SIDE || height > MAX_GRID_SIDE) {
    throw new InputError(
      `grid would be ${width}×${height} pixels, over the limit of ${MAX_GRID_SIDE} a side: use fewer cells, more columns or a smaller cellSize`,
    );
  }
  const grid = createImage(width, height, WHITE);
  for (const [index, cell] of cells.entries()) {
    const left = (index % columns) * cellSize;
    const top = Math.floor(index / columns) * (cellSize + captionHeight);
    const fitted = await fitToCell(cell.image, cellSize);
    blit(
      grid,
      fitted,
      left + Math.floor((cellSize - fitted.width) / 2),
      top + Math.floor((cellSize - fitted.height) / 2),
    );
    if (captionHeight === 0 || cell.caption.trim() === '') continue;
    const text = await captionAlpha(cell.caption, captionHeight, cellSize - 4);
    drawAlpha(
      grid,
      text,
      left + Math.max(0, Math.floor((cellSize - text.width) / 2)),
      top + cellSize + Math.floor((captionHeight - text.height) / 2),
    );
  }
  return grid;
}
