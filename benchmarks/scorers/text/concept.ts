import { TEXT_CONCEPTS } from '../../../stimuli/text/concepts.ts';
import { textFormulaTerms, parseTextFormula } from '../../../subjects/synthetic-text/index.ts';
import type { Task } from '../../suite.ts';
import { noAnswer, type ScoredAnswer, type ScorerResult } from '../types.ts';

/**
 * Concept match on text: does the answer name what the unit reads? Each truth concept (a token
 * concept, or `word:<w>`) earns 1 when the description names it — by its own name or a common
 * synonym (colour/color, proper noun/name, in_quotes/quoted …) — or the answer's formula uses it;
 * the score is the mean. Chance: the mean score of naming one token concept drawn uniformly.
 */
const SYNONYMS: Record<string, RegExp> = {
  noun: /(?<!proper[ _])\bnouns?\b/,
  verb: /\bverbs?\b/,
  adjective: /\badjectives?\b/,
  adverb: /\badverbs?\b/,
  proper_noun: /\bproper[ _]nouns?\b|\bnames?\b/,
  pronoun: /\bpronouns?\b/,
  determiner: /\bdeterminers?\b|\barticles?\b/,
  adposition: /\badpositions?\b|\bprepositions?\b/,
  conjunction: /\bconjunctions?\b/,
  auxiliary: /\bauxiliar(y|ies)\b/,
  numeral: /\bnumerals?\b|\bdigits?\b/,
  particle: /\bparticles?\b/,
  interjection: /\binterjections?\b/,
  punctuation: /\bpunctuation\b/,
  symbol: /\bsymbols?\b/,
  colour: /\bcolou?rs?\b/,
  animal: /\banimals?\b/,
  number: /\bnumbers?\b|\bnumerals?\b/,
  place: /\bplaces?\b|\blocations?\b/,
  person: /\bpersons?\b|\bpeople\b|\bnames?\b/,
  emotion: /\bemotions?\b|\bfeelings?\b/,
  body: /\bbody\b|\bbody parts?\b/,
  time: /\btimes?\b|\bdays?\b|\bmonths?\b/,
  food: /\bfoods?\b/,
  family: /\bfamily\b|\brelatives?\b|\bkin\b/,
  sentence_start:
    /\bsentence[ _]start\b|\bstart of (a|the) sentence\b|\bfirst word\b|\bbeginning of (a|the) sentence\b/,
  capitalised: /\bcapitali[sz]ed\b|\bcapital\b|\buppercase\b/,
  in_quotes: /\bin[ _]quotes\b|\bquot(es|ed|ation)\b/,
  in_brackets: /\bin[ _]brackets\b|\bbrackets?\b|\bparenthes[ie]s\b|\bbrackets\b/,
  repeated: /\brepeated\b|\brepeats?\b|\bearlier\b|\bagain\b/,
};

function named(concept: string, description: string, formulaTerms: readonly string[]): boolean {
  if (formulaTerms.includes(concept)) return true;
  const text = description.toLowerCase();
  if (concept.startsWith('word:')) return new RegExp(`["'“‘]${concept.slice(5)}["'”’]`).test(text);
  return (SYNONYMS[concept] ?? new RegExp(`\\b${concept.replace(/_/g, '[ _]')}\\b`)).test(text);
}

/** The mean score of an answer naming one token concept drawn uniformly (the chance floor). */
export function textConceptChance(truth: readonly string[]): number {
  let total = 0;
  for (const guess of TEXT_CONCEPTS)
    total += truth.filter((c) => named(c, guess.replace(/_/g, ' '), [guess])).length / truth.length;
  return total / TEXT_CONCEPTS.length;
}

export function scoreTextConcepts(task: Task, answer: ScoredAnswer | undefined): ScorerResult {
  const truth = task.truth.concepts ?? [];
  const chance = textConceptChance(truth);
  if (!answer) return noAnswer(chance);
  let terms: string[] = [];
  try {
    if (answer.formula) terms = textFormulaTerms(parseTextFormula(answer.formula));
  } catch {
    terms = [];
  }
  const hits = truth.filter((c) => named(c, answer.description, terms));
  const missing = truth.filter((c) => !hits.includes(c));
  return {
    score: truth.length ? hits.length / truth.length : 0,
    chance,
    detail: `named ${hits.join(', ') || 'none'}${missing.length ? `; missing ${missing.join(', ')}` : ''}`,
  };
}
