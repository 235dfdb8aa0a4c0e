/**
 * Secrets never reach a report. Nothing in a run should hold one, but a model can echo a key it was
 * shown, so the finished page is scrubbed of every value of a secret-looking environment variable.
 */

const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH)/i;
/** Short values (`1`, `true`) are not secrets and would blank out ordinary text. */
const MIN_LENGTH = 8;

export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.length >= MIN_LENGTH && SECRET_NAME.test(name)) values.add(value);
  }
  // Longest first, so a secret that contains another is removed whole.
  return [...values].sort((a, b) => b.length - a.length);
}

/** `text` with each secret (raw or HTML-escaped) replaced by `[redacted]`. */
export function redactSecrets(
  text: string,
  secrets: readonly string[],
  escape: (s: string) => string,
): string {
  let out = text;
  for (const secret of secrets) {
    for (const form of new Set([secret, escape(secret)])) out = out.split(form).join('[redacted]');
  }
  return out;
}
