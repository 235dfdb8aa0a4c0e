/**
 * What kind of question an investigation answers, decided in one place so every backbone (dissect's
 * planners, the prompts for language-model backbones) routes the same way. Add a kind with one entry
 * in QUESTION_KINDS and one rule in RULES; the compiler then asks every `Record<QuestionKind, …>` for it.
 *
 * - `unit`: about one unit (`site:index` given with --unit or named in the question) — the default;
 * - `model-reliance`: about what a whole model (or one of its classes) relies on: "what does class X
 *   rely on?", "does this model rely on a spurious feature?";
 * - `model-comparison`: about several models at once: "which of these two models is biased?".
 */

export const QUESTION_KINDS = ['unit', 'model-reliance', 'model-comparison'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** The unit a question names, written `site:index` ("what does final_conv:7 detect?"); the first wins. */
export function unitInQuestion(question: string): string | undefined {
  return /(?:^|[\s"'`(])([A-Za-z_][\w./-]*:\d+)(?=$|[\s"'`).,;:?!])/.exec(question)?.[1];
}

interface Rule {
  kind: Exclude<QuestionKind, 'unit'>;
  test: RegExp;
}

/** Tried in order: a comparison also mentions bias, so it comes first. */
const RULES: readonly Rule[] = [
  {
    kind: 'model-comparison',
    test: /\bwhich (?:one )?of (?:these|the|both|those)\b[^?]*\bmodels?\b|\bcompare\b/i,
  },
  {
    kind: 'model-reliance',
    test: /\brel(?:y|ies|ying|iance)\b|\bspurious\b|\bbias(?:ed)?\b|\bshortcut\b|\bdepends? on\b|\bwhat does (?:the )?class\b/i,
  },
];

/** The question's kind: a unit named (or given) makes it a unit question; else the first rule that matches. */
export function questionKind(question: string, options: { unit?: string | undefined } = {}): QuestionKind {
  if (options.unit !== undefined || unitInQuestion(question) !== undefined) return 'unit';
  return RULES.find((rule) => rule.test.test(question))?.kind ?? 'unit';
}
