import { gunzipSync } from 'node:zlib';
import { InputError } from '../../util/errors.ts';

/**
 * The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a big-endian header
 * — two zero bytes, a type code (0x08 unsigned byte), the number of dimensions — then one uint32 size
 * per dimension, then the values. Only unsigned bytes are read: both datasets use nothing else.
 */

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

/** Parse IDX bytes (gunzipped first when they start with the gzip magic). `source` names them in errors. */
export function parseIdx(bytes: Uint8Array, source: string): IdxArray {
  const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? new Uint8Array(gunzipSync(bytes)) : bytes;
  if (raw.length < 4 || raw[0] !== 0 || raw[1] !== 0) {
    throw new InputError(`${source} is not an IDX file (it does not start with two zero bytes)`);
  }
  if (raw[2] !== UNSIGNED_BYTE) {
    throw new InputError(
      `${source} holds IDX type 0x${(raw[2] ?? 0).toString(16)}; only unsigned bytes (0x08) are read`,
    );
  }
  const rank = raw[3] as number;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const headerLength = 4 + 4 * rank;
  if (raw.length < headerLength) throw new InputError(`${source} is truncated inside its IDX header`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  if (raw.length !== headerLength + count) {
    throw new InputError(
      `${source} should hold ${count} values for dims [${dims.join(', ')}] but holds ${raw.length - headerLength}; is it truncated?`,
    );
  }
  return { dims, data: raw.subarray(headerLength) };
}

/** IDX bytes (not compressed) of an unsigned-byte array. */
export function encodeIdx(array: IdxArray): Uint8Array {
  const count = array.dims.reduce((a, b) => a * b, 1);
  if (array.data.length !== count) {
    throw new InputError(
      `IDX dims [${array.dims.join(', ')}] need ${count} values, got ${array.data.length}`,
    );
  }
  const headerLength = 4 + 4 * array.dims.length;
  const out = new Uint8Array(headerLength + count);
  const view = new DataView(out.buffer);
  out[2] = UNSIGNED_BYTE;
  out[3] = array.dims.length;
  array.dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(array.data, headerLength);
  return out;
}
