/**
 * GPT-2's byte-level alphabet. Every byte maps to one printable character (printable Latin-1 bytes
 * to themselves, the rest — space, control bytes — to code points from U+0100 up), so any UTF-8
 * text becomes a string over 256 symbols with no unknown token, and spaces show as `Ġ`. This is the
 * mapping Hugging Face's ByteLevel pre-tokenizer and decoder use; tokenizer.json vocabularies are
 * written in it.
 */

function buildByteToChar(): string[] {
  const printable: number[] = [];
  const push = (from: number, to: number) => {
    for (let b = from; b <= to; b++) printable.push(b);
  };
  push(0x21, 0x7e); // '!' … '~'
  push(0xa1, 0xac); // '¡' … '¬'
  push(0xae, 0xff); // '®' … 'ÿ'
  const chars: string[] = new Array<string>(256);
  const kept = new Set(printable);
  let next = 0;
  for (let byte = 0; byte < 256; byte++) {
    if (kept.has(byte)) chars[byte] = String.fromCharCode(byte);
    else chars[byte] = String.fromCharCode(256 + next++);
  }
  return chars;
}

/** The character standing for each byte. */
export const BYTE_TO_CHAR: readonly string[] = buildByteToChar();

/** The byte each alphabet character stands for. */
export const CHAR_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TO_CHAR.map((c, b) => [c, b]));

/**
 * GPT-2's pre-tokenizer pattern: contractions, words and numbers with their leading space,
 * punctuation runs, and whitespace (a run of spaces keeps its last space for the next word). The
 * same pattern the ByteLevel pre-tokenizer applies when `use_regex` is true.
 */
export const GPT2_SPLIT_PATTERN =
  /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

const encoder = new TextEncoder();

/** A piece of text in the byte alphabet (what a vocabulary entry looks like). */
export function toByteSymbols(text: string): string {
  let out = '';
  for (const byte of encoder.encode(text)) out += BYTE_TO_CHAR[byte];
  return out;
}

/** How many bytes a vocabulary entry written in the byte alphabet stands for; undefined if it is not one. */
export function byteLength(symbols: string): number | undefined {
  let count = 0;
  for (const char of symbols) {
    if (!CHAR_TO_BYTE.has(char)) return undefined;
    count++;
  }
  return count;
}
