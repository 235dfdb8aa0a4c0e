import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import opentype from 'opentype.js';
import sharp from 'sharp';

/**
 * Text rendering with a bundled font (DejaVu Sans, from the npm package dejavu-fonts-ttf), so
 * rendered words are identical on every machine whatever fonts the system has.
 */

export type FontName = 'sans' | 'sans-bold' | 'serif' | 'mono';

const FONT_FILES: Record<FontName, string> = {
  sans: 'DejaVuSans.ttf',
  'sans-bold': 'DejaVuSans-Bold.ttf',
  serif: 'DejaVuSerif.ttf',
  mono: 'DejaVuSansMono.ttf',
};

const fontCache = new Map<FontName, opentype.Font>();

function fontDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
}

export function loadFont(name: FontName = 'sans'): opentype.Font {
  let font = fontCache.get(name);
  if (!font) {
    const bytes = readFileSync(join(fontDir(), FONT_FILES[name]));
    font = opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    fontCache.set(name, font);
  }
  return font;
}

/** A single-channel coverage image: alpha[y * width + x] in 0..255. */
export interface AlphaImage {
  width: number;
  height: number;
  alpha: Uint8Array;
}

/**
 * Rasterise one line of text so that its ink box is `heightPx` tall from the font's ascender to
 * descender (so every word at the same size has the same line height), tightly cropped in width.
 */
export async function renderTextAlpha(
  text: string,
  heightPx: number,
  fontName: FontName = 'sans',
): Promise<AlphaImage> {
  const font = loadFont(fontName);
  const lineUnits = font.ascender - font.descender;
  const fontSize = (heightPx * font.unitsPerEm) / lineUnits;
  const baseline = (font.ascender / font.unitsPerEm) * fontSize;
  const advance = font.getAdvanceWidth(text, fontSize);
  const width = Math.max(1, Math.ceil(advance));
  const height = Math.max(1, Math.round(heightPx));
  const pathData = font.getPath(text, 0, baseline, fontSize).toPathData(3);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><path d="${pathData}" fill="#000"/></svg>`;
  const { data, info } = await sharp(Buffer.from(svg))
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const alpha = new Uint8Array(info.width * info.height);
  for (let i = 0; i < alpha.length; i++) alpha[i] = data[i * 4 + 3] ?? 0;
  return { width: info.width, height: info.height, alpha };
}
