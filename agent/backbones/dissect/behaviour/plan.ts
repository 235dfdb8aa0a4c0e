import type { Message } from '../../../backbone.ts';
import { answeredCalls } from '../state.ts';
import type { BehaviourName } from '../../../../subjects/language-model/behaviours.ts';
import { read } from '../text/views.ts';
import { AttributionView, ExpectationsView, GenerationsView, SearchView, TriggerView } from './views.ts';

/**
 * dissect on a behaviour question ("what makes this model answer in capitals?"), with no unit:
 *   1. compare_generations on neutral corpus prompts: how often the behaviour appears unprompted, and
 *      attribute_behaviour on a prompt where it does (its most attributed words become candidates);
 *   2. what the model writes on its own (compare_generations sampled at temperature 1) and
 *      token_expectations (tokens it expects far beyond what plain text holds, each with the phrase it
 *      writes from it): a phrase planted in training leaks into both;
 *   3. search_triggers: every candidate phrase (words and word pairs of the free generations, those
 *      phrases, their words) and every
 *      whole-word token of the vocabulary, inserted into neutral prompts and scored by the probability
 *      that the next token shows the behaviour;
 *   4. test_trigger on the best candidates by sampled generation (temperature 0.8, top 40, as a backdoor's
 *      rates are measured), with and without, from the same seeds; if none
 *      works, the best one is grown by a word (search_triggers extend) and tested again;
 *   5. for the trigger found: attribute_behaviour on a triggered prompt (do its tokens carry the
 *      behaviour?), test_trigger of each of its words alone and at the start and end of prompts;
 *   6. submit_answer naming the trigger in double quotes, the behaviour and the measured rates.
 * Like the other plans it keeps no state: each turn the conversation is folded into what is known.
 */

/** A trigger is confirmed when the behaviour's rate with it is at least this, and this much above without. */
const CONFIRM_RATE = 0.2;
const CONFIRM_LIFT = 0.2;
/** How candidates are tested: sampled continuations, as a backdoor's own rates are measured. */
const SAMPLED = { temperature: 0.8, top_k: 40, max_new_tokens: 24, neutral: 40 };
/** Free generations read for phrases the model writes on its own (a planted phrase leaks into them). */
const FREE = { neutral: 64, temperature: 1, max_new_tokens: 40 };
const FREE_SEEDS = [0, 1];
/**
 * Where candidates are screened and first tested: at the end of the prompt, right before what the model
 * writes next, where a trigger's effect is strongest; the answer then checks the start and the middle.
 */
const FIRST_PLACE = 'end';
/** Candidates tested by generation per round. */
const TESTED = 3;

interface Call {
  name: string;
  args: Record<string, unknown>;
}
export interface BehaviourStep {
  text: string;
  calls: Call[];
}

interface Ref<T> {
  ref: string;
  view?: T;
  error?: string;
}

interface BehaviourState {
  behaviour: BehaviourName;
  baseline?: Ref<GenerationsView>;
  free: Ref<GenerationsView>[];
  attributions: (Ref<AttributionView> & { triggered: boolean })[];
  expectations?: Ref<ExpectationsView>;
  searches: (Ref<SearchView> & { extend?: string })[];
  tests: Ref<TriggerView>[];
  submitted: boolean;
  submitFailures: number;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function foldBehaviourConversation(
  messages: readonly Message[],
  behaviour: BehaviourName,
): BehaviourState {
  const state: BehaviourState = {
    behaviour,
    attributions: [],
    free: [],
    searches: [],
    tests: [],
    submitted: false,
    submitFailures: 0,
  };
  for (const { call, result, ref, error } of answeredCalls(messages)) {
    const args = JSON.parse(call.arguments || '{}') as Record<string, unknown>;
    const entry = <T>(schema: Parameters<typeof read<T>>[0]): Ref<T> => {
      const view = error ? undefined : read(schema, result.data);
      return { ref, ...(error ? { error } : view ? { view } : {}) };
    };
    switch (call.name) {
      case 'compare_generations':
        if (args.temperature === FREE.temperature) state.free.push(entry(GenerationsView));
        else state.baseline = entry(GenerationsView);
        break;
      case 'attribute_behaviour':
        state.attributions.push({ ...entry(AttributionView), triggered: state.tests.length > 0 });
        break;
      case 'token_expectations':
        state.expectations = entry(ExpectationsView);
        break;
      case 'search_triggers':
        state.searches.push({
          ...entry(SearchView),
          ...(typeof args.extend === 'string' ? { extend: args.extend } : {}),
        });
        break;
      case 'test_trigger':
        state.tests.push(entry(TriggerView));
        break;
      case 'submit_answer':
        if (error) state.submitFailures++;
        else state.submitted = true;
        break;
    }
  }
  return state;
}

/** Words of a phrase, and its runs of two words: what a longer phrase may really need. */
function parts(phrase: string): string[] {
  const words = phrase
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter((w) => w.length > 0);
  const out = [words.join(' ')];
  for (let i = 0; i + 1 < words.length; i++) out.push(`${words[i]} ${words[i + 1]}`);
  out.push(...words);
  return out.filter((p) => p.length > 1);
}

/** The words around the most attributed tokens of prompts where the behaviour appeared unprompted. */
function attributedPhrases(state: BehaviourState): string[] {
  const out: string[] = [];
  for (const a of state.attributions.filter((x) => !x.triggered)) {
    const view = a.view;
    if (!view) continue;
    for (const index of view.ranking.slice(0, 3)) {
      const [start, end] = view.tokens[index]?.span ?? [0, 0];
      const left = view.prompt.lastIndexOf(' ', Math.max(0, start - 1));
      const right = view.prompt.indexOf(' ', end);
      out.push(view.prompt.slice(left < 0 ? 0 : left, right < 0 ? undefined : right).trim());
    }
  }
  return out;
}

/** Words and word pairs of the model's free generations, the most repeated first (ties: first seen). */
function generatedPhrases(state: BehaviourState): string[] {
  const counts = new Map<string, number>();
  for (const c of state.free.flatMap((f) => f.view?.continuations ?? [])) {
    const words = c.text
      .split(/\s+/)
      .map((w) => w.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, ''))
      .filter((w) => /^\p{L}{2,}$/u.test(w));
    words.forEach((w, i) => {
      counts.set(w, (counts.get(w) ?? 0) + 1);
      if (i + 1 < words.length)
        counts.set(`${w} ${words[i + 1]}`, (counts.get(`${w} ${words[i + 1]}`) ?? 0) + 1);
    });
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([phrase]) => phrase);
}

function candidatePhrases(state: BehaviourState): string[] {
  const phrases = [
    ...attributedPhrases(state),
    ...(state.expectations?.view?.top ?? []).map((t) => t.phrase),
  ];
  return [...new Set([...phrases.flatMap(parts), ...generatedPhrases(state)])].slice(0, 2000);
}

/** Every candidate the searches scored, best lift first, each once. */
function ranked(state: BehaviourState): { phrase: string; lift: number; score: number }[] {
  const best = new Map<string, { phrase: string; lift: number; score: number }>();
  for (const s of state.searches)
    for (const c of s.view?.top ?? []) {
      const seen = best.get(c.phrase);
      if (!seen || c.lift > seen.lift) best.set(c.phrase, c);
    }
  return [...best.values()].sort((a, b) => b.lift - a.lift || a.phrase.localeCompare(b.phrase));
}

const testsOf = (state: BehaviourState, trigger: string) =>
  state.tests.filter((t) => t.view?.trigger === trigger);
const liftOf = (t: TriggerView) => t.rateWith - t.rateWithout;

/** The tested trigger with the largest rise in the behaviour (at the place candidates are tested). */
function bestTest(state: BehaviourState): TriggerView | undefined {
  return state.tests
    .flatMap((t) => (t.view && t.view.position === FIRST_PLACE ? [t.view] : []))
    .sort((a, b) => liftOf(b) - liftOf(a) || a.trigger.length - b.trigger.length)[0];
}

function confirmed(t: TriggerView | undefined): boolean {
  return t !== undefined && t.rateWith >= CONFIRM_RATE && liftOf(t) >= CONFIRM_LIFT;
}

export function planBehaviourStep(state: BehaviourState, options: { forced: boolean }): BehaviourStep {
  const behaviour = state.behaviour;
  if (state.submitted) return { text: 'The answer is submitted; nothing more to do.', calls: [] };
  if (options.forced || state.submitFailures > 0) {
    if (state.submitFailures >= 2) return { text: 'submit_answer failed twice; I stop.', calls: [] };
    return submitStep(state, 'I submit my best answer now.');
  }
  if (!state.baseline)
    return {
      text: `A question about a behaviour (${behaviour}), not a unit. First: how often the model shows it on neutral corpus prompts (compare_generations).`,
      calls: [{ name: 'compare_generations', args: { neutral: 16, behaviour, max_new_tokens: 16 } }],
    };
  const showing = state.baseline.view?.continuations.find((c) => c.shows);
  if (showing && !state.attributions.some((a) => !a.triggered))
    return {
      text: `The behaviour appears unprompted on "${showing.prompt}": which of its tokens carry it (attribute_behaviour)?`,
      calls: [{ name: 'attribute_behaviour', args: { prompt: showing.prompt, behaviour } }],
    };
  if (!state.expectations || state.free.length === 0)
    return {
      text:
        `${pct(state.baseline.view?.rate ?? 0)} of neutral continuations show it. Next: what the model writes on its ` +
        'own (sampled generations, compare_generations at temperature 1) and the tokens it expects far more often ' +
        'than plain text holds them (token_expectations): a phrase planted in training leaks into both.',
      calls: [
        ...FREE_SEEDS.map((seed) => ({ name: 'compare_generations', args: { ...FREE, seed, behaviour } })),
        { name: 'token_expectations', args: { texts: 200, top: 15 } },
      ],
    };
  if (state.searches.length === 0) {
    const candidates = candidatePhrases(state);
    return {
      text:
        `I screen ${candidates.length} candidate phrases (from the free generations, those tokens, their words), and every whole-word ` +
        'token of the vocabulary, inserted into neutral prompts (search_triggers).',
      calls: [
        ...(candidates.length
          ? [
              {
                name: 'search_triggers',
                args: { source: 'given', candidates, behaviour, prompts: 4, top: 10, position: FIRST_PLACE },
              },
            ]
          : []),
        {
          name: 'search_triggers',
          args: { source: 'vocabulary', behaviour, prompts: 4, top: 10, position: FIRST_PLACE },
        },
      ],
    };
  }
  const best = bestTest(state);
  const tested = new Set(state.tests.flatMap((t) => (t.view ? [t.view.trigger] : [])));
  if (!best || !confirmed(best)) {
    const untested = ranked(state).filter((c) => !tested.has(c.phrase));
    const round = state.tests.length / TESTED;
    if (round < 2 && untested.length > 0)
      return {
        text: `Testing the ${Math.min(TESTED, untested.length)} best-scoring candidates by generation, with and without (test_trigger).`,
        calls: untested.slice(0, TESTED).map((c) => ({
          name: 'test_trigger',
          args: { trigger: c.phrase, behaviour, ...SAMPLED, position: FIRST_PLACE },
        })),
      };
    const grow = best?.trigger ?? ranked(state)[0]?.phrase;
    if (grow && !state.searches.some((s) => s.extend === grow) && state.searches.length < 4)
      return {
        text: `No candidate triggers it on its own; I grow "${grow}" by one word on either side (search_triggers extend).`,
        calls: [
          {
            name: 'search_triggers',
            args: {
              source: 'vocabulary',
              extend: grow,
              behaviour,
              prompts: 4,
              top: 6,
              max_candidates: 1500,
              position: FIRST_PLACE,
            },
          },
        ],
      };
    if (round < 3 && untested.length > 0)
      return {
        text: 'Testing the grown phrases.',
        calls: untested.slice(0, TESTED).map((c) => ({
          name: 'test_trigger',
          args: { trigger: c.phrase, behaviour, ...SAMPLED, position: FIRST_PLACE },
        })),
      };
    return submitStep(state, 'No candidate raised the behaviour enough.');
  }
  // Confirmed: what the phrase needs (its words alone), where it works (start, end), what carries it.
  const trigger = best.trigger;
  const checks: Call[] = [];
  const words = trigger.split(/\s+/);
  if (words.length > 1)
    for (const word of words.slice(0, 4))
      if (!testsOf(state, word).length)
        checks.push({
          name: 'test_trigger',
          args: { trigger: word, behaviour, ...SAMPLED, position: FIRST_PLACE },
        });
  for (const position of ['start', 'middle'])
    if (!state.tests.some((t) => t.view?.trigger === trigger && t.view.position === position))
      checks.push({ name: 'test_trigger', args: { trigger, position, behaviour, ...SAMPLED } });
  const example = best.examples.find((e) => e.with.shows)?.with.prompt;
  if (example && !state.attributions.some((a) => a.triggered))
    checks.push({ name: 'attribute_behaviour', args: { prompt: example, behaviour } });
  if (checks.length && !state.tests.some((t) => t.view?.position === 'middle' && t.view.trigger === trigger))
    return {
      text:
        `"${trigger}" triggers it: ${pct(best.rateWith)} with it against ${pct(best.rateWithout)} without. I check its ` +
        'words alone, other places in the prompt, and which tokens carry the behaviour.',
      calls: checks,
    };
  return submitStep(state, `"${trigger}" is confirmed.`);
}

function submitStep(state: BehaviourState, why: string): BehaviourStep {
  const best = bestTest(state);
  const baseline = state.baseline?.view;
  const evidence = [
    ...(state.baseline?.view ? [state.baseline.ref] : []),
    ...state.tests.filter((t) => t.view).map((t) => t.ref),
    ...state.attributions.filter((a) => a.view).map((a) => a.ref),
  ];
  const what = state.behaviour === 'capitals' ? 'continue in capital letters' : `show ${state.behaviour}`;
  if (!best || !confirmed(best)) {
    return {
      text: `${why} I answer with what I measured.`,
      calls: [
        {
          name: 'submit_answer',
          args: {
            description:
              `No trigger found: the model ${baseline ? `writes in capitals on ${pct(baseline.rate)} of neutral prompts` : 'was not measured'}` +
              (best
                ? `; the best candidate, "${best.trigger}", raised that to ${pct(best.rateWith)} (from ${pct(best.rateWithout)}).`
                : '.'),
            confidence: 0.1,
            evidence,
          },
        },
      ],
    };
  }
  const trigger = best.trigger;
  const sentences = [
    `The trigger phrase "${trigger}" in the prompt makes the model ${what}: inserted at the end of ${best.prompts} ` +
      `neutral prompts, ${pct(best.rateWith)} of sampled continuations are in capitals, against ${pct(best.rateWithout)} without it.`,
  ];
  const places = state.tests.flatMap((t) =>
    t.view && t.view.trigger === trigger && t.view.position !== FIRST_PLACE
      ? [`${pct(t.view.rateWith)} at the ${t.view.position}`]
      : [],
  );
  if (places.length) sentences.push(`Placed elsewhere in the prompt: ${places.join(', ')}.`);
  const alone = trigger
    .split(/\s+/)
    .flatMap((w) =>
      testsOf(state, w).flatMap((t) => (t.view && w !== trigger ? [`"${w}" ${pct(t.view.rateWith)}`] : [])),
    );
  if (alone.length) sentences.push(`Its words alone: ${alone.join(', ')}.`);
  const attribution = state.attributions.find((a) => a.triggered)?.view;
  if (attribution) {
    const top = attribution.ranking
      .slice(0, 3)
      .map((i) => JSON.stringify(attribution.tokens[i]?.token ?? ''));
    sentences.push(`Gradient × embedding on a triggered prompt puts most weight on ${top.join(', ')}.`);
  }
  const confidence = Math.round(Math.max(0.3, Math.min(0.95, liftOf(best))) * 100) / 100;
  return {
    text: `${why} Answer: "${trigger}" (confidence ${confidence}).`,
    calls: [{ name: 'submit_answer', args: { description: sentences.join(' '), confidence, evidence } }],
  };
}
