/**
 * Compact encodings for probe-set scenes: raw deflate at level 1 for images (about 30 KB a 224×224
 * scene) and label maps (mostly long runs, well under 2 KB). A PNG-style delta filter was tried and
 * dropped: it saved ~1% of the bytes and cost a third more decoding time. Decoding inflates into one
 * chunk of the known size, so no chunk list has to be concatenated (and copied) afterwards.
 */
import { promisify } from 'node:util';
import { deflateRawSync, inflateRaw, inflateRawSync } from 'node:zlib';

const inflateRawAsync = promisify(inflateRaw);

function checked(inflated: Buffer, length: number, what: string): Uint8Array {
  if (inflated.length !== length)
    throw new Error(`probe-set ${what} has ${inflated.length} bytes, expected ${length}`);
  return new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.length);
}

export function encodeImagePixels(rgb: Uint8Array): Buffer {
  return deflateRawSync(rgb, { level: 1 });
}

export function decodeImagePixels(blob: Uint8Array, length: number): Uint8Array {
  return checked(inflateRawSync(blob, { chunkSize: Math.max(64, length) }), length, 'image');
}

/** As decodeImagePixels, inflating on libuv's thread pool so several images decode in parallel. */
export async function decodeImagePixelsAsync(blob: Uint8Array, length: number): Promise<Uint8Array> {
  return checked(await inflateRawAsync(blob, { chunkSize: Math.max(64, length) }), length, 'image');
}

export function encodeLabels(labels: Uint8Array): Buffer {
  return deflateRawSync(labels, { level: 1 });
}

export function decodeLabels(blob: Uint8Array, length: number): Uint8Array {
  return checked(inflateRawSync(blob, { chunkSize: Math.max(64, length) }), length, 'labels');
}
