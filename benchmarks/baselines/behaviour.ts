import type { Backbone, ModelRequest, ModelResponse } from '../../agent/backbone.ts';
import { createRandom, hashString, pick } from '../../util/random.ts';
import { answered, callCount, callTool, evidenceId, finish, lastResult } from './conversation.ts';

/**
 * The baselines on questions about a whole model ("does this model rely on a spurious feature?").
 * Both look only at describe_subject (free: what the model is and which annotated datasets it can be
 * shown, with their concepts) and run no experiment on the model:
 *
 * - `random`: a seeded coin for the verdict and a seeded draw of the concept named;
 * - `exemplars-only`: what the dataset's images show, read as MILAN reads exemplars — the concept the
 *   label names (the `object` concept: the garment) — and so always "no spurious feature". Where a
 *   model relies on what its images show, this is right; where it relies on a shortcut, it is not.
 */

export type BehaviourBaselineKind = 'random' | 'exemplars-only';

interface ConceptInfo {
  name: string;
  role: string;
}

function datasetConcepts(data: unknown): ConceptInfo[] {
  const datasets = (data as { datasets?: unknown } | undefined)?.datasets;
  if (!Array.isArray(datasets)) return [];
  return datasets.flatMap((d) => {
    const concepts = (d as { concepts?: unknown }).concepts;
    return Array.isArray(concepts)
      ? concepts.filter(
          (c): c is ConceptInfo =>
            typeof (c as ConceptInfo).name === 'string' && typeof (c as ConceptInfo).role === 'string',
        )
      : [];
  });
}

export class BehaviourBaseline implements Backbone {
  readonly name: string;
  readonly model: string;

  constructor(
    private readonly kind: BehaviourBaselineKind,
    private readonly taskId: string,
  ) {
    this.name = kind;
    this.model = kind;
  }

  async next(request: ModelRequest): Promise<ModelResponse> {
    const { messages } = request;
    if (answered(messages)) return finish(this, 'Answer submitted.');
    if (callCount(messages, 'submit_answer') >= 2)
      return finish(this, 'The answer was refused twice; stopping.');
    const described = lastResult(messages, 'describe_subject');
    const forced = typeof request.toolChoice === 'object';
    if (!described && !forced)
      return callTool(
        this,
        request,
        'describe_subject',
        {},
        'Looking at what the model is and what it can be shown.',
      );
    const concepts = described && !described.isError ? datasetConcepts(described.data) : [];
    const ref = described ? evidenceId(described) : undefined;
    const { spurious, concept } = this.choose(concepts);
    const description =
      concept === undefined
        ? 'No annotated concept to name.'
        : spurious
          ? `Yes: the model relies on the ${concept}, a spurious feature.`
          : `No: the model does not rely on a spurious feature; it relies on the ${concept}.`;
    return callTool(
      this,
      request,
      'submit_answer',
      {
        description,
        confidence: 0.5,
        evidence: ref !== undefined && callCount(messages, 'submit_answer') === 0 ? [ref] : [],
      },
      `Answering without experiments (${this.kind}).`,
    );
  }

  private choose(concepts: readonly ConceptInfo[]): { spurious: boolean; concept?: string } {
    if (this.kind === 'exemplars-only') {
      const object = concepts.find((c) => c.role === 'object') ?? concepts[0];
      return { spurious: false, ...(object ? { concept: object.name } : {}) };
    }
    const random = createRandom(hashString(this.taskId));
    const spurious = random() < 0.5;
    return { spurious, ...(concepts.length ? { concept: pick(random, concepts).name } : {}) };
  }
}
