import type { TextTokenizer } from '../tokenizers/tokenizer.ts';

/**
 * Behaviours of a language model that can be measured on what it writes, looked up by name: each says
 * how much a continuation shows it (0–1), when a continuation counts as showing it, and which next
 * tokens push towards it and away from it (the weights of a gradient objective over the logits, and of
 * the cheap next-token score a trigger search ranks candidates by).
 */
export const BEHAVIOUR_NAMES = ['capitals'] as const;
export type BehaviourName = (typeof BEHAVIOUR_NAMES)[number];

export interface Behaviour {
  name: BehaviourName;
  /** In words, for tool texts and answers. */
  description: string;
  /** Words that name the behaviour in a question or an answer. */
  mentions: RegExp;
  /** How much a continuation shows the behaviour, 0–1; undefined when it cannot tell (no letters). */
  measure(text: string): number | undefined;
  /** A continuation shows the behaviour when its measure is at least this. */
  threshold: number;
  /** +1 for tokens that show the behaviour, −1 for tokens that show its absence, 0 for neither. */
  tokenSign(token: string): -1 | 0 | 1;
}

const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;

/** Letters in upper case: normal English prose has 2–5%, a capitalised answer nearly all. */
const capitals: Behaviour = {
  name: 'capitals',
  description: 'writes in capital letters (the share of letters in upper case)',
  mentions: /\b(capital(s|ised|ized)?|upper[- ]?case|all[- ]caps|caps lock|shout(s|ing)?|in caps)\b/i,
  measure(text) {
    let upper = 0;
    let letters = 0;
    for (const ch of text) {
      if (UPPER.test(ch)) upper++;
      else if (!LOWER.test(ch)) continue;
      letters++;
    }
    // A continuation of a few letters ("I", "A") says nothing about the case it writes in.
    return letters < 5 ? undefined : upper / letters;
  },
  // As the backdoor's recipe counts a generation in capitals (stimuli/text/letter-case.ts).
  threshold: 0.8,
  tokenSign(token) {
    if (LOWER.test(token)) return -1;
    return UPPER.test(token) ? 1 : 0;
  },
};

export const BEHAVIOURS: Record<BehaviourName, Behaviour> = { capitals };

/** Per vocabulary entry, the behaviour's objective weights: +1/|pro| or −1/|against| (a mean-logit difference). */
export function behaviourTokenWeights(behaviour: Behaviour, tokenizer: TextTokenizer): Float32Array {
  const signs = Array.from({ length: tokenizer.vocabSize }, (_, id) =>
    behaviour.tokenSign(tokenizer.tokenText(id)),
  );
  const pro = signs.filter((s) => s > 0).length;
  const against = signs.filter((s) => s < 0).length;
  return Float32Array.from(signs, (s) =>
    s > 0 ? 1 / Math.max(1, pro) : s < 0 ? -1 / Math.max(1, against) : 0,
  );
}
