import { LEXICAL_CATEGORIES } from './lexicon.ts';

/**
 * The token concepts: what a token can be said to be. Every annotated token lists the concepts that
 * hold for it, and the text concept language (subjects/synthetic-text) names them. Three kinds:
 * parts of speech (wink-nlp's universal tags), lexical categories (curated lists, with compromise's
 * people, places and values merged into person, place and number), and where the token stands.
 */

/** Universal part-of-speech tags, named as words. CCONJ and SCONJ are both `conjunction`. */
export const POS_CONCEPTS = {
  ADJ: 'adjective',
  ADP: 'adposition',
  ADV: 'adverb',
  AUX: 'auxiliary',
  CCONJ: 'conjunction',
  SCONJ: 'conjunction',
  DET: 'determiner',
  INTJ: 'interjection',
  NOUN: 'noun',
  NUM: 'numeral',
  PART: 'particle',
  PRON: 'pronoun',
  PROPN: 'proper_noun',
  PUNCT: 'punctuation',
  SYM: 'symbol',
  VERB: 'verb',
} as const satisfies Record<string, string>;

/** Where a token stands or how it is written. */
export const STRUCTURE_CONCEPTS = [
  /** The first word of a sentence. */
  'sentence_start',
  /** A word whose first letter is a capital. */
  'capitalised',
  /** Inside double quotes (straight or curly). */
  'in_quotes',
  /** Inside brackets, at any depth (`depth(2)` asks for at least two). */
  'in_brackets',
  /** A word that already occurred earlier in the same text (case ignored): what induction heads copy. */
  'repeated',
] as const;

export const CONCEPT_KINDS = {
  pos: [...new Set(Object.values(POS_CONCEPTS))].sort(),
  lexical: [...LEXICAL_CATEGORIES],
  structure: [...STRUCTURE_CONCEPTS],
} as const;

/** Every token concept, for validation and suggestions. */
export const TEXT_CONCEPTS: readonly string[] = [
  ...CONCEPT_KINDS.pos,
  ...CONCEPT_KINDS.lexical,
  ...CONCEPT_KINDS.structure,
];

export function isTextConcept(name: string): boolean {
  return TEXT_CONCEPTS.includes(name);
}

export function posConcept(tag: string): string | undefined {
  return (POS_CONCEPTS as Record<string, string>)[tag];
}
