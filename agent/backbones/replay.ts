import { AiaError } from '../../util/errors.ts';
import type { Backbone, ModelRequest, ModelResponse, NextOptions, StopReason } from '../backbone.ts';
import type { ModelCallEvent, RunEvent } from '../transcript/events.ts';
import { readRun } from '../transcript/read.ts';

/**
 * A backbone that answers with a recorded run's model outputs, in order, so the loop can be driven
 * again without a model: the same tool calls re-run against today's code, and anything that depends
 * on the model alone (cost, usage, the conversation) comes out as recorded. It never looks at the
 * request; callers that want to know whether the conversation still matches compare their request
 * hashes with `recordedRequestHash(step)`.
 */

const STOP_REASONS: readonly StopReason[] = ['tool_calls', 'end_turn', 'max_tokens', 'other'];

function stopReason(recorded: string): StopReason {
  return (STOP_REASONS as readonly string[]).includes(recorded) ? (recorded as StopReason) : 'other';
}

function responseOf(event: ModelCallEvent): ModelResponse {
  const { usage } = event;
  return {
    text: event.response.text,
    toolCalls: event.response.toolCalls.map((call) => ({ ...call })),
    stopReason: stopReason(event.response.stopReason),
    usage: {
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      ...(usage.cacheReadTokens !== undefined ? { cacheReadTokens: usage.cacheReadTokens } : {}),
      ...(usage.cacheWriteTokens !== undefined ? { cacheWriteTokens: usage.cacheWriteTokens } : {}),
    },
    model: event.response.model,
  };
}

export class ReplayBackbone implements Backbone {
  readonly name = 'replay';
  readonly model: string;
  private readonly calls: readonly ModelCallEvent[];
  private position = 0;

  /**
   * @param events the recorded run's events (only its model_call events are used, in seq order)
   * @param source what to call the recording in errors (its directory)
   */
  constructor(
    events: readonly RunEvent[],
    private readonly source = 'the recorded run',
    model?: string,
  ) {
    this.calls = events
      .filter((e): e is ModelCallEvent => e.type === 'model_call')
      .sort((a, b) => a.seq - b.seq);
    this.model = model ?? this.calls[0]?.model ?? 'replay';
  }

  /** A backbone over the run stored in `dir`, reporting the model the run was made with. */
  static fromRun(dir: string): ReplayBackbone {
    const run = readRun(dir);
    return new ReplayBackbone(run.events, run.dir, run.header.config.model);
  }

  /** Model calls recorded. */
  get length(): number {
    return this.calls.length;
  }

  /** Model calls already answered. */
  get used(): number {
    return this.position;
  }

  /** The request hashes of the recorded model calls, in order. */
  get requestHashes(): string[] {
    return this.calls.map((call) => call.requestHash);
  }

  /** The recorded request hash of model call `index` (from 0), if there was one. */
  recordedRequestHash(index: number): string | undefined {
    return this.calls[index]?.requestHash;
  }

  async next(_request: ModelRequest, options?: NextOptions): Promise<ModelResponse> {
    if (options?.signal?.aborted) throw new AiaError('replay aborted', 'ABORTED');
    const call = this.calls[this.position];
    if (call === undefined) {
      // Steps count from 1 here: the user reads "step 5", the fifth model call asked for.
      throw new AiaError(
        `replay diverged at step ${this.position + 1}: ${this.source} recorded only ${this.calls.length} ` +
          `model call${this.calls.length === 1 ? '' : 's'}, and the loop asked for another`,
        'REPLAY_DIVERGED',
      );
    }
    this.position++;
    return responseOf(call);
  }
}
