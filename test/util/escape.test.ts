import { describe, expect, it } from 'vitest';
import { escapeControl } from '../../util/escape.ts';

describe('escapeControl', () => {
  it('shows terminal escape sequences, BEL, NUL and bidi overrides instead of passing them on', () => {
    const hostile = 'unit \u001b]0;pwned\u0007 \u0000x \u202egnp.exe';
    expect(escapeControl(hostile)).toBe('unit \\x1b]0;pwned\\x07 \\x00x \\u202egnp.exe');
  });

  it('keeps newlines and tabs unless one line is asked for', () => {
    expect(escapeControl('a\n\tb\r')).toBe('a\n\tb\\r');
    expect(escapeControl('a\n\tb', { oneLine: true })).toBe('a\\n\\tb');
  });

  it('leaves printable text, accents and emoji unchanged', () => {
    const text = 'café — “dog” 🐕 σ=2';
    expect(escapeControl(text)).toBe(text);
  });
});
