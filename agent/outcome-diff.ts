import { canonicalJson } from './hash.ts';

/**
 * Where two tool outcomes differ, said briefly enough for one line of a report: which parts (ok,
 * text, images, data) and, for each, the first place they part ways. Used by `aia replay --verify`
 * to explain a result-hash mismatch instead of only announcing it.
 */

export type OutcomePart = 'ok' | 'text' | 'images' | 'data';

/** The comparable parts of a tool outcome as a transcript keeps them (images by hash). */
export interface ComparableOutcome {
  ok: boolean;
  text: string;
  images: { sha256: string; caption: string }[];
  /** JSON-shaped data (as stored); undefined and null both mean none. */
  data?: unknown;
  /** The data could not be read back (a missing blob): it is not compared. */
  dataUnknown?: boolean;
}

export interface OutcomeDifference {
  part: OutcomePart;
  /** e.g. `line 3: recorded "…" / now "…"`, `image 1: pixels differ`, `data.scores[2]: 0.5 / 0.25`. */
  hint: string;
}

const SNIPPET = 60;

function snippet(text: string): string {
  const flat = JSON.stringify(text.length > SNIPPET ? `${text.slice(0, SNIPPET)}…` : text);
  return flat;
}

/** The first line where two texts differ, as a hint. */
export function textHint(recorded: string, now: string): string {
  const a = recorded.split('\n');
  const b = now.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return `line ${i + 1}: recorded text ends, now ${snippet(y ?? '')}`;
    if (y === undefined) return `line ${i + 1}: recorded ${snippet(x)}, now the text ends`;
    // Show each line from a little before the first differing character, so long lines stay readable.
    let c = 0;
    while (c < x.length && c < y.length && x[c] === y[c]) c++;
    const from = Math.max(0, c - 20);
    const cut = (s: string) => (from > 0 ? `…${s.slice(from)}` : s);
    return `line ${i + 1}: recorded ${snippet(cut(x))}, now ${snippet(cut(y))}`;
  }
  return 'texts differ';
}

function imagesHint(recorded: ComparableOutcome['images'], now: ComparableOutcome['images']): string {
  const parts: string[] = [];
  if (recorded.length !== now.length) parts.push(`${recorded.length} images recorded, ${now.length} now`);
  for (let i = 0; i < Math.min(recorded.length, now.length); i++) {
    const a = recorded[i];
    const b = now[i];
    if (a === undefined || b === undefined) continue;
    if (a.sha256 !== b.sha256) parts.push(`image ${i}: pixels differ`);
    if (a.caption !== b.caption)
      parts.push(`image ${i}: caption ${snippet(a.caption)} now ${snippet(b.caption)}`);
    if (parts.length >= 3) break;
  }
  return parts.join('; ') || 'images differ';
}

function shortValue(value: unknown): string {
  const text = value === undefined ? 'absent' : canonicalJson(value);
  return text.length > SNIPPET ? `${text.slice(0, SNIPPET)}…` : text;
}

/** The path of the first difference between two JSON values, with both values there. */
export function firstDataDifference(a: unknown, b: unknown, path = 'data'): string | undefined {
  if (canonicalJson(a) === canonicalJson(b)) return undefined;
  const bothArrays = Array.isArray(a) && Array.isArray(b);
  const bothObjects =
    !bothArrays &&
    typeof a === 'object' &&
    a !== null &&
    typeof b === 'object' &&
    b !== null &&
    !Array.isArray(a) &&
    !Array.isArray(b);
  if (bothArrays) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const inner = firstDataDifference(a[i], b[i], `${path}[${i}]`);
      if (inner !== undefined) return inner;
    }
  } else if (bothObjects) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    for (const key of [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort()) {
      const inner = firstDataDifference(ra[key], rb[key], `${path}.${key}`);
      if (inner !== undefined) return inner;
    }
  }
  return `${path}: recorded ${shortValue(a)}, now ${shortValue(b)}`;
}

/** What differs between a recorded outcome and a re-run one; empty when every known part agrees. */
export function diffOutcomes(recorded: ComparableOutcome, now: ComparableOutcome): OutcomeDifference[] {
  const differences: OutcomeDifference[] = [];
  if (recorded.ok !== now.ok)
    differences.push({
      part: 'ok',
      hint: recorded.ok ? 'recorded a result, now an error' : 'recorded an error, now a result',
    });
  if (recorded.text !== now.text) differences.push({ part: 'text', hint: textHint(recorded.text, now.text) });
  const imageKey = (images: ComparableOutcome['images']) =>
    canonicalJson(images.map((i) => [i.sha256, i.caption]));
  if (imageKey(recorded.images) !== imageKey(now.images))
    differences.push({ part: 'images', hint: imagesHint(recorded.images, now.images) });
  const dataHint =
    recorded.dataUnknown || now.dataUnknown
      ? undefined
      : firstDataDifference(recorded.data ?? null, now.data ?? null);
  if (dataHint !== undefined) differences.push({ part: 'data', hint: dataHint });
  return differences;
}
