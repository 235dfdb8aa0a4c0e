import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

/**
 * The on-disk form of a site's activations over a probe set:
 *
 *   "AIAACT01"  8 bytes magic
 *   u32 LE      length of the JSON header in bytes
 *   header      JSON: { version, subjectHash, site, probeSetId, n, units, positions, sha256 }
 *   payload     float32 LE: n × units values (row-major), then units means
 *
 * `sha256` covers the payload, so a torn or corrupted file is detected on read (and rebuilt by the
 * caller). Files are written to a temporary name and renamed into place, so a crash leaves either the
 * old file, no file, or a stray temporary, never a half-written cache file.
 */

const MAGIC = Buffer.from('AIAACT01', 'latin1');
export const CACHE_FORMAT_VERSION = 1;

export interface CacheKey {
  subjectHash: string;
  site: string;
  probeSetId: string;
}

export interface CachedActivations extends CacheKey {
  n: number;
  units: number;
  /** Positions per unit per scene that the means average over (map cells). */
  positions: number;
  /** n × units, row-major: each scene's scalar activation of each unit. */
  values: Float32Array;
  /** Per unit: mean over every position of every scene. */
  means: Float32Array;
}

interface Header extends CacheKey {
  version: number;
  n: number;
  units: number;
  positions: number;
  sha256: string;
}

export function writeCacheFile(path: string, record: CachedActivations): void {
  const { values, means } = record;
  if (values.length !== record.n * record.units || means.length !== record.units) {
    throw new Error(`activation cache record for ${record.site} has inconsistent sizes`);
  }
  const payload = Buffer.alloc((values.length + means.length) * 4);
  Buffer.from(values.buffer, values.byteOffset, values.byteLength).copy(payload, 0);
  Buffer.from(means.buffer, means.byteOffset, means.byteLength).copy(payload, values.byteLength);
  const header: Header = {
    version: CACHE_FORMAT_VERSION,
    subjectHash: record.subjectHash,
    site: record.site,
    probeSetId: record.probeSetId,
    n: record.n,
    units: record.units,
    positions: record.positions,
    sha256: createHash('sha256').update(payload).digest('hex'),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length, 0);

  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const fd = openSync(temporary, 'w');
  try {
    for (const chunk of [MAGIC, length, headerBytes, payload]) writeSync(fd, chunk);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
}

/**
 * The record stored at `path` for `key`, or why it cannot be used: 'missing', or a description of the
 * corruption or mismatch (so the caller can log it and rebuild).
 */
export function readCacheFile(
  path: string,
  key: CacheKey,
): { ok: true; record: CachedActivations } | { ok: false; reason: string } {
  if (!existsSync(path)) return { ok: false, reason: 'missing' };
  const bytes = readFileSync(path);
  if (bytes.length < 12 || !bytes.subarray(0, 8).equals(MAGIC)) return { ok: false, reason: 'bad magic' };
  const headerLength = bytes.readUInt32LE(8);
  if (12 + headerLength > bytes.length) return { ok: false, reason: 'truncated header' };
  let header: Header;
  try {
    header = JSON.parse(bytes.subarray(12, 12 + headerLength).toString('utf8')) as Header;
  } catch {
    return { ok: false, reason: 'unreadable header' };
  }
  if (header.version !== CACHE_FORMAT_VERSION) return { ok: false, reason: `format ${header.version}` };
  if (
    header.subjectHash !== key.subjectHash ||
    header.site !== key.site ||
    header.probeSetId !== key.probeSetId
  ) {
    return { ok: false, reason: 'key mismatch' };
  }
  const payload = bytes.subarray(12 + headerLength);
  const expected = (header.n * header.units + header.units) * 4;
  if (payload.length !== expected)
    return { ok: false, reason: `payload has ${payload.length} bytes, expected ${expected}` };
  if (createHash('sha256').update(payload).digest('hex') !== header.sha256)
    return { ok: false, reason: 'checksum mismatch' };
  // Copy into an aligned buffer: the payload's offset in the file need not be a multiple of 4.
  const floats = new Float32Array(payload.length / 4);
  Buffer.from(floats.buffer).set(payload);
  return {
    ok: true,
    record: {
      subjectHash: header.subjectHash,
      site: header.site,
      probeSetId: header.probeSetId,
      n: header.n,
      units: header.units,
      positions: header.positions,
      values: floats.subarray(0, header.n * header.units),
      means: floats.subarray(header.n * header.units),
    },
  };
}
