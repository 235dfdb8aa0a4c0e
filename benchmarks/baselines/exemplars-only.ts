import type { Backbone, ModelRequest, ModelResponse } from '../../agent/backbone.ts';
import { ancestors } from '../../stimuli/vocabulary.ts';
import type { DatasetExemplarsData, Exemplar } from '../../tools/vision/dataset-exemplars.ts';
import { randomConcept } from './concepts.ts';
import { callTool, evidenceId, lastResult } from './conversation.ts';
import { submitConcept } from './submit.ts';
import { commonestTokenConcept, offersTextTools, randomTextConcept } from './text-concepts.ts';

/**
 * The `exemplars-only` baseline, after MILAN (Hernandez et al. 2022): one look at the unit's most
 * activating probe-set scenes, then an answer naming the single concept their annotations share most;
 * no other experiments. What an agent gains over it is what its experiments are worth.
 */

/** Top exemplars looked at (the tool's maximum) and bottom ones kept as contrast. */
const TOP = 12;
const BOTTOM = 6;

export class ExemplarsOnlyBackbone implements Backbone {
  readonly name = 'exemplars-only';
  readonly model = 'exemplars-only';

  constructor(private readonly task: { id: string; unit?: string }) {}

  async next(request: ModelRequest): Promise<ModelResponse> {
    const { unit } = this.task;
    const forced = typeof request.toolChoice === 'object';
    if (offersTextTools(request)) return this.onText(request, forced);
    const looked = lastResult(request.messages, 'dataset_exemplars');
    if (unit !== undefined && looked === undefined && !forced)
      return callTool(
        this,
        request,
        'dataset_exemplars',
        { unit, k: TOP, bottom: BOTTOM },
        `Looking once at the exemplars of ${unit}.`,
      );
    const data = looked && !looked.isError ? exemplarsData(looked.data) : undefined;
    const concept = data ? commonestConcept(data.exemplars) : undefined;
    if (looked && concept !== undefined) {
      const ref = evidenceId(looked);
      return submitConcept(
        this,
        request,
        concept,
        unit,
        ref !== undefined ? [ref] : [],
        'the exemplars’ commonest concept',
      );
    }
    // No unit to look at, or nothing to read in the exemplars: all that is left is a guess.
    return submitConcept(
      this,
      request,
      randomConcept(this.task.id),
      unit,
      [],
      'a random concept (no exemplars)',
    );
  }

  /** On a text subject: one look at text_exemplars, then the firing tokens' commonest concept. */
  private onText(request: ModelRequest, forced: boolean): ModelResponse {
    const { unit } = this.task;
    const looked = lastResult(request.messages, 'text_exemplars');
    if (unit !== undefined && looked === undefined && !forced)
      return callTool(
        this,
        request,
        'text_exemplars',
        { unit, k: TOP, bottom: BOTTOM, image: false },
        `Looking once at the exemplars of ${unit}.`,
      );
    const concept = looked && !looked.isError ? commonestTokenConcept(looked.data) : undefined;
    const ref = looked ? evidenceId(looked) : undefined;
    return concept !== undefined
      ? submitConcept(
          this,
          request,
          concept,
          unit,
          ref !== undefined ? [ref] : [],
          'the firing tokens’ commonest concept',
        )
      : submitConcept(
          this,
          request,
          randomTextConcept(this.task.id),
          unit,
          [],
          'a random concept (no exemplars)',
        );
  }
}

function exemplarsData(data: unknown): DatasetExemplarsData | undefined {
  if (
    typeof data !== 'object' ||
    data === null ||
    !Array.isArray((data as { exemplars?: unknown }).exemplars)
  )
    return undefined;
  return data as DatasetExemplarsData;
}

/** Top exemplars below this share of the strongest one are not firing: they say nothing of the unit. */
const FIRING_SHARE = 0.5;
/** A concept this close to the most distinctive one still counts as describing the exemplars. */
const TOLERANCE = 0.25;

/**
 * The concept the top exemplars share, read the way MILAN reads its exemplars but with our
 * vocabulary's hierarchy: each annotated concept also counts for its ancestors ('parrot' is a 'bird'),
 * so a unit for a category is not lost among its members.
 *
 * Only the top exemplars where the unit really fires are read (at least half the strongest activation:
 * a unit that fires on 5 scenes has 7 more "top" scenes at zero). A concept's distinctiveness is its
 * share of those minus its share of the bottom scenes, so what every scene has ('colour') ranks low.
 * Of the concepts nearly as distinctive as the best, the most specific wins ('dog' over 'mammal' when
 * nearly every exemplar shows a dog; 'vehicle' when half show trucks and half trains), then the more
 * distinctive, the one the unit fires on more often, and the name, so the choice never depends on
 * iteration order.
 */
export function commonestConcept(exemplars: readonly Exemplar[]): string | undefined {
  const allTop = exemplars.filter((e) => e.rank === 'top');
  const strongest = Math.max(0, ...allTop.map((e) => e.activation));
  const top = strongest > 0 ? allTop.filter((e) => e.activation >= FIRING_SHARE * strongest) : allTop;
  const bottom = exemplars.filter((e) => e.rank === 'bottom');
  const tally = new Map<string, { top: number; fires: number; bottom: number }>();
  const entry = (concept: string) => {
    let found = tally.get(concept);
    if (!found) tally.set(concept, (found = { top: 0, fires: 0, bottom: 0 }));
    return found;
  };
  for (const exemplar of top) {
    const fires = withAncestors(exemplar.firesOn.map((c) => c.concept));
    for (const concept of withAncestors([...exemplar.concepts.map((c) => c.concept), ...fires])) {
      const counts = entry(concept);
      counts.top++;
      if (fires.has(concept)) counts.fires++;
    }
  }
  for (const exemplar of bottom)
    for (const concept of withAncestors(exemplar.concepts.map((c) => c.concept)))
      if (tally.has(concept)) entry(concept).bottom++;

  const share = (n: number, of: number) => (of === 0 ? 0 : n / of);
  const contrast = new Map(
    [...tally].map(([concept, c]) => [concept, share(c.top, top.length) - share(c.bottom, bottom.length)]),
  );
  const best = Math.max(...contrast.values());
  const near = [...contrast].filter(([, value]) => value >= best - TOLERANCE).map(([concept]) => concept);
  const implied = new Set(near.flatMap((concept) => ancestors(concept)));
  const ranked = near
    .filter((concept) => !implied.has(concept))
    .sort(
      (a, b) =>
        (contrast.get(b) ?? 0) - (contrast.get(a) ?? 0) ||
        (tally.get(b)?.fires ?? 0) - (tally.get(a)?.fires ?? 0) ||
        ancestors(b).length - ancestors(a).length ||
        a.localeCompare(b),
    );
  return ranked[0];
}

function withAncestors(concepts: readonly string[]): Set<string> {
  return new Set(concepts.flatMap((concept) => [concept, ...ancestors(concept)]));
}
