import { BEHAVIOUR_NAMES, BEHAVIOURS, type BehaviourName } from '../subjects/language-model/behaviours.ts';

/**
 * What a question asks about, decided once and shared by the loop's prompts and the backbones: one unit
 * (given, named in the question, or to be found from the subject), or a behaviour of the whole model
 * ("what makes this model answer in capitals?"), which is investigated with generations and triggers
 * instead of a unit's activations.
 */
export type InvestigationQuestion =
  | { kind: 'unit'; unit: string | undefined }
  | { kind: 'behaviour'; behaviour: BehaviourName };

export function classifyQuestion(question: string, unit?: string): InvestigationQuestion {
  const named = unit ?? unitInQuestion(question);
  if (named !== undefined) return { kind: 'unit', unit: named };
  const behaviour = BEHAVIOUR_NAMES.find((name) => BEHAVIOURS[name].mentions.test(question));
  return behaviour !== undefined ? { kind: 'behaviour', behaviour } : { kind: 'unit', unit: undefined };
}

/**
 * The unit a question names, written `site:index` ("what does final_conv:7 detect?",
 * "conv2d_94.tmp_0:5", "synthetic:0"). The first such token wins; none gives undefined.
 */
export function unitInQuestion(question: string): string | undefined {
  return /(?:^|[\s"'`(])([A-Za-z_][\w./-]*:\d+)(?=$|[\s"'`).,;:?!])/.exec(question)?.[1];
}
