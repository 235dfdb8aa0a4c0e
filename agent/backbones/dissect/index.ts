import type { Backbone, ModelRequest, ModelResponse } from '../../backbone.ts';
import { ZERO_USAGE } from '../../backbone.ts';
import { planStep } from './plan.ts';
import { classifyQuestion, unitInQuestion } from '../../question.ts';
import { foldBehaviourConversation, planBehaviourStep } from './behaviour/plan.ts';
import { foldConversation, initialState, type State } from './state.ts';
import { foldTextConversation, planTextStep, type TextStep } from './text/plan.ts';

export interface DissectOptions {
  /** The unit to investigate, `site:index`; without it, the one the question names. */
  unit?: string;
  question: string;
  /** Seeds the choices dissect makes (which member draws a category). */
  seed?: number;
}

/**
 * dissect: the offline agent. A real investigation, not canned answers — dataset exemplars, NetDissect
 * IoU, a compositional formula search, then counterfactual tests of the best candidates (matched
 * phrases where the formula holds and where it does not, exact edits of top exemplars), recording each
 * hypothesis and its verdict, and an answer whose confidence follows the evidence (plan.ts).
 *
 * It reads tool results' structured `data` and cites their evidence refs (`[c7]`). It keeps no state:
 * each turn it rebuilds what it knows from the conversation (state.ts), so it is deterministic given
 * the conversation and its seed. Its calls are numbered d1, d2, … across the run.
 */
export class DissectBackbone implements Backbone {
  readonly name = 'dissect';
  readonly model = 'dissect-1';
  private readonly seed: number;

  constructor(private readonly options: DissectOptions) {
    this.seed = options.seed ?? 0;
  }

  async next(request: ModelRequest): Promise<ModelResponse> {
    const forced = typeof request.toolChoice === 'object' && request.toolChoice.name === 'submit_answer';
    const available = availableTools(request, forced);
    const made = request.messages.reduce((n, m) => n + (m.role === 'assistant' ? m.toolCalls.length : 0), 0);
    // A behaviour question about a model that offers the behaviour experiments (behaviour/plan.ts).
    const question = classifyQuestion(this.options.question, this.options.unit);
    if (question.kind === 'behaviour' && available?.has('test_trigger'))
      return this.respond(
        planBehaviourStep(foldBehaviourConversation(request.messages, question.behaviour), { forced }),
        made,
      );
    // Text subjects offer text_exemplars: the same loop, over tokens (text/plan.ts).
    if (available?.has('text_exemplars')) return this.respond(this.textStep(request, forced), made);
    const plan = (state: State, force = false) =>
      planStep(state, {
        seed: this.seed,
        forced: force,
        ...(available ? { available } : {}),
      });
    // Without describe_subject the question's unit is taken at once (there is no subject step to wait for).
    const unit =
      this.options.unit ??
      (available && !available.has('describe_subject') ? unitInQuestion(this.options.question) : undefined);
    const state = foldConversation(
      request.messages,
      initialState(unit),
      (s) => plan(s),
      () => unitInQuestion(this.options.question),
    );
    return this.respond(plan(state, forced), state.calls);
  }

  private textStep(request: ModelRequest, forced: boolean): TextStep {
    const unit = this.options.unit ?? unitInQuestion(this.options.question);
    return planTextStep(foldTextConversation(request.messages, unit), { forced });
  }

  /** The step as a model response; call ids continue from `callsSoFar` (d1, d2, …). */
  private respond(step: TextStep, callsSoFar: number): ModelResponse {
    const toolCalls = step.calls.map((c, k) => ({
      id: `d${callsSoFar + k + 1}`,
      name: c.name,
      arguments: JSON.stringify(c.args),
    }));
    return {
      text: step.text,
      toolCalls,
      stopReason: toolCalls.length > 0 ? 'tool_calls' : 'end_turn',
      usage: { ...ZERO_USAGE },
      model: this.model,
    };
  }
}

/**
 * The tools dissect may plan with: those the request offers (undefined when it lists none: no
 * constraint). A forced final turn offers only submit_answer, yet earlier turns must be re-planned as
 * they were, so then the tools the conversation already used count as offered too.
 */
function availableTools(request: ModelRequest, forced: boolean): Set<string> | undefined {
  const offered = new Set(request.tools.map((t) => t.name));
  if (offered.size === 0) return undefined;
  if (!forced) return offered;
  for (const message of request.messages)
    if (message.role === 'assistant') for (const call of message.toolCalls) offered.add(call.name);
  return offered;
}
