import type { Message } from '../../../backbone.ts';
import { answeredCalls } from '../state.ts';
import type { QuestionKind } from '../../../question.ts';

/** The question kinds this plan answers. */
type ModelQuestionKind = Extract<QuestionKind, 'model-reliance' | 'model-comparison'>;
import { describeVerdict, relianceVerdict, RelianceView, type RelianceVerdict } from './verdict.ts';

/**
 * dissect on questions about a whole model (agent/question.ts: model-reliance,
 * model-comparison):
 *   1. describe_subject — what the model is, and the annotated datasets of its input size;
 *   2. model_reliance — on every set of those datasets: accuracy, the alignment of the predicted
 *      class's saliency with each annotated concept (EA_IoU, EA_PG, Shared Interest patterns) and
 *      counterfactual edits of each concept (remove, recolour, move) with the predictions they change;
 *   3. alignment on a few images of the set where the candidate feature and the label disagree most,
 *      for images of where the saliency lies (evidence a reader can look at);
 *   4. record_hypothesis (supported) with the verdict (verdict.ts), then submit_answer naming the
 *      feature and the figures behind it.
 * A comparison question is answered for this subject alone (one subject per run), and says that
 * `aia compare` sets several models side by side. Like the unit planner it keeps no state.
 */

interface Call {
  name: string;
  args: Record<string, unknown>;
}
export interface BehaviourStep {
  text: string;
  calls: Call[];
}

interface RelianceState {
  described: boolean;
  labels: string[];
  reliance?: { ref: string; view?: RelianceView; error?: string };
  /** model_reliance calls made (a call past its time limit is retried once on fewer images). */
  relianceCalls: number;
  images?: { ref: string; error?: string };
  hypothesis?: { ref: string; id?: string };
  submitted: boolean;
  submitFailures: number;
}

/** Images per set when model_reliance is asked again after running past its time limit. */
const RETRY_IMAGES = 100;

function labelsOf(data: unknown): string[] {
  const labels = (data as { output?: { labels?: unknown } } | undefined)?.output?.labels;
  return Array.isArray(labels) ? labels.filter((l): l is string => typeof l === 'string') : [];
}

export function foldRelianceConversation(messages: readonly Message[]): RelianceState {
  const state: RelianceState = {
    described: false,
    labels: [],
    relianceCalls: 0,
    submitted: false,
    submitFailures: 0,
  };
  for (const { call, result, ref, error } of answeredCalls(messages)) {
    switch (call.name) {
      case 'describe_subject':
        state.described = true;
        state.labels = labelsOf(result.data);
        break;
      case 'model_reliance': {
        state.relianceCalls++;
        const parsed = RelianceView.safeParse(result.data);
        state.reliance = {
          ref,
          ...(error ? { error } : parsed.success ? { view: parsed.data } : { error: 'unreadable result' }),
        };
        break;
      }
      case 'alignment':
        state.images = { ref, ...(error ? { error } : {}) };
        break;
      case 'record_hypothesis': {
        const id = (result.data as { hypothesis?: { id?: unknown } } | undefined)?.hypothesis?.id;
        state.hypothesis = { ref, ...(typeof id === 'string' ? { id } : {}) };
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

/** The class a question names ("what does class Trouser rely on?"), among the subject's labels. */
export function classInQuestion(question: string, labels: readonly string[]): string | undefined {
  const q = question.toLowerCase();
  // Longest first, so "Ankle boot" wins over "boot"-like shorter labels.
  return [...labels].sort((a, b) => b.length - a.length).find((l) => q.includes(l.toLowerCase()));
}

/**
 * Images for a closer look: from the set where the feature and the label disagree most (the lowest
 * accuracy), of the class asked about, else of the first class that has images there.
 */
function evidenceImages(
  view: RelianceView,
  cls: string | undefined,
): { dataset: string; set: string; label: string; indices: number[] } | undefined {
  const worst = [...view.reports].sort((a, b) => a.accuracy - b.accuracy)[0];
  const row = worst?.classes.find((c) => (cls === undefined || c.label === cls) && c.examples.length > 0);
  if (!worst || !row) return undefined;
  return { dataset: worst.dataset, set: worst.set, label: row.label, indices: row.examples };
}

export function planRelianceStep(
  state: RelianceState,
  options: { question: string; kind: ModelQuestionKind; forced: boolean; available?: ReadonlySet<string> },
): BehaviourStep {
  const has = (tool: string) => options.available === undefined || options.available.has(tool);
  if (state.submitted) return { text: 'The answer is submitted; nothing more to do.', calls: [] };
  if (state.submitFailures >= 2) return { text: 'submit_answer failed twice; I stop.', calls: [] };
  const view = state.reliance?.view;
  const cls = classInQuestion(options.question, state.labels);
  const verdict = view ? relianceVerdict(view, cls) : undefined;
  const failed = state.reliance?.error;
  if (!options.forced && failed && state.relianceCalls < 2 && /time limit|budget/.test(failed))
    return {
      text: `model_reliance did not finish (${failed.slice(0, 100)}); I ask for fewer images per set.`,
      calls: [{ name: 'model_reliance', args: { images: RETRY_IMAGES } }],
    };
  if (options.forced || !has('model_reliance') || failed) return submit(state, verdict, options.kind);
  if (!state.described && has('describe_subject'))
    return {
      text: 'A question about the whole model: first what the model is and which annotated datasets it can be shown.',
      calls: [{ name: 'describe_subject', args: {} }],
    };
  if (!state.reliance)
    return {
      text:
        'Next: model_reliance over every annotated set — where the saliency of each prediction lies among the ' +
        'annotated concepts (EA_IoU, EA_PG), and how predictions change when each concept is removed, recoloured or moved.',
      calls: [{ name: 'model_reliance', args: {} }],
    };
  if (!verdict) return submit(state, verdict, options.kind);
  const look = view ? evidenceImages(view, cls) : undefined;
  if (!state.images && has('alignment') && look) {
    // One class, so one label's saliency: a model reading the feature shows it on the feature.
    return {
      text:
        `The strongest candidate is the ${verdict.feature.concept}. I look at where the saliency for ` +
        `'${look.label}' lies on ${look.indices.length} of its images in ${look.dataset}/${look.set}.`,
      calls: [
        {
          name: 'alignment',
          args: {
            stimuli: look.indices.map((index) => ({ dataset: look.dataset, set: look.set, index })),
            concept: verdict.feature.concept,
            label: look.label,
            method: 'gradient',
            tolerance_px: 0,
          },
        },
      ],
    };
  }
  if (!state.hypothesis && has('record_hypothesis'))
    return {
      text: 'I record what the measurements say.',
      calls: [
        {
          name: 'record_hypothesis',
          args: {
            text: `The model relies on the ${verdict.feature.concept}${verdict.spurious ? ' (a spurious feature)' : ''}.`,
            status: verdict.feature.reliedOn ? 'supported' : 'refuted',
            evidence: [state.reliance.ref],
          },
        },
      ],
    };
  return submit(state, verdict, options.kind);
}

function submit(
  state: RelianceState,
  verdict: RelianceVerdict | undefined,
  kind: ModelQuestionKind,
): BehaviourStep {
  const refs = [
    state.reliance?.view ? state.reliance.ref : undefined,
    state.images && !state.images.error ? state.images.ref : undefined,
    state.hypothesis?.id,
  ].filter((r): r is string => r !== undefined);
  const compare =
    kind === 'model-comparison'
      ? ' This run studies one model; `aia compare <models…>` sets several side by side.'
      : '';
  if (!verdict)
    return {
      text: 'I answer from what I have.',
      calls: [
        {
          name: 'submit_answer',
          args: {
            description:
              `I could not measure what the model relies on (${state.reliance?.error ?? 'model_reliance was not run'}).` +
              compare,
            confidence: 0.05,
            evidence: refs,
          },
        },
      ],
    };
  const strength = verdict.feature.strength;
  return {
    text: 'I submit the answer with its evidence.',
    calls: [
      {
        name: 'submit_answer',
        args: {
          description: describeVerdict(verdict, refs) + compare,
          confidence: Math.round(Math.min(0.95, 0.5 + strength / 2) * 100) / 100,
          evidence: refs,
        },
      },
    ],
  };
}
