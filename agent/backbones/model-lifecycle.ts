import { log } from '../../util/log.ts';

/**
 * Models past (or near) their provider's end of life. A run on one is warned about once per process,
 * with what to use instead; the Anthropic SDK's own warning, which it prints on every request (five
 * times in a run whose calls are retried), is then kept to its first.
 */
export const DEPRECATED_MODELS: Readonly<Record<string, { endOfLife: string; use: string }>> = {
  'claude-sonnet-4-5': { endOfLife: '2026-11-30', use: 'claude-sonnet-5' },
  'claude-sonnet-4-5-20250929': { endOfLife: '2026-11-30', use: 'claude-sonnet-5' },
};

const warned = new Set<string>();

/** Log once per process that `model` is deprecated (no-op for current models). Returns whether it is. */
export function warnIfDeprecated(model: string): boolean {
  const entry = DEPRECATED_MODELS[model];
  if (entry === undefined) return false;
  if (!warned.has(model)) {
    warned.add(model);
    quietRepeatedSdkWarnings();
    log.warn(
      `the model '${model}' is deprecated (end of life ${entry.endOfLife}); use --model ${entry.use} or set ANTHROPIC_MODEL`,
    );
  }
  return true;
}

let quieted = false;

/** The SDK prints its deprecation notice with console.warn on every request: let each text through once. */
function quietRepeatedSdkWarnings(): void {
  if (quieted) return;
  quieted = true;
  console.warn = onceEachDeprecationNotice(console.warn.bind(console));
}

/** `warn`, except that a deprecation notice it already passed on is dropped. */
export function onceEachDeprecationNotice(warn: (...args: unknown[]) => void): (...args: unknown[]) => void {
  const seen = new Set<string>();
  return (...args: unknown[]): void => {
    const [first] = args;
    if (typeof first === 'string' && / is deprecated and will reach end-of-life /.test(first)) {
      if (seen.has(first)) return;
      seen.add(first);
    }
    warn(...args);
  };
}
