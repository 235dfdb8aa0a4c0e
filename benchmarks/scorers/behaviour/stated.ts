/**
 * What a behaviour answer states, read from its description: the trigger is the phrase in double quotes
 * (straight or curly; the prompts ask for it so), the first that is not a single character.
 */
export function quotedPhrases(description: string): string[] {
  return [...description.matchAll(/["“]([^"”]{2,200})["”]/g)].map((m) => (m[1] ?? '').trim()).filter(Boolean);
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
