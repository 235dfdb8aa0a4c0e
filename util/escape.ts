/**
 * Text from a user, a model or a run file can hold control characters: ESC sequences that retitle
 * or repaint a terminal, BEL, NUL, bidirectional overrides that make text read differently from
 * what it is. Everything such text passes through on its way to a terminal, a log or a report is
 * escaped here, so it is shown, never obeyed.
 */

// C0 controls except tab and newline, DEL, C1 controls, and the Unicode bidirectional overrides.
// Matching control characters is this module's purpose.
/* eslint-disable no-control-regex */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_WITH_LINES = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/* eslint-enable no-control-regex */

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\t': '\\t', '\r': '\\r' };

function visible(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
}

/**
 * `text` with every control character written as a visible escape (`\x1b`, `\x07`, `\u202e`).
 * Tabs and newlines are kept unless `oneLine` is set (for messages that must stay on one line).
 */
export function escapeControl(text: string, options: { oneLine?: boolean } = {}): string {
  return text.replace(options.oneLine === true ? CONTROL_WITH_LINES : CONTROL, visible);
}
