import { assess, composeAnswer, scaleOf, type Assessment } from './answer.ts';
import { clausesOf, contrastStimuli, designEdits, fires, type EditPlan, type Scale } from './experiments.ts';
import {
  candidate,
  commonFiresOn,
  conceptsOf,
  initialCandidates,
  refinementsOf,
  type Candidate,
} from './hypotheses.ts';
import { propertyAnswer, readsText } from './properties.ts';
import { structuredCandidate, structuredFormulas, wantsStructure } from './structure.ts';
import { contrastOf, ok, type PlannedCall, type State, type Step, type Trial } from './state.ts';
import { parseFormula, printFormula } from '../../../subjects/synthetic/index.ts';
import {
  bestFamilyFormula,
  FAMILY_FIT,
  familyCalls,
  isRare,
  memberStimuli,
  needsOf,
  rareAnswer,
  SEARCH_BUDGET,
  swapBase,
} from './rare.ts';

/**
 * dissect's phase machine. From the state it decides the next step:
 *   1. (no unit given) describe_subject + list_units, then take the question's `site:index`;
 *   2. dataset_exemplars — what the most activating probe scenes contain;
 *   3. concept_stats — NetDissect IoU of every concept;
 *   4. formula_search — compositional formulas, seeded with the top concepts, ranked by r;
 *   5. for the best untested candidate: record_hypothesis (proposed); call_units on matched phrases
 *      where it holds and where it does not, with render_scenes of the top exemplars; edit_scenes
 *      taking it out of those exemplars; if contradicted, formula_search scores the refinement the
 *      failures suggest; record_hypothesis (supported / refuted, revising the proposal);
 *   6. repeat 5 for at most MAX_TRIALS candidates, then submit_answer.
 * A forced final turn submits at once from whatever evidence there is.
 */

export interface PlanOptions {
  /** Seeds dissect's own choices (which member draws a category). */
  seed: number;
  /** The loop demands the final answer now. */
  forced: boolean;
  /** The tools that may be called (undefined: all); a phase whose tool is missing is skipped. */
  available?: ReadonlySet<string>;
}

const MAX_TRIALS = 3;
/** Exemplars whose specs are fetched to edit. */
const EDITED_EXEMPLARS = 3;
/** Seeds given to formula_search: concept_stats' best plus what the exemplars fire on. */
const SEEDS = 14;

const num = (x: number) => String(Math.round(x * 100) / 100);

export function planStep(given: State, options: PlanOptions): Step {
  const has = (tool: string) => options.available === undefined || options.available.has(tool);
  const missing = (tool: string) => ({ ref: '', error: `${tool} is not available` });
  // A phase whose tool is not offered counts as failed, so the plan moves past it.
  const state: State = {
    ...given,
    exemplars: given.exemplars ?? (has('dataset_exemplars') ? undefined : missing('dataset_exemplars')),
    stats: given.stats ?? (has('concept_stats') ? undefined : missing('concept_stats')),
    search: given.search ?? (has('formula_search') ? undefined : missing('formula_search')),
    specs: given.specs ?? (has('render_scenes') ? undefined : missing('render_scenes')),
  };
  if (state.submissions.some((s) => s.ok))
    return { text: 'The answer is submitted; nothing more to do.', calls: [] };
  const failures = state.submissions.filter((s) => !s.ok);
  const last = state.submissions.at(-1);
  // A formula the tool refused is left out of later submissions; other refusals are retried once.
  const formulaRefused = failures.some((s) => s.withFormula && /formula/i.test(s.error ?? ''));
  if (options.forced)
    return submitStep(state, 'I am asked for the final answer now: I submit my best.', !formulaRefused);
  if (last && !last.ok) {
    if (failures.length >= 2)
      return { text: `submit_answer failed again (${last.error ?? 'error'}); I stop.`, calls: [] };
    return submitStep(
      state,
      `submit_answer refused the answer (${last.error ?? 'error'}); I submit it again` +
        (formulaRefused ? ' without the formula.' : '.'),
      !formulaRefused,
    );
  }
  const unit = state.unit;
  if (unit === undefined) {
    if (!state.describe && has('describe_subject') && has('list_units'))
      return {
        text: 'No unit was given. I look at the subject and its sites, and will take the unit the question names (site:index).',
        calls: [call('describe_subject', {}, { kind: 'describe' }), call('list_units', {}, { kind: 'list' })],
      };
    return submitStep(
      state,
      'The question names no unit (site:index), so there is no unit to investigate.',
      false,
    );
  }
  if (!state.exemplars) {
    const describe = !state.describe && has('describe_subject');
    return {
      text: `Investigating ${unit}. First: what the subject is, and which probe-set scenes drive the unit most (dataset_exemplars).`,
      calls: [
        ...(describe ? [call('describe_subject', {}, { kind: 'describe' })] : []),
        call('dataset_exemplars', { unit, k: 6, bottom: 3 }, { kind: 'exemplars' }),
      ],
    };
  }
  const rare = rareStep(state, unit, has);
  if (rare) return rare;
  const constant = ok(state.exemplars)?.data.stats;
  if (constant && !(constant.max > constant.min))
    return submitStep(state, `${unit} is constant over the probe set: there is nothing to explain.`, false);
  if (!state.stats)
    return {
      text: `${exemplarSummary(state)} Next: NetDissect IoU of every concept over the probe set (concept_stats), to rank them by overlap with where the unit fires.`,
      calls: [call('concept_stats', { unit, top_k: 8 }, { kind: 'stats' })],
    };
  if (!state.search) {
    const seeds = searchSeeds(state);
    return {
      text:
        `${statsSummary(state)} Next: compositional explanations (formula_search) — formulas of concepts with OR, ` +
        `AND, &, NOT and halves, scored by IoU and by r` +
        (seeds.length ? `, combining ${seeds.slice(0, 6).join(', ')}${seeds.length > 6 ? ', …' : ''}.` : '.'),
      calls: [
        call(
          'formula_search',
          { unit, rank_by: 'r', top_k: 8, ...(seeds.length ? { candidates: seeds } : {}) },
          { kind: 'search' },
        ),
      ],
    };
  }
  if (!state.properties && has('property_stats') && readsText(state))
    return {
      text:
        `${bestFormulaSentence(state)}The top exemplars are text, and a text unit may answer to letters or to ` +
        'the orientation of the line, which concept formulas cannot express: next, property_stats.',
      calls: [call('property_stats', { unit, top_k: 8 }, { kind: 'properties' })],
    };
  if (propertyAnswer(state))
    return submitStep(
      state,
      'A property of the text explains the unit better than any concept formula.',
      false,
    );
  if (!state.structure && has('formula_search') && wantsStructure(state)) {
    const formulas = structuredFormulas(state);
    return {
      text:
        `${bestFormulaSentence(state)}That leaves much of the unit unexplained: next, formula_search scores ` +
        `${formulas.length} structured variants of its concepts that the beam search cannot build (sizes, ` +
        `counts, relations, hues), e.g. ${formulas.slice(0, 3).join(', ')}.`,
      calls: [
        call(
          'formula_search',
          { unit, rank_by: 'r', top_k: 1, max_length: 1, beam: 1, formulas },
          { kind: 'structure' },
        ),
      ],
    };
  }
  const exemplars = ok(state.exemplars);

  const scale = scaleOf(state);
  const trial = state.trials.at(-1);
  if (!has('record_hypothesis'))
    return submitStep(state, 'Hypotheses cannot be recorded here, so I answer from the statistics.', true);
  if (!trial || trial.verdict) {
    if (trial?.verdict?.status === 'supported')
      return submitStep(state, `${label(trial)} is supported: I submit it.`, true);
    const next = nextCandidate(state);
    if (!next || state.trials.length >= MAX_TRIALS)
      return submitStep(
        state,
        next
          ? `${MAX_TRIALS} hypotheses tested; I submit the best supported by the evidence.`
          : 'No untested candidate remains; I submit the best one.',
        true,
      );
    return proposeStep(state, next, unit);
  }
  const index = state.trials.length - 1;
  const clauses = clausesOf(trial.candidate.tree, options.seed);
  const concepts = conceptsOf(trial.candidate.tree);
  if (!trial.contrast && clauses && has('call_units')) {
    const stimuli = contrastStimuli(clauses, concepts);
    if (stimuli.length > 0) {
      const top = topExemplars(state).slice(0, EDITED_EXEMPLARS);
      const wantSpecs = !state.specs && top.length > 0;
      const high = stimuli.filter((s) => s.expect === 'high').length;
      return {
        text:
          `Testing ${label(trial)} by counterfactuals: ${high} scenes where ${trial.candidate.formula} holds ` +
          `(${examples(stimuli, 'high')}) against ${stimuli.length - high} matched scenes where it does not ` +
          `(${examples(stimuli, 'low')}).` +
          (wantSpecs
            ? ` I also read the specs of the top exemplars (${top.join(', ')}) to edit them next.`
            : ''),
        calls: [
          call(
            'call_units',
            { units: [unit], stimuli: stimuli.map((s) => s.phrase), images: false },
            { kind: 'contrast', trial: index, stimuli },
          ),
          ...(wantSpecs
            ? [call('render_scenes', { stimuli: top.map((p) => ({ probe_scene: p })) }, { kind: 'specs' })]
            : []),
        ],
      };
    }
  }
  if (!trial.editsDone && clauses && has('edit_scenes')) {
    const plans = editPlans(state, clauses, concepts, scale);
    if (plans.length > 0)
      return {
        text:
          `${contrastSentence(trial, scale)} Next, exact edits of top exemplars: ` +
          plans.map((p) => `probe scene ${p.probeScene}: ${p.summary}`).join('; ') +
          '. If the formula is right, each edit should silence the unit.',
        calls: plans.map((plan) =>
          call(
            'edit_scenes',
            { stimuli: [{ probe_scene: plan.probeScene }], edits: plan.edits, units: [unit] },
            { kind: 'edit', trial: index, plan },
          ),
        ),
      };
  }
  const assessment = assess(trial, scale);
  const contrast = contrastOf(trial, scale);
  // A scene where the formula holds but the unit stays silent contradicts it even when most agree:
  // what the silent scenes share may be an exception (grass) the probe set could not reveal.
  if (
    !trial.rescore &&
    contrast &&
    has('formula_search') &&
    (assessment.status === 'refuted' || contrast.failures.length > 0)
  ) {
    const tried = new Set(state.trials.map((t) => t.candidate.formula));
    const refined = refinementsOf(trial.candidate.tree, contrast, exemplars?.data)
      .map((f) => printFormula(f))
      .filter((f) => !tried.has(f));
    if (refined.length > 0)
      return {
        text:
          `${label(trial)} is contradicted: ${assessment.summary}. ` +
          `${failureSentence(contrast)} I score the refinement${refined.length > 1 ? 's' : ''} ${refined.join('; ')} on the probe set.`,
        calls: [
          call(
            'formula_search',
            { unit, formulas: refined, max_length: 1, top_k: 1, rank_by: 'r' },
            { kind: 'rescore', trial: index, formulas: refined },
          ),
        ],
      };
  }
  return verdictStep(state, trial, index, assessment, unit);
}

/**
 * The rare-unit path (rare.ts): when the exemplars show the unit silent or firing on fewer than 6
 * probe scenes, search for stimuli, then test what the best scene needs on a targeted family and
 * with category members, then answer. Undefined: the ordinary path goes on.
 */
function rareStep(state: State, unit: string, has: (tool: string) => boolean): Step | undefined {
  if (!isRare(state) || !has('search_stimuli')) return undefined;
  const rare = state.rare;
  if (!rare?.search)
    return {
      text:
        `${unit} is silent or rare on the probe set (at most 2 of its scenes drive it), so statistics over ` +
        'it would fit noise. I search for stimuli that drive it (search_stimuli: dense grids, counts, ' +
        'relations, backgrounds, then edits of the best scenes).',
      calls: [call('search_stimuli', { unit, budget: SEARCH_BUDGET, top_k: 4 }, { kind: 'rareSearch' })],
    };
  const search = ok(rare.search);
  const needs = search ? needsOf(search.data) : undefined;
  const calls = needs ? familyCalls(unit, needs) : [];
  const asked = rare.families ?? [];
  const sofar = bestFamilyFormula(asked.map((f) => ok(f)?.data));
  const next = calls[asked.length];
  if (needs && next && (!sofar || sofar.r < FAMILY_FIT) && has('probe_families')) {
    return {
      text:
        (asked.length === 0
          ? `The best scene found (${search?.data.best[0]?.contents ?? '?'}) needs ${needs.objects.join(' and ')}` +
            `${needs.background ? ` on ${needs.background}` : ''}${needs.count !== undefined ? `, ${needs.count} of them` : ''}. `
          : `No formula fits the ${String(calls[asked.length - 1]?.family)} family well` +
            (sofar ? ` (best ${sofar.formula}, r ${num(sofar.r)}). ` : ' (the unit is constant on it). ')) +
        `I vary one factor (${String(next.family)}) and score ${(next.formulas as string[]).join(', ')} on it.`,
      calls: [call('probe_families', next, { kind: 'rareFamily' })],
    };
  }
  if (needs && asked.length > 0 && !rare.members && has('call_units')) {
    const at = sofar?.family ?? 0;
    const base = swapBase(needs, ok(asked[at])?.data, calls[at] ?? {});
    const stimuli = memberStimuli(needs, base);
    if (stimuli.length > 1)
      return {
        text:
          `To name ${needs.objects.join(' and ')} at the right level, I swap ${needs.objects.length > 1 ? 'each' : 'it'} ` +
          'for the other members of its category in the scene the unit answered most.',
        calls: [
          call(
            'call_units',
            { units: [unit], stimuli: stimuli.map((s) => s.spec), images: false },
            { kind: 'rareMembers', stimuli },
          ),
        ],
      };
  }
  const answer = rareAnswer(unit, state, rare);
  if (!answer) return undefined;
  return {
    text: `Answer from the search and the targeted probes: ${answer.description}`,
    calls: [call('submit_answer', { ...answer }, { kind: 'submit', withFormula: answer.formula !== undefined })],
  };
} // prettier-ignore

function call(name: string, args: Record<string, unknown>, purpose: PlannedCall['purpose']): PlannedCall {
  return { name, args, purpose };
}

function label(trial: Trial): string {
  return trial.hypothesis ?? `the hypothesis ${trial.candidate.formula}`;
}

function hypothesisText(unit: string, c: Candidate): string {
  const scores =
    c.r !== undefined && c.iou !== undefined ? ` (IoU ${num(c.iou)}, r ${num(c.r)} over the probe set)` : '';
  return `${unit} fires on ${c.description} — formula: ${c.formula}${scores}`;
}

function proposeStep(state: State, next: Candidate, unit: string): Step {
  const search = ok(state.search);
  const others = search?.data.formulas
    .filter((f) => f.formula !== next.formula)
    .slice(0, 2)
    .map((f) => `${f.formula} (IoU ${num(f.iou)}, r ${num(f.r)})`);
  const why =
    next.source === 'refinement'
      ? `The failures suggest a refinement: ${next.formula}${next.r !== undefined ? ` (r ${num(next.r)} over the probe set)` : ''}.`
      : state.trials.length === 0 && search
        ? `${searchSummary(next)}${others && others.length ? ` Runners-up: ${others.join('; ')}.` : ''}`
        : `Next candidate: ${next.formula} (from ${next.source}).`;
  const searchFailed =
    state.trials.length === 0 && state.search && 'error' in state.search
      ? `formula_search failed (${state.search.error}); I fall back on ${next.source}. `
      : '';
  return {
    text: `${searchFailed}${why} Hypothesis: ${unit} fires on ${next.description}. I record it as proposed and test it.`,
    calls: [
      call(
        'record_hypothesis',
        { text: hypothesisText(unit, next), status: 'proposed', evidence: next.refs },
        { kind: 'propose', trial: state.trials.length, candidate: next },
      ),
    ],
  };
}

function verdictStep(state: State, trial: Trial, index: number, assessment: Assessment, unit: string): Step {
  const refs = [
    ok(trial.contrast)?.ref,
    ...trial.edits.map((e) => ok(e)?.ref),
    ok(trial.rescore)?.ref,
  ].filter((r): r is string => r !== undefined);
  const refinement = refinedCandidates(state, trial)[0];
  // A refinement that explains the silent scenes and fits the probe set as well wins over the formula.
  const verdict = refinement ? 'refuted' : assessment.status;
  return {
    text:
      `Verdict on ${label(trial)}: ${verdict} — ${assessment.summary}` +
      (assessment.score !== undefined ? ` (counterfactual score ${num(assessment.score)})` : '') +
      (refinement
        ? `; but it stayed silent where ${refinement.formula} says it should, and that fits the probe set as well ` +
          `(r ${num(refinement.r ?? 0)}), so it is tested next.`
        : '.'),
    calls: [
      call(
        'record_hypothesis',
        {
          text: hypothesisText(unit, trial.candidate),
          status: verdict,
          evidence: refs,
          ...(trial.hypothesis !== undefined ? { revises: trial.hypothesis } : {}),
        },
        { kind: 'verdict', trial: index, status: verdict },
      ),
    ],
  };
}

function submitStep(state: State, why: string, withFormula: boolean): Step {
  const answer = composeAnswer(state, withFormula);
  return {
    text: `${why} Answer: ${answer.description} (confidence ${answer.confidence})`,
    calls: [
      call('submit_answer', { ...answer }, { kind: 'submit', withFormula: answer.formula !== undefined }),
    ],
  };
}

/**
 * The refinements a trial's rescore found that fit the probe set about as well as the trial's formula
 * (r at most 0.05 lower), untried, best first.
 */
function refinedCandidates(state: State, trial: Trial): Candidate[] {
  const rescore = ok(trial.rescore);
  if (!rescore) return [];
  const tried = new Set(state.trials.map((t) => t.candidate.formula));
  const floor = (trial.candidate.r ?? 0) - 0.05;
  const refs = [ok(trial.contrast)?.ref, rescore.ref].filter((r): r is string => r !== undefined);
  return rescore.data.scored
    .flatMap((s) => (s.score && s.score.r >= floor && !tried.has(s.score.formula) ? [s.score] : []))
    .sort((a, b) => b.r - a.r)
    .map((s) => candidate(parseFormula(s.formula), 'refinement', refs, s));
}

/** Refinements of the last trial, then untried candidates of the search. */
function nextCandidate(state: State): Candidate | undefined {
  const tried = new Set(state.trials.map((t) => t.candidate.formula));
  const last = state.trials.at(-1);
  const refined = last ? refinedCandidates(state, last)[0] : undefined;
  if (refined) return refined;
  const structured = structuredCandidate(state);
  if (structured && !tried.has(structured.formula)) return structured;
  const search = ok(state.search);
  const stats = ok(state.stats);
  const exemplars = ok(state.exemplars);
  // A variant of a tested formula on the same concepts (left(x) after top(x)) is not worth a trial.
  const conceptSets = new Set(state.trials.map((t) => conceptKey(t.candidate)));
  return initialCandidates(search, stats, exemplars).find(
    (c) => !tried.has(c.formula) && !conceptSets.has(conceptKey(c)),
  );
}

function conceptKey(c: Candidate): string {
  return [...new Set(conceptsOf(c.tree))].sort().join('|');
}

/** Top exemplars that fire (at least half the unit's maximum), as probe-scene indices. */
function topExemplars(state: State): number[] {
  const exemplars = ok(state.exemplars);
  if (!exemplars) return [];
  const scale = scaleOf(state);
  return exemplars.data.exemplars
    .filter((e) => e.rank === 'top' && fires(e.activation, scale))
    .map((e) => e.probeScene);
}

function editPlans(
  state: State,
  clauses: NonNullable<ReturnType<typeof clausesOf>>,
  concepts: string[],
  scale: Scale,
): EditPlan[] {
  const specs = ok(state.specs);
  const exemplars = ok(state.exemplars);
  if (!specs || !exemplars) return [];
  const firing = new Set(
    exemplars.data.exemplars
      .filter((e) => e.rank === 'top' && fires(e.activation, scale))
      .map((e) => e.probeScene),
  );
  const scenes = specs.data.scenes.flatMap((s) =>
    s.probeScene !== undefined && firing.has(s.probeScene)
      ? [{ probeScene: s.probeScene, spec: s.spec }]
      : [],
  );
  return designEdits(clauses, scenes, concepts);
}

function searchSeeds(state: State): string[] {
  const seeds: string[] = [];
  const add = (c: string) => {
    if (!seeds.includes(c) && seeds.length < SEEDS) seeds.push(c);
  };
  for (const c of ok(state.stats)?.data.top ?? []) if (c.iou > 0) add(c.concept);
  for (const e of ok(state.exemplars)?.data.exemplars ?? [])
    if (e.rank === 'top') for (const f of e.firesOn) add(f.concept);
  return seeds;
}

function exemplarSummary(state: State): string {
  const exemplars = ok(state.exemplars);
  if (!exemplars) return `dataset_exemplars failed (${errorOf(state.exemplars)}).`;
  const top = exemplars.data.exemplars.filter((e) => e.rank === 'top');
  const bottom = exemplars.data.exemplars.filter((e) => e.rank === 'bottom');
  if (top.length === 0) return 'dataset_exemplars returned no scenes.';
  const activations = top.map((e) => e.activation);
  const counts = new Map<string, number>();
  for (const e of top) for (const f of e.firesOn) counts.set(f.concept, (counts.get(f.concept) ?? 0) + 1);
  const common = [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([c, n]) => `${c} in ${n}/${top.length}`);
  const best = commonFiresOn(exemplars.data);
  const low = num(Math.min(...activations));
  const high = num(Math.max(...activations));
  return (
    `The top ${top.length} exemplars activate ${low === high ? `all at ${high}` : `${low}–${high}`}` +
    (common.length ? `; the unit fires on ${common.join(', ')}` : '; it fires on no single concept there') +
    (bottom.length
      ? ` (bottom ${bottom.length}: ≤ ${num(Math.max(...bottom.map((e) => e.activation)))})`
      : '') +
    `.${best ? ` First guess: ${best}.` : ''}`
  );
}

function statsSummary(state: State): string {
  const stats = ok(state.stats);
  if (!stats) return `concept_stats failed (${errorOf(state.stats)}).`;
  const top = stats.data.top.slice(0, 4).map((c) => `${c.concept} ${num(c.iou)}`);
  return (
    `concept_stats (IoU): ${top.join(', ') || 'nothing'}` +
    (stats.data.detector
      ? '; the best passes the detector bar (IoU > 0.04).'
      : '; no concept passes the detector bar (IoU > 0.04).')
  );
}

function bestFormulaSentence(state: State): string {
  const best = ok(state.search)?.data.formulas[0];
  return best ? `formula_search's best formula is ${best.formula} (r ${num(best.r)}). ` : '';
}

function searchSummary(next: Candidate): string {
  return `formula_search ranks ${next.formula} first (IoU ${num(next.iou ?? 0)}, r ${num(next.r ?? 0)}).`;
}

function examples(stimuli: { phrase: string; expect: string; role: string }[], expect: string): string {
  const chosen = stimuli.filter((s) => s.expect === expect);
  const shown = chosen
    .slice(0, 3)
    .map((s) => (expect === 'low' ? `${s.role}: "${s.phrase}"` : `"${s.phrase}"`));
  return shown.join(', ') + (chosen.length > 3 ? ', …' : '');
}

function contrastSentence(trial: Trial, scale: Scale): string {
  const contrast = contrastOf(trial, scale);
  if (!contrast)
    return trial.contrast && 'error' in trial.contrast
      ? `The contrast failed (${trial.contrast.error}), so the edits must decide.`
      : 'There is no contrast to read, so the edits must decide.';
  return (
    `Contrast: where it holds the unit averages ${num(contrast.meanHigh)} (${Math.round(contrast.hitRate * 100)}% fire), ` +
    `where it does not ${num(contrast.meanLow)} (${Math.round(contrast.falseRate * 100)}% fire).`
  );
}

function failureSentence(contrast: ReturnType<typeof contrastOf>): string {
  if (!contrast) return '';
  const failed = contrast.failures.slice(0, 2).map((s) => `"${s.phrase}"`);
  const alarms = contrast.falseAlarms.slice(0, 2).map((s) => `"${s.phrase}"`);
  return [
    failed.length ? `It stayed silent on ${failed.join(', ')}.` : '',
    alarms.length ? `It fired on ${alarms.join(', ')}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

function errorOf(outcome: { error: string } | object | undefined): string {
  return outcome && 'error' in outcome ? String(outcome.error) : 'no data';
}
