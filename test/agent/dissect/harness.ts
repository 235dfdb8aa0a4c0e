import { createHash } from 'node:crypto';
import {
  userText,
  type Backbone,
  type ImagePart,
  type Message,
  type ModelRequest,
  type ToolResultPart,
} from '../../../agent/backbone.ts';
import type { ToolContext } from '../../../tools/context.ts';
import type { ToolRegistry } from '../../../tools/registry.ts';
import { errorMessage } from '../../../util/errors.ts';

/**
 * A minimal stand-in for the agent loop, for dissect's tests: it asks the backbone for a step, runs
 * the step's tool calls against a real registry and context, and hands back what the loop hands back
 * (each result's text prefixed `[cN] `, errors as `error: …` with isError, the tool's data), until an
 * answer is accepted or the steps run out; then it forces one final submit_answer turn, as the loop
 * does when a budget is spent. `interfere` may replace a call's result, to simulate tool failures.
 */

export interface HarnessStep {
  text: string;
  calls: { id: string; name: string; args: unknown; ref: string; ok: boolean; text: string; ms: number }[];
  forced: boolean;
}

export interface HarnessRun {
  steps: HarnessStep[];
  status: 'answered' | 'budget' | 'idle';
  messages: Message[];
}

export interface HarnessOptions {
  maxSteps?: number;
  /** Return an error message to fail this call instead of running it. */
  interfere?: (name: string, args: unknown, ref: string) => string | undefined;
}

export async function runBackbone(
  backbone: Backbone,
  registry: ToolRegistry<ToolContext>,
  ctx: ToolContext,
  task: string,
  options: HarnessOptions = {},
): Promise<HarnessRun> {
  const maxSteps = options.maxSteps ?? 40;
  const messages: Message[] = [userText(task)];
  const steps: HarnessStep[] = [];
  let refs = 0;
  // As the loop does: evidence may cite only calls made so far (and recorded hypotheses).
  ctx.knownRefs ??= new Set();
  for (let turn = 0; turn <= maxSteps; turn++) {
    const forced = turn === maxSteps;
    if (forced)
      messages.push(userText('The budget is spent: submit your final answer now with submit_answer.'));
    const request: ModelRequest = {
      system: 'test harness',
      messages: [...messages],
      tools: forced ? registry.specs().filter((s) => s.name === 'submit_answer') : registry.specs(),
      maxOutputTokens: 4096,
      toolChoice: forced ? { name: 'submit_answer' } : 'auto',
    };
    const response = await backbone.next(request);
    messages.push({ role: 'assistant', text: response.text, toolCalls: response.toolCalls });
    const step: HarnessStep = { text: response.text, calls: [], forced };
    steps.push(step);
    if (response.toolCalls.length === 0) return { steps, status: forced ? 'budget' : 'idle', messages };
    const results: ToolResultPart[] = [];
    for (const call of response.toolCalls) {
      const ref = `c${++refs}`;
      const args: unknown = JSON.parse(call.arguments);
      const injected = options.interfere?.(call.name, args, ref);
      let part: ToolResultPart;
      const started = performance.now();
      try {
        if (injected !== undefined) throw new Error(injected);
        const result = await registry.call(call.name, call.arguments, ctx);
        const images: ImagePart[] = result.images.map((image) => ({
          type: 'image',
          sha256: createHash('sha256').update(image.png).digest('hex'),
          png: image.png,
          caption: image.caption,
        }));
        part = {
          callId: call.id,
          name: call.name,
          text: `[${ref}] ${result.text}`,
          images,
          isError: false,
          data: result.data,
        };
      } catch (error) {
        part = {
          callId: call.id,
          name: call.name,
          text: `[${ref}] error: ${errorMessage(error)}`,
          images: [],
          isError: true,
        };
      }
      const ms = Math.round(performance.now() - started);
      step.calls.push({ id: call.id, name: call.name, args, ref, ok: !part.isError, text: part.text, ms });
      results.push(part);
      ctx.knownRefs.add(ref);
    }
    messages.push({ role: 'tool', results });
    if (ctx.answer !== undefined && response.toolCalls.some((c) => c.name === 'submit_answer'))
      return { steps, status: 'answered', messages };
    if (forced) return { steps, status: 'budget', messages };
  }
  return { steps, status: 'budget', messages };
}

/** The run as text, for a failing test's message and for reading. */
export function describeRun(run: HarnessRun): string {
  return run.steps
    .map(
      (s, i) =>
        `step ${i + 1}${s.forced ? ' (forced)' : ''}: ${s.text}\n` +
        s.calls
          .map(
            (c) =>
              `  ${c.id} ${c.name} (${c.ms} ms) ${JSON.stringify(c.args)}\n    → ${c.text.split('\n').slice(0, 4).join('\n      ')}`,
          )
          .join('\n'),
    )
    .join('\n');
}
