/** Texts: the Brown corpus, generated stories, token annotations, text sets and exact edits. */
export { AnnotatedText, TextToken, TextSource } from './types.ts';
export { annotateText, type AnnotateOptions } from './annotate.ts';
export { CONCEPT_KINDS, TEXT_CONCEPTS, isTextConcept, POS_CONCEPTS, STRUCTURE_CONCEPTS } from './concepts.ts';
export {
  LEXICON,
  LEXICAL_CATEGORIES,
  categoryWords,
  lexicalCategories,
  type LexicalCategory,
} from './lexicon.ts';
export { generateStory, type Story, type StorySlot } from './stories.ts';
export {
  brownDocumentNames,
  brownDocuments,
  readBrownDocument,
  brownText,
  TEXT_SPLITS,
  type TextSplit,
} from './brown.ts';
export { universalTags } from './brown-tags.ts';
export {
  makeTextSet,
  textSetKey,
  brownPassage,
  TextSetSpec,
  TEXT_SET_VERSION,
  type TextSet,
} from './textset.ts';
export { TextEdit, applyTextEdit } from './edits.ts';
