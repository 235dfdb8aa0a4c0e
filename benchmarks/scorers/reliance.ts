import type { Task } from '../suite.ts';
import { noAnswer, type ScoredAnswer, type ScorerResult } from './types.ts';

/**
 * The reliance scorer, for questions about what a whole model relies on ("does this model rely on a
 * spurious feature, and which?", "what does class X rely on?"). It reads two things from the answer's
 * words, with no language model, so anyone can recompute it:
 *
 * - the verdict: does the answer say the model relies on a spurious feature? ("Yes…", "relies on …, a
 *   spurious feature", "is biased toward …" against "No…", "does not rely on a spurious feature");
 * - the feature: the first concept the answer says is relied on ("relies on the square"), a negated
 *   phrase ("does not rely on the square") skipped; names are read through FEATURE_NAMES.
 *
 * Score: the mean of the parts the truth states — the verdict (when truth.reliance.spurious is given)
 * and the feature — each 1 or 0. Chance: a coin for the verdict and a uniform draw among the
 * annotated concepts for the feature (0.5 each with two concepts).
 */

/** Words an answer may use for each annotated concept (lowercase). */
export const FEATURE_NAMES: Record<string, readonly string[]> = {
  square: ['square', 'coloured square', 'colored square', 'patch', 'corner square', 'marker', 'corner patch'],
  garment: ['garment', 'clothing', 'clothes', 'garment shape', 'item of clothing', 'object'],
};

/** Whether the answer says the model relies on a spurious feature; undefined when it says neither. */
export function answerVerdict(text: string): boolean | undefined {
  const t = text.toLowerCase();
  if (/^\s*no\b/.test(t)) return false;
  // A negated verb of reliance, or a negated "spurious": "does not rely", "isn't biased", "nothing spurious".
  if (
    /\b(?:does not|doesn't|do not|don't|did not|didn't|is not|isn't|never)\s+(?:\w+\s+){0,2}(?:rel(?:y|ies|ying)|depend|biased|use)/.test(
      t,
    ) ||
    /\b(?:not|nothing|anything) (?:a |an |any )?spurious\b/.test(t)
  )
    return false;
  if (/\bno (?:evidence of (?:a )?)?spurious\b/.test(t)) return false;
  if (/^\s*yes\b/.test(t)) return true;
  if (
    /\bspurious (?:feature|cue|correlation|shortcut)\b|\bshortcut\b|\bbiased (?:toward|towards|by)\b/.test(t)
  )
    return true;
  return undefined;
}

function conceptOf(phrase: string): string | undefined {
  let best: { concept: string; at: number } | undefined;
  for (const [concept, names] of Object.entries(FEATURE_NAMES)) {
    for (const name of names) {
      const at = phrase.search(new RegExp(`\\b${name}\\b`));
      if (at >= 0 && (best === undefined || at < best.at)) best = { concept, at };
    }
  }
  return best?.concept;
}

/** The concept the answer says is relied on: the first non-negated "relies on X" (or "biased toward X"). */
export function answerFeature(text: string): string | undefined {
  const t = text.toLowerCase();
  const pattern =
    /\b(?:rel(?:y|ies|ying)|depends?|depending|biased)\s+(?:\w+ly\s+)?(?:on|upon|toward|towards)\s+([^.;:,()]{1,60})/g;
  for (const match of t.matchAll(pattern)) {
    const before = t.slice(Math.max(0, (match.index ?? 0) - 20), match.index ?? 0);
    if (/\b(?:not|n't|never)\s+(?:\w+\s+)?$/.test(before)) continue;
    const concept = conceptOf(match[1] ?? '');
    if (concept) return concept;
  }
  return undefined;
}

export function scoreReliance(task: Task, answer: ScoredAnswer | undefined): ScorerResult {
  const truth = task.truth.reliance;
  const parts = truth?.spurious === undefined ? 1 : 2;
  const chance = 0.5;
  if (!truth) return { score: 0, chance, detail: 'the task has no truth.reliance' };
  if (!answer) return noAnswer(chance);
  const feature = answerFeature(answer.description);
  const featureRight = feature === truth.feature ? 1 : 0;
  const verdict = answerVerdict(answer.description);
  const verdictRight = truth.spurious === undefined ? 0 : verdict === truth.spurious ? 1 : 0;
  const score = (featureRight + verdictRight) / parts;
  const said = `feature ${feature ?? 'none named'} (truth ${truth.feature})`;
  const verdictText =
    truth.spurious === undefined
      ? ''
      : `; verdict ${verdict === undefined ? 'none' : verdict ? 'spurious' : 'not spurious'} (truth ${truth.spurious ? 'spurious' : 'not spurious'})`;
  return {
    score,
    chance,
    detail: `${said}${verdictText}`,
    metrics: { feature: featureRight, ...(truth.spurious === undefined ? {} : { verdict: verdictRight }) },
  };
}
