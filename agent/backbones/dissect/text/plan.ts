import type { Message } from '../../../backbone.ts';
import { answeredCalls } from '../state.ts';
import {
  describeTextFormula,
  evaluateTextFormula,
  parseTextFormula,
} from '../../../../subjects/synthetic-text/index.ts';
import { LEXICAL_CATEGORIES } from '../../../../stimuli/text/lexicon.ts';
import {
  DescribeView,
  HypothesisIdView,
  read,
  TextEditsView,
  TextExemplarsView,
  TextSearchView,
  TextStatsView,
} from './views.ts';

/**
 * dissect on text: the same loop as on scenes, over tokens.
 *   1. (no unit given) describe_subject, and take the subject's only unit;
 *   2. text_exemplars — the held-out texts that drive the unit most, firing tokens and their concepts;
 *   3. concept_stats — every token concept scored against the unit (r, IoU);
 *   4. formula_search — compositional formulas seeded with the best concepts and the firing tokens'
 *      concepts, ranked by r over held-out tokens;
 *   5. for the best untested formula: record_hypothesis (proposed); edit_texts on the top exemplars
 *      (delete the firing token, swap it for another lexical category, delete the token before it,
 *      insert a word before it, delete a token that does not fire) — the formula, evaluated on each
 *      edited text's fresh annotation, predicts whether the unit still fires, and the unit answers;
 *      record_hypothesis (supported when r and the edits agree, else refuted);
 *   6. at most MAX_TRIALS formulas, then submit_answer with the best supported one.
 * Like the scene plan it keeps no state: each turn the conversation is folded into what is known.
 */

const MAX_TRIALS = 3;
const EDITED_EXEMPLARS = 2;
/** r over held-out tokens and share of edits predicted right, for a formula to be supported. */
const SUPPORT_R = 0.6;
const SUPPORT_AGREEMENT = 0.8;

interface Call {
  name: string;
  args: Record<string, unknown>;
}
export interface TextStep {
  text: string;
  calls: Call[];
}

interface Trial {
  formula: string;
  r: number;
  hypothesis?: string;
  ref?: string;
  edits: { ref: string; view: TextEditsView }[];
  editFailures: number;
  verdict?: { status: 'supported' | 'refuted'; agreement: number; ref: string };
}

interface TextState {
  unit?: string;
  described: boolean;
  exemplars?: { ref: string; view?: TextExemplarsView; error?: string };
  stats?: { ref: string; view?: TextStatsView; error?: string };
  search?: { ref: string; view?: TextSearchView; error?: string };
  trials: Trial[];
  submitted: boolean;
  submitFailures: number;
}

const num = (x: number) => String(Math.round(x * 100) / 100);

/** Fold the conversation: each of dissect's tool calls and its result, read by tool name and arguments. */
export function foldTextConversation(messages: readonly Message[], unit: string | undefined): TextState {
  const state: TextState = {
    ...(unit ? { unit } : {}),
    described: false,
    trials: [],
    submitted: false,
    submitFailures: 0,
  };
  for (const { call, result, ref, error } of answeredCalls(messages)) {
    const args = JSON.parse(call.arguments || '{}') as Record<string, unknown>;
    const trial = state.trials.at(-1);
    switch (call.name) {
      case 'describe_subject': {
        state.described = true;
        const sites = read(DescribeView, result.data)?.sites ?? [];
        if (!state.unit && sites.length === 1 && sites[0]!.units >= 1) state.unit = `${sites[0]!.name}:0`;
        break;
      }
      case 'text_exemplars':
        state.exemplars = { ref, ...(error ? { error } : { view: read(TextExemplarsView, result.data) }) };
        break;
      case 'concept_stats':
        state.stats = { ref, ...(error ? { error } : { view: read(TextStatsView, result.data) }) };
        break;
      case 'formula_search':
        state.search = { ref, ...(error ? { error } : { view: read(TextSearchView, result.data) }) };
        break;
      case 'record_hypothesis':
        if (args.status === 'proposed') {
          state.trials.push({
            formula: String(/formula: (.*?) \(r /.exec(String(args.text))?.[1] ?? ''),
            r: Number(/\(r (-?[\d.]+)/.exec(String(args.text))?.[1] ?? 0),
            ...(error ? {} : { hypothesis: read(HypothesisIdView, result.data)?.hypothesis.id, ref }),
            edits: [],
            editFailures: 0,
          });
        } else if (trial) {
          trial.verdict = {
            status: args.status === 'supported' ? 'supported' : 'refuted',
            agreement: Number(/edits agree (-?[\d.]+)/.exec(String(args.text))?.[1] ?? 0),
            ref,
          };
        }
        break;
      case 'edit_texts': {
        const view = error ? undefined : read(TextEditsView, result.data);
        if (trial && view) trial.edits.push({ ref, view });
        else if (trial) trial.editFailures++;
        break;
      }
      case 'submit_answer':
        if (error) state.submitFailures++;
        else state.submitted = true;
        break;
    }
  }
  return state;
}

export function planTextStep(state: TextState, options: { forced: boolean }): TextStep {
  if (state.submitted) return { text: 'The answer is submitted; nothing more to do.', calls: [] };
  if (options.forced || state.submitFailures > 0) {
    if (state.submitFailures >= 2) return { text: 'submit_answer failed twice; I stop.', calls: [] };
    return submitStep(state, 'I submit my best answer now.', state.submitFailures === 0);
  }
  const unit = state.unit;
  if (!unit) {
    if (!state.described)
      return {
        text: 'No unit was given: I look at the subject to find its unit.',
        calls: [{ name: 'describe_subject', args: {} }],
      };
    return submitStep(state, 'The subject has more than one unit and the question names none.', false);
  }
  if (!state.exemplars)
    return {
      text: `Investigating ${unit} on text. First: the held-out texts that drive it most (text_exemplars).`,
      calls: [{ name: 'text_exemplars', args: { unit, k: 8, bottom: 2 } }],
    };
  const exemplars = state.exemplars.view;
  if (exemplars && !(exemplars.stats.max > exemplars.stats.min))
    return submitStep(state, `${unit} is constant over the held-out texts: nothing to explain.`, false);
  if (!state.stats)
    return {
      text: `${exemplarSentence(exemplars)} Next: every token concept scored against the unit (concept_stats).`,
      calls: [{ name: 'concept_stats', args: { unit, top_k: 12 } }],
    };
  if (!state.search) {
    const seeds = searchSeeds(state);
    return {
      text:
        `${statsSentence(state.stats.view)} Next: compositional formulas (formula_search) over ` +
        `${seeds.slice(0, 6).join(', ')}${seeds.length > 6 ? ', …' : ''}.`,
      calls: [{ name: 'formula_search', args: { unit, top_k: 8, candidates: seeds } }],
    };
  }
  const trial = state.trials.at(-1);
  if (!trial || trial.verdict) {
    if (trial?.verdict?.status === 'supported')
      return submitStep(state, `${trial.formula} is supported.`, true);
    const next = nextCandidate(state);
    if (!next || state.trials.length >= MAX_TRIALS)
      return submitStep(
        state,
        next ? `${MAX_TRIALS} formulas tested.` : 'No untested formula remains.',
        true,
      );
    return {
      text: `formula_search ranks ${next.formula} (r ${num(next.r)}). Hypothesis: ${unit} fires on ${describe(next.formula)}; I test it with edits.`,
      calls: [
        {
          name: 'record_hypothesis',
          args: {
            text: `${unit} fires on ${describe(next.formula)} — formula: ${next.formula} (r ${num(next.r)} over held-out tokens)`,
            status: 'proposed',
            evidence: [state.search.ref],
          },
        },
      ],
    };
  }
  const plans = editPlans(state);
  if (trial.edits.length + trial.editFailures === 0 && plans.length > 0)
    return {
      text:
        `Counterfactuals for ${trial.formula}: on the top exemplars I delete the firing token, swap it for a word ` +
        'of another category, delete or insert a word before it, and delete a token that does not fire; the ' +
        'formula predicts which edits silence the unit.',
      calls: plans.map((plan) => ({
        name: 'edit_texts',
        args: { unit, text_index: plan.textIndex, edits: plan.edits },
      })),
    };
  const agreement = editAgreement(trial, exemplars?.stats.threshold ?? 0.5);
  const supported = trial.r >= SUPPORT_R && (agreement.total === 0 || agreement.share >= SUPPORT_AGREEMENT);
  const status = supported ? 'supported' : 'refuted';
  return {
    text:
      `Verdict on ${trial.formula}: ${status} — r ${num(trial.r)} over held-out tokens; ` +
      `the edits agree ${num(agreement.share)} (${agreement.right} of ${agreement.total} predicted right).`,
    calls: [
      {
        name: 'record_hypothesis',
        args: {
          text: `${unit} fires on ${describe(trial.formula)} — formula: ${trial.formula} (r ${num(trial.r)}); edits agree ${num(agreement.share)}`,
          status,
          evidence: [...(trial.ref ? [trial.ref] : []), ...trial.edits.map((e) => e.ref)],
          ...(trial.hypothesis ? { revises: trial.hypothesis } : {}),
        },
      },
    ],
  };
}

function describe(formula: string): string {
  try {
    return describeTextFormula(parseTextFormula(formula));
  } catch {
    return formula;
  }
}

function exemplarSentence(view: TextExemplarsView | undefined): string {
  if (!view) return 'text_exemplars gave nothing to read.';
  const counts = new Map<string, number>();
  let firing = 0;
  for (const e of view.exemplars.filter((x) => x.rank === 'top'))
    for (const t of e.firing) {
      firing++;
      for (const c of t.concepts ?? []) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
  const common = [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 4)
    .map(([c, n]) => `${c} ${n}/${firing}`);
  return `The top texts reach ${num(view.stats.max)}; the firing tokens are ${common.join(', ') || 'of no common concept'}.`;
}

function statsSentence(view: TextStatsView | undefined): string {
  if (!view) return 'concept_stats gave nothing to read.';
  return `concept_stats: ${view.top
    .slice(0, 4)
    .map((c) => `${c.concept} r ${num(c.r)}`)
    .join(', ')}.`;
}

function searchSeeds(state: TextState): string[] {
  const seeds: string[] = [];
  for (const c of state.stats?.view?.top ?? []) if (c.r > 0 && seeds.length < 8) seeds.push(c.concept);
  for (const e of state.exemplars?.view?.exemplars ?? [])
    for (const t of e.firing)
      for (const c of t.concepts ?? []) if (!seeds.includes(c) && seeds.length < 12) seeds.push(c);
  return seeds;
}

function nextCandidate(state: TextState): { formula: string; r: number } | undefined {
  const tried = new Set(state.trials.map((t) => t.formula));
  const search = state.search?.view?.formulas ?? [];
  const fromStats = (state.stats?.view?.top ?? []).map((c) => ({
    formula: c.concept.startsWith('word:') ? `word("${c.concept.slice(5)}")` : c.concept,
    r: c.r,
  }));
  return [...search, ...fromStats].find((c) => !tried.has(c.formula));
}

interface EditPlan {
  textIndex: number;
  edits: Record<string, unknown>[];
}

function editPlans(state: TextState): EditPlan[] {
  const top = (state.exemplars?.view?.exemplars ?? []).filter((e) => e.rank === 'top' && e.firing.length > 0);
  return top.slice(0, EDITED_EXEMPLARS).map((e) => {
    const token = e.firing[0]!;
    const other = LEXICAL_CATEGORIES.find((c) => !(token.concepts ?? []).includes(c)) ?? 'animal';
    const firingIndices = new Set(e.firing.map((f) => f.index));
    const edits: Record<string, unknown>[] = [
      { op: 'delete', token: token.index },
      { op: 'swap', token: token.index, category: other },
      { op: 'insert', token: token.index, word: 'very' },
    ];
    if (token.index > 0) edits.push({ op: 'delete', token: token.index - 1 });
    const quiet = [...Array(token.index).keys()]
      .reverse()
      .find((i) => !firingIndices.has(i) && i !== token.index - 1);
    if (quiet !== undefined) edits.push({ op: 'delete', token: quiet });
    return { textIndex: e.textIndex, edits };
  });
}

/** How many edited texts (and originals) the formula predicts right: fires or not, as the unit did. */
function editAgreement(trial: Trial, threshold: number): { right: number; total: number; share: number } {
  let tree;
  try {
    tree = parseTextFormula(trial.formula);
  } catch {
    return { right: 0, total: 0, share: 0 };
  }
  let right = 0;
  let total = 0;
  const fires = (tokens: TextEditsView['original']['tokens']) =>
    Math.max(0, ...evaluateTextFormula(tree, { id: 'edit', tokens })) >= 0.5;
  for (const { view } of trial.edits) {
    for (const item of [view.original, ...view.variants]) {
      total++;
      if (fires(item.tokens) === item.max > threshold) right++;
    }
  }
  return { right, total, share: total ? right / total : 0 };
}

function submitStep(state: TextState, why: string, withFormula: boolean): TextStep {
  const supported = state.trials
    .filter((t) => t.verdict?.status === 'supported')
    .sort((a, b) => b.r - a.r)[0];
  const best = supported ?? [...state.trials].sort((a, b) => b.r - a.r)[0] ?? nextCandidate(state);
  const evidence = [
    ...(supported?.verdict ? [supported.verdict.ref] : []),
    ...(state.search?.view ? [state.search.ref] : []),
  ];
  if (!best || !withFormula)
    return {
      text: `${why} I have no formula to offer.`,
      calls: [
        {
          name: 'submit_answer',
          args: {
            description: best ? `Fires on ${describe(best.formula)}.` : 'No explanation found.',
            confidence: 0.1,
            evidence,
          },
        },
      ],
    };
  const agreement = supported?.verdict?.agreement ?? 0.5;
  const confidence =
    Math.round(Math.max(0.05, Math.min(0.99, best.r * (supported ? Math.max(agreement, 0.5) : 0.5))) * 100) /
    100;
  return {
    text: `${why} Answer: ${best.formula} (confidence ${confidence}).`,
    calls: [
      {
        name: 'submit_answer',
        args: {
          description: `${state.unit ?? 'The unit'} fires on ${describe(best.formula)}.`,
          formula: best.formula,
          confidence,
          evidence,
          ...(state.unit ? { unit: state.unit } : {}),
        },
      },
    ],
  };
}
