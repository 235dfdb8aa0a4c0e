import { z } from 'zod';
import { InputError } from '../../util/errors.ts';
import { categoryWords, isLexicalCategory, lexicalCategories, LEXICAL_CATEGORIES } from './lexicon.ts';
import type { AnnotatedText } from './types.ts';

/**
 * Exact text edits for counterfactuals, addressed by token index (word-level tokens of the annotated
 * text): replace a token's text, insert a word before a token (or at the end), delete a token, or swap
 * a word for another word of a lexical category (its own category: a same-kind swap; another: a
 * change of kind). Edits give new text, which is annotated afresh: what changed is exactly the edit.
 */
export const TextEdit = z.discriminatedUnion('op', [
  z.strictObject({
    op: z.literal('replace'),
    token: z.number().int().min(0),
    word: z.string().trim().min(1),
  }),
  z.strictObject({
    op: z.literal('insert'),
    /** Insert before this token; the number of tokens appends at the end. */
    token: z.number().int().min(0),
    word: z.string().trim().min(1),
  }),
  z.strictObject({ op: z.literal('delete'), token: z.number().int().min(0) }),
  z.strictObject({
    op: z.literal('swap'),
    token: z.number().int().min(0),
    /** A lexical category (colour, animal, …): the token becomes a member of it other than itself. */
    category: z.string().refine(isLexicalCategory, {
      message: `a category is one of ${LEXICAL_CATEGORIES.join(', ')}`,
    }),
    /** Which member (default 0: the first that differs from the word), for several distinct swaps. */
    choice: z.number().int().min(0).default(0),
  }),
]);
export type TextEdit = z.output<typeof TextEdit>;

/** The text after one edit, and what the edit did, in words. */
export function applyTextEdit(text: AnnotatedText, edit: TextEdit): { text: string; summary: string } {
  const { tokens } = text;
  const limit = edit.op === 'insert' ? tokens.length : tokens.length - 1;
  if (edit.token > limit)
    throw new InputError(
      `token ${edit.token} is out of range: the text has ${tokens.length} tokens (0–${tokens.length - 1})`,
    );
  const source = text.text;
  switch (edit.op) {
    case 'replace': {
      const token = tokens[edit.token]!;
      return {
        text: source.slice(0, token.start) + edit.word + source.slice(token.end),
        summary: `replaced '${token.text}' with '${edit.word}'`,
      };
    }
    case 'insert': {
      const at = edit.token < tokens.length ? tokens[edit.token]!.start : source.length;
      const before = edit.token < tokens.length ? `${edit.word} ` : ` ${edit.word}`;
      return {
        text: source.slice(0, at) + before + source.slice(at),
        summary: `inserted '${edit.word}' ${edit.token < tokens.length ? `before '${tokens[edit.token]!.text}'` : 'at the end'}`,
      };
    }
    case 'delete': {
      const token = tokens[edit.token]!;
      // Take one space with the word, so no double space is left behind.
      const start = token.start > 0 && source[token.start - 1] === ' ' ? token.start - 1 : token.start;
      return {
        text: source.slice(0, start) + source.slice(token.end),
        summary: `deleted '${token.text}'`,
      };
    }
    case 'swap': {
      const token = tokens[edit.token]!;
      const word = swapWord(token.text, edit.category, edit.choice);
      return {
        text: source.slice(0, token.start) + word + source.slice(token.end),
        summary: `swapped '${token.text}' (${lexicalCategories(token.text).join(', ') || 'no category'}) for '${word}' (${edit.category})`,
      };
    }
  }
}

/** A member of the category other than `word`, capitalised like it. */
function swapWord(word: string, category: string, choice: number): string {
  if (!isLexicalCategory(category)) throw new InputError(`'${category}' is not a lexical category`);
  const members = categoryWords(category).filter((member) => member !== word.toLowerCase());
  const chosen = members[choice % members.length]!;
  return /^\p{Lu}/u.test(word) ? chosen.charAt(0).toUpperCase() + chosen.slice(1) : chosen;
}
