/** Numbers and times as a report shows them. */

export function formatInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatUsd(usd: number | undefined): string {
  if (usd === undefined) return 'unknown';
  return `$${usd < 0.01 && usd > 0 ? usd.toFixed(4) : usd.toFixed(2)}`;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 120) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** An ISO time as `YYYY-MM-DD HH:MM:SS UTC`, or the text as given when it is not a date. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Raw argument text pretty-printed when it is JSON; else as sent, marked. */
export function prettyArguments(raw: string): { text: string; valid: boolean } {
  if (raw.trim() === '') return { text: '{}', valid: true };
  try {
    return { text: JSON.stringify(JSON.parse(raw) as unknown, null, 2), valid: true };
  } catch {
    return { text: raw, valid: false };
  }
}

/** JSON of a value, cut to `max` characters so one large result cannot swamp the page. */
export function clippedJson(value: unknown, max = 6000): string {
  const text = JSON.stringify(value, null, 2) ?? 'undefined';
  return text.length > max
    ? `${text.slice(0, max)}\n… (${formatInt(text.length - max)} more characters)`
    : text;
}
