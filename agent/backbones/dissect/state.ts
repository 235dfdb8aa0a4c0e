import type { Message, ToolCall, ToolResultPart } from '../../backbone.ts';
import {
  judgeContrast,
  type ContrastResult,
  type EditPlan,
  type Scale,
  type Stimulus,
} from './experiments.ts';
import type { Candidate } from './hypotheses.ts';
import {
  CallUnitsView,
  EditScenesView,
  membersOutcome,
  ProbeFamilyView,
  SearchStimuliView,
  type MemberStimulus,
  ExemplarsView,
  HypothesisView,
  PropertiesView,
  RenderScenesView,
  SearchView,
  StatsView,
  view,
} from './views.ts';

/**
 * What dissect knows at a step, rebuilt from the conversation every time: the backbone keeps no state
 * of its own, so a run is determined by its messages (and replays exactly). Each past step is planned
 * again from the state before it, which says what each of its tool calls was for; then each result is
 * folded in by that purpose.
 */

/** What a tool call was for. */
export type Purpose =
  | { kind: 'describe' }
  | { kind: 'list' }
  | { kind: 'exemplars' }
  | { kind: 'stats' }
  | { kind: 'search' }
  | { kind: 'properties' }
  | { kind: 'structure' }
  | { kind: 'propose'; trial: number; candidate: Candidate }
  | { kind: 'contrast'; trial: number; stimuli: Stimulus[] }
  | { kind: 'specs' }
  | { kind: 'edit'; trial: number; plan: EditPlan }
  | { kind: 'rescore'; trial: number; formulas: string[] }
  | { kind: 'verdict'; trial: number; status: 'supported' | 'refuted' }
  | { kind: 'submit'; withFormula: boolean }
  | { kind: 'rareSearch' }
  | { kind: 'rareFamily' }
  | { kind: 'rareMembers'; stimuli: MemberStimulus[] };

export interface PlannedCall {
  name: string;
  args: Record<string, unknown>;
  purpose: Purpose;
}

/** One step: what dissect says, and the calls it makes (none: it is done). */
export interface Step {
  text: string;
  calls: PlannedCall[];
}

/** A tool result as evidence: its ref (`c7`, as the loop numbers calls) and its data. */
export interface Observed<T> {
  ref: string;
  data: T;
}

export interface Failed {
  ref: string;
  error: string;
}

export type Outcome<T> = Observed<T> | Failed;

export function ok<T>(outcome: Outcome<T> | undefined): Observed<T> | undefined {
  return outcome && 'data' in outcome ? outcome : undefined;
}

/** A candidate under test, with everything gathered about it. */
export interface Trial {
  candidate: Candidate;
  /** The hypothesis id record_hypothesis gave the proposal (h1, …), and the evidence ref. */
  hypothesis?: string;
  proposalRef?: string;
  contrast?: Outcome<{ stimuli: Stimulus[]; activations: number[] }>;
  edits: Outcome<{ plan: EditPlan; before: number; after: number }>[];
  editsDone: boolean;
  rescore?: Outcome<SearchView>;
  verdict?: { status: 'supported' | 'refuted'; ref: string; hypothesis?: string };
}

/** The rare-unit path's evidence (rare.ts). */
export interface RareState {
  search?: Outcome<SearchStimuliView>;
  /** The targeted families asked for so far, in the order of familyCalls (rare.ts). */
  families?: Outcome<ProbeFamilyView>[];
  members?: Outcome<{ stimuli: MemberStimulus[]; activations: number[] }>;
}

export interface State {
  unit: string | undefined;
  describe?: Outcome<string>;
  list?: Outcome<unknown>;
  exemplars?: Outcome<ExemplarsView>;
  stats?: Outcome<StatsView>;
  search?: Outcome<SearchView>;
  properties?: Outcome<PropertiesView>;
  /** formula_search's scores of structured variants (sizes, counts, relations, hues). */
  structure?: Outcome<SearchView>;
  specs?: Outcome<RenderScenesView>;
  trials: Trial[];
  /** The rare-unit path (rare.ts): the stimulus search, the targeted family, the member swaps. */
  rare?: RareState;
  submissions: { ok: boolean; ref: string; withFormula: boolean; error?: string }[];
  /** Tool calls dissect has made so far (its call ids are d1, d2, …). */
  calls: number;
}

export function initialState(unit: string | undefined): State {
  return { unit, trials: [], submissions: [], calls: 0 };
}

/** The evidence ref of a result: the loop's `[cN]` prefix, else the call id. */
export function refOf(result: ToolResultPart): string {
  return /^\[(c\d+)\]/.exec(result.text)?.[1] ?? result.callId;
}

/** One call of an assistant turn with its result, its evidence ref, and the error text when it failed. */
export interface AnsweredCall {
  call: ToolCall;
  result: ToolResultPart;
  ref: string;
  error: string | undefined;
}

/** Every tool call of the conversation that has a result, in order (a call still unanswered is skipped). */
export function* answeredCalls(messages: readonly Message[]): Generator<AnsweredCall> {
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i] as Message;
    if (message.role !== 'assistant') continue;
    const next = messages[i + 1];
    const results = next?.role === 'tool' ? next.results : [];
    for (const call of message.toolCalls) {
      const result = results.find((r) => r.callId === call.id);
      if (result) yield { call, result, ref: refOf(result), error: result.isError ? result.text : undefined };
    }
  }
}

/** A tool result's text without the ref prefix (and the loop's "error: "). */
export function messageOf(result: ToolResultPart): string {
  return result.text.replace(/^\[c\d+\]\s*/, '').replace(/^error:\s*/, '');
}

/**
 * Fold a conversation into the state: `plan` is asked, for each past assistant turn, what it would
 * have done from the state before it; calls that match (same id and tool) take its purposes, others
 * (a forced final answer) are read by their tool alone.
 */
export function foldConversation(
  messages: readonly Message[],
  start: State,
  plan: (state: State) => Step,
  unitFromQuestion: () => string | undefined,
): State {
  let state = start;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i] as Message;
    if (message.role !== 'assistant' || message.toolCalls.length === 0) continue;
    const planned = plan(state);
    const next = messages[i + 1];
    const results = next?.role === 'tool' ? next.results : [];
    const base = state.calls;
    state = { ...state, calls: state.calls + message.toolCalls.length };
    message.toolCalls.forEach((call, k) => {
      const expected = planned.calls[k];
      const purpose =
        expected && call.id === `d${base + k + 1}` && call.name === expected.name
          ? expected.purpose
          : byName(call.name, call.arguments);
      const result = results.find((r) => r.callId === call.id);
      if (purpose && result) state = apply(state, purpose, result, unitFromQuestion);
    });
  }
  return state;
}

/** The purpose of a call dissect did not plan this way (only the final answer can be read alone). */
function byName(name: string, args: string): Purpose | undefined {
  if (name !== 'submit_answer') return undefined;
  return { kind: 'submit', withFormula: args.includes('"formula"') };
}

function outcome<T>(result: ToolResultPart, parse: (data: unknown) => T | undefined): Outcome<T> {
  const ref = refOf(result);
  if (result.isError) return { ref, error: messageOf(result) };
  const data = parse(result.data);
  return data === undefined ? { ref, error: 'the result did not have the expected data' } : { ref, data };
}

function withTrial(state: State, index: number, update: (trial: Trial) => Trial): State {
  const trials = state.trials.map((t, i) => (i === index ? update(t) : t));
  return { ...state, trials };
}

function apply(
  state: State,
  purpose: Purpose,
  result: ToolResultPart,
  unitFromQuestion: () => string | undefined,
): State {
  const ref = refOf(result);
  switch (purpose.kind) {
    case 'describe': {
      const described = outcome(result, () => messageOf(result));
      // Without a unit given, the question's own `site:index` is the unit (once the subject is known).
      return { ...state, describe: described, unit: state.unit ?? unitFromQuestion() };
    }
    case 'list':
      return { ...state, list: outcome(result, (d) => d) };
    case 'exemplars':
      return { ...state, exemplars: outcome(result, (d) => view(ExemplarsView, d)) };
    case 'stats':
      return { ...state, stats: outcome(result, (d) => view(StatsView, d)) };
    case 'search':
      return { ...state, search: outcome(result, (d) => view(SearchView, d)) };
    case 'structure':
      return { ...state, structure: outcome(result, (d) => view(SearchView, d)) };
    case 'properties':
      return { ...state, properties: outcome(result, (d) => view(PropertiesView, d)) };
    case 'specs':
      return { ...state, specs: outcome(result, (d) => view(RenderScenesView, d)) };
    case 'propose': {
      const id = result.isError ? undefined : view(HypothesisView, result.data)?.hypothesis.id;
      const trial: Trial = {
        candidate: purpose.candidate,
        proposalRef: ref,
        ...(id !== undefined ? { hypothesis: id } : {}),
        edits: [],
        editsDone: false,
      };
      const trials = [...state.trials];
      trials[purpose.trial] = trial;
      return { ...state, trials };
    }
    case 'contrast':
      return withTrial(state, purpose.trial, (trial) => ({
        ...trial,
        contrast: outcome(result, (d) => {
          const activations = view(CallUnitsView, d)?.activations[0];
          if (!activations) return undefined;
          return { stimuli: purpose.stimuli, activations };
        }),
      }));
    case 'edit':
      return withTrial(state, purpose.trial, (trial) => ({
        ...trial,
        editsDone: true,
        edits: [
          ...trial.edits,
          outcome(result, (d) => {
            const unit = view(EditScenesView, d)?.pairs[0]?.units?.[0];
            return unit ? { plan: purpose.plan, before: unit.before, after: unit.after } : undefined;
          }),
        ],
      }));
    case 'rescore':
      return withTrial(state, purpose.trial, (trial) => ({
        ...trial,
        rescore: outcome(result, (d) => view(SearchView, d)),
      }));
    case 'verdict': {
      const id = result.isError ? undefined : view(HypothesisView, result.data)?.hypothesis.id;
      return withTrial(state, purpose.trial, (trial) => ({
        ...trial,
        verdict: { status: purpose.status, ref, ...(id !== undefined ? { hypothesis: id } : {}) },
      }));
    }
    case 'rareSearch':
      return {
        ...state,
        rare: { ...state.rare, search: outcome(result, (d) => view(SearchStimuliView, d)) },
      };
    case 'rareFamily':
      return {
        ...state,
        rare: {
          ...state.rare,
          families: [...(state.rare?.families ?? []), outcome(result, (d) => view(ProbeFamilyView, d))],
        },
      };
    case 'rareMembers':
      return {
        ...state,
        rare: { ...state.rare, members: outcome(result, (d) => membersOutcome(purpose.stimuli, d)) },
      };
    case 'submit':
      return {
        ...state,
        submissions: [
          ...state.submissions,
          {
            ok: !result.isError,
            ref,
            withFormula: purpose.withFormula,
            ...(result.isError ? { error: messageOf(result) } : {}),
          },
        ],
      };
  }
}

/** The contrast of a trial, judged against the unit's scale. */
export function contrastOf(trial: Trial, scale: Scale): ContrastResult | undefined {
  const observed = ok(trial.contrast);
  if (!observed) return undefined;
  return judgeContrast(observed.data.stimuli, observed.data.activations, scale);
}
