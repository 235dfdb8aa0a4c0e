import { BEHAVIOUR_NAMES, BEHAVIOURS, type BehaviourName } from '../subjects/language-model/behaviours.ts';

/**
 * What a question asks about, decided once and shared by the loop's prompts, the backbones and the
 * suites: one unit (given, named in the question, or to be found from the subject); a behaviour of a
 * whole language model ("what makes this model answer in capitals?"), investigated with generations
 * and triggers; what a whole model (or one of its classes) relies on ("does this model rely on a
 * spurious feature?"); or several models at once ("which of these two models is biased?"). Add a kind
 * with one member below and one rule; the compiler then asks every `Record<QuestionKind, …>` for it.
 */
export type InvestigationQuestion =
  | { kind: 'unit'; unit: string | undefined }
  | { kind: 'behaviour'; behaviour: BehaviourName }
  | { kind: 'model-reliance' }
  | { kind: 'model-comparison' };

export type QuestionKind = InvestigationQuestion['kind'];

/** Questions about a whole vision model, tried in order: a comparison also mentions bias, so it comes first. */
const MODEL_RULES: readonly { kind: 'model-reliance' | 'model-comparison'; test: RegExp }[] = [
  {
    kind: 'model-comparison',
    test: /\bwhich (?:one )?of (?:these|the|both|those)\b[^?]*\bmodels?\b|\bcompare\b/i,
  },
  {
    kind: 'model-reliance',
    test: /\brel(?:y|ies|ying|iance)\b|\bspurious\b|\bbias(?:ed)?\b|\bshortcut\b|\bdepends? on\b|\bwhat does (?:the )?class\b/i,
  },
];

/** A unit named (or given) makes a unit question; else a behaviour named, then the model rules; else a unit to find. */
export function classifyQuestion(question: string, unit?: string): InvestigationQuestion {
  const named = unit ?? unitInQuestion(question);
  if (named !== undefined) return { kind: 'unit', unit: named };
  const behaviour = BEHAVIOUR_NAMES.find((name) => BEHAVIOURS[name].mentions.test(question));
  if (behaviour !== undefined) return { kind: 'behaviour', behaviour };
  const rule = MODEL_RULES.find((r) => r.test.test(question));
  return rule !== undefined ? { kind: rule.kind } : { kind: 'unit', unit: undefined };
}

/** The kind alone (see classifyQuestion). */
export function questionKind(question: string, options: { unit?: string | undefined } = {}): QuestionKind {
  return classifyQuestion(question, options.unit).kind;
}

/**
 * The unit a question names, written `site:index` ("what does final_conv:7 detect?",
 * "conv2d_94.tmp_0:5", "synthetic:0"). The first such token wins; none gives undefined.
 */
export function unitInQuestion(question: string): string | undefined {
  return /(?:^|[\s"'`(])([A-Za-z_][\w./-]*:\d+)(?=$|[\s"'`).,;:?!])/.exec(question)?.[1];
}
