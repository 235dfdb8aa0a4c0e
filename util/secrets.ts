/**
 * Secrets never reach logs, transcripts or reports. A provider's error can echo part of a key (its
 * last characters, a prefix), so redaction removes any run of REDACT_MIN_RUN or more characters of
 * a known secret, not only the whole value.
 */

const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH)/i;
/** Shorter values (`1`, `true`, a local server's `ollama`) are not secrets and would blank out text. */
export const MIN_SECRET_LENGTH = 8;
/** The shortest piece of a secret that is removed wherever it appears. */
export const REDACT_MIN_RUN = 6;
export const REDACTED = '[redacted]';

/**
 * Values of secret-looking environment variables. Paths and text with spaces (SSH_AUTH_SOCK's socket
 * path, a description) are not keys, and redacting pieces of them would blank out ordinary paths.
 */
export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !SECRET_NAME.test(name)) continue;
    if (isSecretLike(value)) values.add(value);
  }
  return [...values];
}

/** Long enough, one word, and not a filesystem path. */
export function isSecretLike(value: string): boolean {
  return value.length >= MIN_SECRET_LENGTH && !/\s/.test(value) && !value.startsWith('/');
}

/**
 * `text` with every run of at least REDACT_MIN_RUN characters that also occurs in one of `secrets`
 * replaced by `[redacted]` (each maximal run once). Secrets too short to be keys are ignored.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const keys = secrets.filter(isSecretLike);
  if (keys.length === 0 || text.length < REDACT_MIN_RUN) return text;
  const seeds = new Set<string>();
  for (const key of keys)
    for (let i = 0; i + REDACT_MIN_RUN <= key.length; i++) seeds.add(key.slice(i, i + REDACT_MIN_RUN));
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (!seeds.has(text.slice(i, i + REDACT_MIN_RUN))) {
      out += text[i];
      i++;
      continue;
    }
    // Extend the match while the longer piece still occurs in some secret.
    let end = i + REDACT_MIN_RUN;
    while (end < text.length && keys.some((key) => key.includes(text.slice(i, end + 1)))) end++;
    out += REDACTED;
    i = end;
  }
  return out;
}

/** Every string inside a JSON-like value redacted (keys included); other values unchanged. */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactSecrets(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v) && !Buffer.isBuffer(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, field] of Object.entries(v)) out[redactSecrets(k, secrets)] = walk(field);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
