import type { Backbone, ModelRequest, ModelResponse } from '../../agent/backbone.ts';
import { conceptDescription, conceptFormula } from './concepts.ts';
import { answered, callCount, callTool, finish } from './conversation.ts';

/**
 * Submit `concept` as description and formula, then end. If the submission is refused (an evidence
 * id or unit the loop does not accept) it is retried once as a bare description; after that, end.
 */
export function submitConcept(
  backbone: Backbone,
  request: ModelRequest,
  concept: string,
  unit: string | undefined,
  evidence: string[],
  why: string,
): ModelResponse {
  const { messages } = request;
  if (answered(messages)) return finish(backbone, 'Answer submitted.');
  const attempts = callCount(messages, 'submit_answer');
  if (attempts >= 2) return finish(backbone, 'The answer was refused twice; stopping.');
  const first = attempts === 0;
  return callTool(
    backbone,
    request,
    'submit_answer',
    {
      description: conceptDescription(concept),
      ...(first ? { formula: conceptFormula(concept) } : {}),
      confidence: 0.5,
      evidence: first ? evidence : [],
      ...(first && unit !== undefined ? { unit } : {}),
    },
    `Answering with ${why}: ${concept}.`,
  );
}
