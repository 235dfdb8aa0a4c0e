/**
 * What a behaviour answer states, read from its description: the trigger is the phrase in double quotes
 * (straight or curly; the prompts ask for it so), the first that is not a single character.
 */
export function quotedPhrases(description: string): string[] {
  // Quotes pair left to right (a one-character quote such as "x" still closes its pair), in text order.
  return [...description.matchAll(/"([^"]*)"|“([^”]*)”/g)]
    .map((m) => (m[1] ?? m[2] ?? '').trim())
    .filter((phrase) => phrase.length >= 2 && phrase.length <= 200);
}

/** A phrase compared as words: lower case, punctuation at the ends of words dropped, spaces collapsed. */
export function normalisePhrase(phrase: string): string {
  return phrase
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter(Boolean)
    .join(' ');
}

/** The stated trigger: the first quoted phrase, undefined when there is none. */
export function statedTrigger(description: string): string | undefined {
  return quotedPhrases(description)[0];
}
