import sharp from 'sharp';
import { InputError } from './errors.ts';

/** An 8-bit RGB image, row-major, 3 bytes a pixel: the one image type every layer shares. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export function createImage(
  width: number,
  height: number,
  fill: [number, number, number] = [0, 0, 0],
): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(fill, i * 3);
  return { width, height, data };
}

/** PNG bytes of an image. Compression settings are fixed so the same pixels give the same bytes. */
export async function encodePng(image: RgbImage): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .png({ compressionLevel: 6, adaptiveFiltering: false })
    .toBuffer();
}

/** Decode a PNG/JPEG/WebP file or buffer to RGB (alpha flattened onto white). */
export async function decodeImage(source: string | Buffer): Promise<RgbImage> {
  try {
    const { data, info } = await sharp(source)
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new InputError(`expected an RGB image, got ${info.channels} channels`);
    return {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
  } catch (error) {
    if (error instanceof InputError) throw error;
    const what = typeof source === 'string' ? `'${source}'` : 'the given bytes';
    throw new InputError(`cannot read ${what} as an image: ${(error as Error).message}`, { cause: error });
  }
}
