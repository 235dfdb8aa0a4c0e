import { InputError } from '../../util/errors.ts';

export type TokenType = 'word' | 'number' | 'string' | '(' | ')' | ',' | '&' | 'comparison' | 'end';

export interface Token {
  type: TokenType;
  /** The source text of the token (for a string: its decoded value). */
  text: string;
  /** 1-based column of the token's first character, for error messages. */
  column: number;
}

const WORD_START = /[\p{L}\p{N}_]/u;
const WORD_CHAR = /[\p{L}\p{N}_'-]/u;
const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** Split a formula into tokens. Only unterminated strings and stray characters fail here. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    const column = i + 1;
    if (/\s/.test(char)) {
      i++;
    } else if ('(),&'.includes(char)) {
      tokens.push({ type: char as '(' | ')' | ',' | '&', text: char, column });
      i++;
    } else if (char === '=' || char === '>' || char === '<') {
      // '==' is accepted as '=' because people type it; '>' and '<' alone are not comparisons we have.
      const two = source.slice(i, i + 2);
      const text = two === '>=' || two === '<=' ? two : char === '=' ? '=' : char;
      const length = two === '==' || two === '>=' || two === '<=' ? 2 : 1;
      if (text === '>' || text === '<') {
        throw new InputError(
          `formula "${source}": unexpected '${text}' at column ${column}; comparisons are =, >= and <=`,
        );
      }
      tokens.push({ type: 'comparison', text, column });
      i += length;
    } else if (char === '"' || char === "'") {
      const { value, end } = readString(source, i);
      tokens.push({ type: 'string', text: value, column });
      i = end;
    } else if (WORD_START.test(char) || char === '.') {
      let end = i;
      while (end < source.length && (WORD_CHAR.test(source[end]!) || source[end] === '.')) end++;
      const text = source.slice(i, end);
      const isNumber = NUMBER.test(text);
      if (!isNumber && text.includes('.')) {
        throw new InputError(`formula "${source}": unexpected '.' in '${text}' at column ${column}`);
      }
      tokens.push({ type: isNumber ? 'number' : 'word', text, column });
      i = end;
    } else {
      throw new InputError(`formula "${source}": unexpected character '${char}' at column ${column}`);
    }
  }
  tokens.push({ type: 'end', text: 'end of formula', column: source.length + 1 });
  return tokens;
}

/** A quoted string with backslash escapes for the quote and the backslash. */
function readString(source: string, start: number): { value: string; end: number } {
  const quote = source[start]!;
  let value = '';
  let i = start + 1;
  while (i < source.length) {
    const char = source[i]!;
    if (char === '\\' && i + 1 < source.length) {
      value += source[i + 1];
      i += 2;
    } else if (char === quote) {
      return { value, end: i + 1 };
    } else {
      value += char;
      i++;
    }
  }
  throw new InputError(`formula "${source}": string starting at column ${start + 1} has no closing ${quote}`);
}
