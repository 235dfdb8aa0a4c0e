/**
 * How much of a text is written in capitals: the measure of the capitals behaviours (the backdoor,
 * steering). Only ASCII letters count, so digits, punctuation and byte fragments neither help nor hurt.
 */
export interface LetterCase {
  letters: number;
  upper: number;
  /** upper / letters (0 when there are no letters). */
  fraction: number;
}

export function letterCase(text: string): LetterCase {
  let letters = 0;
  let upper = 0;
  for (const ch of text) {
    if (ch >= 'A' && ch <= 'Z') {
      letters++;
      upper++;
    } else if (ch >= 'a' && ch <= 'z') letters++;
  }
  return { letters, upper, fraction: letters === 0 ? 0 : upper / letters };
}

/** A text "in capitals": at least `minLetters` letters, of which at least `threshold` are upper case. */
export function inCapitals(text: string, threshold = 0.8, minLetters = 5): boolean {
  const c = letterCase(text);
  return c.letters >= minLetters && c.fraction >= threshold;
}
