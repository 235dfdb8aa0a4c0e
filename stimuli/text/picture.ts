import sharp from 'sharp';
import { loadFont } from '../font.ts';
import type { RgbImage } from '../../util/image.ts';

/**
 * Texts as a picture: each token on a background whose warmth is its activation (white at 0, deep
 * orange at the scale's maximum), lines wrapped to a fixed width, one block per text with a caption
 * line above it. Drawn from font outlines (DejaVu Sans), so the same tokens give the same pixels.
 */
export interface PictureToken {
  text: string;
  activation: number;
  /** Whether a space precedes the token in the text. */
  spaceBefore: boolean;
}

export interface PictureBlock {
  caption: string;
  tokens: PictureToken[];
}

const WIDTH = 900;
const FONT_SIZE = 16;
const LINE = 24;
const MARGIN = 10;

export async function renderTokenPicture(
  blocks: readonly PictureBlock[],
  scaleMax: number,
): Promise<RgbImage> {
  const font = loadFont('sans');
  const parts: string[] = [];
  let y = MARGIN;
  const advance = (text: string) => font.getAdvanceWidth(text, FONT_SIZE);
  const space = advance(' ');
  const glyphs = (text: string, x: number, baseline: number, fill: string) =>
    `<path d="${font.getPath(text, x, baseline, FONT_SIZE).toPathData(2)}" fill="${fill}"/>`;
  for (const block of blocks) {
    parts.push(glyphs(block.caption, MARGIN, y + FONT_SIZE, '#555'));
    y += LINE;
    let x = MARGIN;
    for (const token of block.tokens) {
      const width = advance(token.text);
      const gap = token.spaceBefore && x > MARGIN ? space : 0;
      if (x + gap + width > WIDTH - MARGIN && x > MARGIN) {
        x = MARGIN;
        y += LINE;
      } else x += gap;
      const level = scaleMax > 0 ? Math.max(0, Math.min(1, token.activation / scaleMax)) : 0;
      if (level > 0) {
        const g = Math.round(255 - level * 125);
        const b = Math.round(255 - level * 225);
        parts.push(
          `<rect x="${x.toFixed(1)}" y="${y + 2}" width="${width.toFixed(1)}" height="${LINE - 2}" fill="rgb(255,${g},${b})"/>`,
        );
      }
      parts.push(glyphs(token.text, x, y + FONT_SIZE + 2, '#000'));
      x += width;
    }
    y += LINE + MARGIN;
  }
  const height = Math.max(y, 2 * MARGIN);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}">` +
    `<rect width="100%" height="100%" fill="#fff"/>${parts.join('')}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}
