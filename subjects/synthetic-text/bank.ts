import type { TextUnitDefinition } from './definition.ts';

/**
 * The built-in synthetic text units: `synthetic-text:<id>` names one, `synthetic-text:bank` all of
 * them. Ten families, from a single part of speech to sequences and noisy units; the
 * `text-synthetic` suite asks about each (scripts/make-suites.ts).
 */
const unit = (
  family: TextUnitDefinition['family'],
  id: string,
  formula: string,
  noise?: TextUnitDefinition['noise'],
): TextUnitDefinition => ({ id: `${family}-${id}`, family, formula, ...(noise ? { noise } : {}) });

const POS = [
  'noun',
  'verb',
  'adjective',
  'adverb',
  'proper_noun',
  'pronoun',
  'determiner',
  'adposition',
  'conjunction',
  'auxiliary',
  'numeral',
];
const LEXICAL = [
  'colour',
  'animal',
  'number',
  'place',
  'person',
  'emotion',
  'body',
  'time',
  'food',
  'family',
];
const WORDS = ['the', 'and', 'of', 'said', 'was', 'he', 'she', 'in'];

export const TEXT_UNIT_BANK: readonly TextUnitDefinition[] = [
  ...POS.map((pos) => unit('pos', pos.replace(/_/g, '-'), pos)),
  ...LEXICAL.map((category) => unit('lexical', category, category)),
  ...WORDS.map((word) => unit('word', word, `word("${word}")`)),
  unit('position', 'sentence-start', 'sentence_start'),
  unit('position', 'start-determiner', 'sentence_start AND determiner'),
  unit('position', 'start-pronoun', 'sentence_start AND pronoun'),
  unit('brackets', 'in-quotes', 'in_quotes'),
  unit('brackets', 'in-brackets', 'in_brackets'),
  unit('brackets', 'depth-2', 'depth(2)'),
  unit('brackets', 'quoted-noun', 'in_quotes AND noun'),
  unit('repeat', 'repeated', 'repeated'),
  unit('repeat', 'repeated-name', 'repeated AND proper_noun'),
  unit('repeat', 'repeated-noun', 'repeated AND noun'),
  unit('capital', 'capitalised', 'capitalised'),
  unit('capital', 'mid-sentence-capital', 'capitalised AND NOT sentence_start'),
  unit('capital', 'capitalised-noun', 'capitalised AND noun'),
  unit('combination', 'colour-or-animal', 'colour OR animal'),
  unit('combination', 'person-or-place', 'person OR place'),
  unit('combination', 'pronoun-or-name', 'pronoun OR proper_noun'),
  unit('combination', 'colour-adjective', 'adjective AND colour'),
  unit('combination', 'noun-not-animal', 'noun AND NOT animal'),
  unit('combination', 'emotion-or-body', 'emotion OR body'),
  unit('combination', 'adjective-or-adverb', 'adjective OR adverb'),
  unit('combination', 'family-or-person', 'family OR person'),
  unit('sequence', 'noun-after-adjective', 'after(noun, adjective)'),
  unit('sequence', 'noun-after-determiner', 'after(noun, determiner)'),
  unit('sequence', 'verb-after-pronoun', 'after(verb, pronoun)'),
  unit('sequence', 'animal-after-colour', 'after(animal, colour)'),
  unit('sequence', 'word-after-said', 'after(proper_noun, word("said"))'),
  unit('sequence', 'determiner-after-adposition', 'after(determiner, adposition)'),
  unit('noisy', 'noun', 'noun', { kind: 'gaussian', level: 0.1 }),
  unit('noisy', 'colour', 'colour', { kind: 'uniform', level: 0.2 }),
  unit('noisy', 'verb', 'verb', { kind: 'gaussian', level: 0.2 }),
  unit('noisy', 'sentence-start', 'sentence_start', { kind: 'gaussian', level: 0.1 }),
  unit('noisy', 'animal-or-colour', 'animal OR colour', { kind: 'gaussian', level: 0.15 }),
  unit('noisy', 'in-quotes', 'in_quotes', { kind: 'uniform', level: 0.3 }),
];
