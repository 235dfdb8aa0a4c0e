import { createHash } from 'node:crypto';

/**
 * Canonical JSON for hashing: object keys sorted, typed arrays as plain arrays, Buffers as their
 * sha256 (so a request or result hash never depends on key order or on how bytes are held), and
 * undefined fields dropped as JSON.stringify drops them.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function normalise(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
    return value;
  }
  if (Buffer.isBuffer(value)) return { sha256: sha256(value) };
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, normalise);
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : normalise(item)));
  if (value instanceof Map) return normalise(Object.fromEntries(value));
  if (value instanceof Set) return [...value].map(normalise);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const field = (value as Record<string, unknown>)[key];
    if (field !== undefined && typeof field !== 'function') out[key] = normalise(field);
  }
  return out;
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hashValue(value: unknown): string {
  return sha256(canonicalJson(value));
}
