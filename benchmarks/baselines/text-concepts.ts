import type { ModelRequest } from '../../agent/backbone.ts';
import { TEXT_CONCEPTS } from '../../stimuli/text/concepts.ts';
import type { TextExemplarsData } from '../../tools/text/text-exemplars.ts';
import { createRandom, hashString, pick } from '../../util/random.ts';

/**
 * The baselines on text subjects, which offer text tools instead of scene tools: a random token
 * concept, and the token concept most common among the top exemplars' firing tokens (the
 * exemplars-only reading: no statistics over the set, no formulas, no edits).
 */

/** Whether the request offers the text tools (the subject is a text subject). */
export function offersTextTools(request: ModelRequest): boolean {
  return request.tools.some((tool) => tool.name === 'text_exemplars');
}

export function randomTextConcept(taskId: string): string {
  return pick(createRandom(hashString(`random-baseline:${taskId}`)), [...TEXT_CONCEPTS]);
}

/** The concept most of the top exemplars' firing tokens share (ties: the rarer in the bottom ones, then by name). */
export function commonestTokenConcept(data: unknown): string | undefined {
  const exemplars = (data as Partial<TextExemplarsData> | undefined)?.exemplars;
  if (!Array.isArray(exemplars)) return undefined;
  const counts = new Map<string, number>();
  for (const e of exemplars)
    if (e.rank === 'top')
      for (const t of e.firing) for (const c of t.concepts ?? []) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}
