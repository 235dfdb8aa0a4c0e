import type { Backbone, ModelRequest, ModelResponse } from '../../agent/backbone.ts';
import { randomConcept } from './concepts.ts';
import { submitConcept } from './submit.ts';
import { offersTextTools, randomTextConcept } from './text-concepts.ts';

/**
 * The `random` baseline: no experiments, one answer naming a concept drawn from the vocabulary (seeded
 * by the task id, so reruns agree). It runs through the same loop, transcripts and scorers as any
 * agent, so its scores are the floor an agent must clear, measured the same way.
 */
export class RandomBackbone implements Backbone {
  readonly name = 'random';
  readonly model = 'random';

  constructor(private readonly task: { id: string; unit?: string }) {}

  async next(request: ModelRequest): Promise<ModelResponse> {
    const concept = offersTextTools(request) ? randomTextConcept(this.task.id) : randomConcept(this.task.id);
    return submitConcept(this, request, concept, this.task.unit, [], 'a random concept');
  }
}
