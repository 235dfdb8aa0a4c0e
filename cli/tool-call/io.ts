import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { InputError } from '../../util/errors.ts';

/**
 * What `aia tools call` reads and writes besides the tool itself: arguments from the command line or
 * from a file (nested JSON in shell quotes is fragile), and result images enlarged for people and
 * models to see (a 192×48 text line with a 2×96 map is too small to read).
 */

/** Arguments as given: inline JSON, or the JSON in `file` ('-' reads standard input); not both. */
export function readToolArguments(
  inline: string | undefined,
  file: string | undefined,
  tool: string,
): unknown {
  if (inline !== undefined && inline.trim() !== '' && file !== undefined) {
    throw new InputError(`give the arguments for ${tool} inline or with --args-file, not both`);
  }
  let text = inline;
  let where = '';
  if (file !== undefined) {
    where = file === '-' ? 'standard input' : `--args-file ${file}`;
    try {
      text = readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (error) {
      throw new InputError(`cannot read ${where}: ${(error as Error).message}`);
    }
  }
  if (text === undefined || text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError(
      `arguments for ${tool}${where ? ` in ${where}` : ''} are not valid JSON (${(error as Error).message})` +
        (file === undefined ? `; quote them, e.g. '{"unit": "final_conv:3"}', or use --args-file` : ''),
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError(
      `arguments for ${tool} in ${where} must be a JSON object, e.g. {"unit": "final_conv:3"}`,
    );
  }
  return parsed;
}

/** The largest zoom: a 224 px scene becomes 1,792 px. */
export const MAX_ZOOM = 8;

/** `--zoom` as a whole factor from 1 to MAX_ZOOM. */
export function parseZoom(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_ZOOM) {
    throw new InputError(`--zoom must be a whole number from 1 to ${MAX_ZOOM}, got '${value}'`);
  }
  return n;
}

/** A PNG enlarged by a whole factor with nearest-neighbour sampling, so every pixel stays sharp and exact. */
export async function zoomPng(png: Buffer | Uint8Array, factor: number): Promise<Buffer> {
  const input = Buffer.from(png);
  if (factor === 1) return input;
  const { width, height } = await sharp(input).metadata();
  if (!width || !height) throw new InputError('result image has no size');
  return sharp(input)
    .resize({ width: width * factor, height: height * factor, kernel: 'nearest' })
    .png()
    .toBuffer();
}
