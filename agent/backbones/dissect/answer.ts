import type { SubmitAnswerArgs } from '../../../tools/investigation/submit-answer.ts';
import { rareAnswer } from './rare.ts';
import { editDrop, type ContrastResult, type Scale } from './experiments.ts';
import { initialCandidates, type Candidate } from './hypotheses.ts';
import { propertyAnswer } from './properties.ts';
import { contrastOf, ok, type State, type Trial } from './state.ts';

/**
 * How the evidence bears on a candidate, and the final answer: the candidate the evidence supports
 * best, described in words with the numbers behind it, and a confidence that rises with how well the
 * formula matches the unit over the probe set (IoU, r) and with what the counterfactuals showed.
 */

export interface Assessment {
  contrast?: ContrastResult;
  /** Mean relative drop of the unit under the edits (1: silenced). */
  drop?: number;
  /** Counterfactual score in [−1, 1]: mean of the contrast's hit − false-alarm rate and the edit drop. */
  score?: number;
  status: 'supported' | 'refuted';
  /** The evidence in one sentence. */
  summary: string;
}

/** Above this counterfactual score a candidate is supported. */
const SUPPORT = 0.5;
/** Without counterfactual evidence, r over the probe set decides. */
const SUPPORT_R = 0.6;

const num = (x: number) => String(Math.round(x * 100) / 100);
const pct = (x: number) => `${Math.round(x * 100)}%`;

/**
 * The unit's range over the probe set: firing is measured from its minimum towards its maximum, so
 * units with an offset or negative values are judged as fairly as those that rest at 0.
 */
export function scaleOf(state: State): Scale {
  const stats = ok(state.exemplars)?.data.stats;
  if (!stats || !(stats.max > stats.min)) return { low: 0, high: stats && stats.max > 0 ? stats.max : 1 };
  return { low: stats.min, high: stats.max };
}

export function assess(trial: Trial, scale: Scale): Assessment {
  const contrast = contrastOf(trial, scale);
  const pairs = trial.edits.flatMap((e) => (ok(e) ? [ok(e)!.data] : []));
  const drop = editDrop(pairs, scale);
  const scores = [contrast?.score, drop].filter((x): x is number => x !== undefined);
  const score = scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : undefined;
  const parts: string[] = [];
  if (contrast)
    parts.push(
      `scenes where it holds drive the unit to ${num(contrast.meanHigh)} on average (${pct(contrast.hitRate)} fire) ` +
        `against ${num(contrast.meanLow)} for matched scenes where it does not (${pct(contrast.falseRate)} fire)`,
    );
  if (drop !== undefined)
    parts.push(`edits that take it out of top exemplars lower the unit by ${pct(drop)}`);
  const r = trial.candidate.r;
  if (score === undefined) {
    const supported = (r ?? 0) >= SUPPORT_R;
    return {
      status: supported ? 'supported' : 'refuted',
      summary: `no counterfactual could be measured; judged on r ${num(r ?? 0)} over the probe set`,
    };
  }
  return {
    ...(contrast ? { contrast } : {}),
    ...(drop !== undefined ? { drop } : {}),
    score,
    status: score >= SUPPORT ? 'supported' : 'refuted',
    summary: parts.join('; '),
  };
}

/** The trial whose candidate the evidence supports best (supported first, then score, then r). */
export function bestTrial(state: State): { trial: Trial; assessment: Assessment } | undefined {
  const scale = scaleOf(state);
  const assessed = state.trials.filter(Boolean).map((trial) => ({ trial, assessment: assess(trial, scale) }));
  const key = (x: { trial: Trial; assessment: Assessment }) => [
    x.assessment.status === 'supported' ? 1 : 0,
    x.assessment.score ?? -2,
    x.trial.candidate.r ?? -1,
  ];
  return assessed.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return (kb[i] as number) - (ka[i] as number);
    return 0;
  })[0];
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** NetDissect's detector bar. */
const DETECTOR_IOU = 0.04;
/** An r over the probe set this high explains a unit even when its top region is mostly noise (IoU low). */
const EXPLAINING_R = 0.8;

/** Whether a candidate explains the unit at all: it passes the detector bar, or tracks it closely. */
export function explains(candidate: Candidate): boolean {
  return (candidate.iou ?? 0) > DETECTOR_IOU || (candidate.r ?? 0) >= EXPLAINING_R;
}

/**
 * Confidence from the statistics (r over the probe set, IoU against NetDissect's detector bar) and the
 * counterfactuals. A refuted or untested candidate cannot be confident; a unit no concept explains
 * (IoU at most 0.04 and r below 0.8) gets a low confidence whatever else.
 */
export function confidenceOf(candidate: Candidate, assessment: Assessment | undefined): number {
  const r = Math.max(0, candidate.r ?? 0);
  const iou = candidate.iou ?? 0;
  let c = 0.15 + 0.35 * r + 0.1 * Math.min(1, iou / 0.2);
  c += assessment?.score !== undefined ? 0.35 * Math.max(0, assessment.score) : 0.05;
  // Refuted, or never tested by a counterfactual: the statistics alone cannot make it confident.
  if (!assessment || assessment.status === 'refuted' || assessment.score === undefined) c = Math.min(c, 0.45);
  if (!explains(candidate)) c = Math.min(c, 0.25);
  return Math.round(clamp(c, 0.02, 0.97) * 100) / 100;
}

/** The final answer from whatever evidence there is now (also when forced to answer early). */
export function composeAnswer(state: State, withFormula = true): SubmitAnswerArgs {
  const unit = state.unit;
  const unitPart = unit !== undefined ? { unit } : {};
  const search = ok(state.search);
  const stats = ok(state.stats);
  const exemplars = ok(state.exemplars);
  const baseRefs = [exemplars?.ref, stats?.ref, search?.ref].filter((r): r is string => r !== undefined);

  if (unit === undefined) {
    const described = ok(state.describe)?.data.split('\n')[0];
    return {
      description:
        `No unit was named (write one as site:index), so no unit was investigated. ` +
        (described ? `The subject: ${described}` : 'The subject could not be described.'),
      confidence: 0.05,
      evidence: ok(state.describe) ? [ok(state.describe)!.ref] : [],
    };
  }
  const rare = state.rare ? rareAnswer(unit, state, state.rare) : undefined;
  if (rare) return rare;
  if (exemplars && !(exemplars.data.stats.max > exemplars.data.stats.min)) {
    return {
      description: `${unit} is constant (${exemplars.data.stats.max}) over the ${exemplars.data.scenes} probe scenes: it never activates there, so no concept can be matched to it.`,
      confidence: 0.1,
      evidence: baseRefs,
      ...unitPart,
    };
  }

  const property = propertyAnswer(state);
  if (property) return property;

  const best = bestTrial(state);
  const fallback = initialCandidates(
    search && { ref: search.ref, data: search.data },
    stats && { ref: stats.ref, data: stats.data },
    exemplars && { ref: exemplars.ref, data: exemplars.data },
  )[0];
  const chosen = best?.trial.candidate ?? fallback;
  if (!chosen) {
    const errors = [state.exemplars, state.stats, state.search]
      .flatMap((o) => (o && 'error' in o ? [o.error] : []))
      .slice(0, 2);
    return {
      description:
        `No explanation of ${unit} could be found` + (errors.length ? ` (${errors.join('; ')})` : '') + '.',
      confidence: 0.03,
      evidence: baseRefs,
      ...unitPart,
    };
  }
  const assessment = best?.assessment;
  const refs = [...baseRefs, ...chosen.refs];
  if (best) {
    const t = best.trial;
    for (const r of [
      t.hypothesis,
      t.verdict?.hypothesis,
      ok(t.contrast)?.ref,
      ...t.edits.map((e) => ok(e)?.ref),
    ])
      if (r !== undefined) refs.push(r);
  }
  const detector = explains(chosen);
  const numbers =
    chosen.iou !== undefined && chosen.r !== undefined
      ? `IoU ${num(chosen.iou)} with its top-activation region over ${search?.data.scenes ?? 'the'} probe scenes, ` +
        `r ${num(chosen.r)} between its activation and the formula's value`
      : 'matched on the top exemplars and NetDissect IoU';
  const sentences = [
    `${unit} fires on ${chosen.description}.`,
    `Evidence: ${numbers}${assessment?.summary ? `; ${assessment.summary}` : ''}.`,
  ];
  if (!detector)
    sentences.push(
      'No concept passes the NetDissect detector bar (IoU > 0.04) and no formula tracks the unit closely ' +
        '(r ≥ 0.8), so this is a weak best guess.',
    );
  else if (assessment?.status === 'refuted')
    sentences.push(
      'The counterfactuals did not confirm it: it is the best statistical match, not a confirmed explanation.',
    );
  else if (assessment?.score === undefined) sentences.push('It was not tested by counterfactuals.');
  return {
    description: sentences.join(' '),
    ...(withFormula ? { formula: chosen.formula } : {}),
    confidence: confidenceOf(chosen, assessment),
    evidence: [...new Set(refs)],
    ...unitPart,
  };
}
