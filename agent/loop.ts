import type { InvestigationContext } from '../tools/investigation/state.ts';
import { DEFAULT_TOOL_CALL_BUDGET, type ToolCallBudget } from '../tools/call-budget.ts';
import type { ToolRegistry, ToolSpec } from '../tools/registry.ts';
import { errorMessage } from '../util/errors.ts';
import { renderPrompt } from '../prompts/index.ts';
import {
  addUsage,
  userText,
  ZERO_USAGE,
  type ImagePart,
  type Message,
  type ModelRequest,
  type ModelResponse,
  type ToolCall,
  type ToolResultPart,
  type Usage,
} from './backbone.ts';
import { exhausted, remainingMs, type BudgetLimits, type BudgetState } from './budget.ts';
import { boundMessages, estimateTokens, type ContextLimits } from './context-window.ts';
import { evidenceText, executeToolCall, outcomeOfError } from './tool-outcome.ts';
import { recordToolCall } from './transcript/tool-call-record.ts';
import type { TranscriptWriter } from './transcript/writer.ts';
import type { RunStatus } from './transcript/events.ts';

/**
 * The investigation loop: ask the backbone for the next step, run its tool calls, give the results
 * back, until it submits an answer or a budget runs out (then it is asked once for its final answer).
 * Everything that happens is appended to the transcript as it happens. Malformed calls (bad JSON,
 * schema violations, unknown tools) go back to the model as tool errors and the loop goes on.
 */

/** How the loop reaches the model: the backbone, usually through the model-call cache. */
export type ModelCaller = (
  request: ModelRequest,
  signal?: AbortSignal,
) => Promise<{ response: ModelResponse; cached: boolean; hash: string }>;

export interface LoopOptions<Ctx extends InvestigationContext = InvestigationContext> {
  backboneName: string;
  model: string;
  callModel: ModelCaller;
  registry: ToolRegistry<Ctx>;
  context: Ctx;
  transcript: TranscriptWriter;
  system: string;
  task: string;
  budget: BudgetLimits;
  window: ContextLimits;
  /** USD of one call's usage; undefined when the model has no known price. */
  cost: (usage: Usage) => number | undefined;
  maxOutputTokensPerCall: number;
  /** What one tool call may cost (default DEFAULT_TOOL_CALL_BUDGET); its time limit is also capped
   *  by what is left of the run's wall-clock budget. */
  toolBudget?: ToolCallBudget;
  signal?: AbortSignal;
}

export interface LoopResult {
  status: RunStatus;
  steps: number;
  toolCalls: number;
  usage: Usage;
  costUsd?: number;
  error?: string;
}

/** Turns in a row without a tool call before the loop gives up on the model. */
const MAX_IDLE_TURNS = 2;

export async function runLoop<Ctx extends InvestigationContext>(
  options: LoopOptions<Ctx>,
): Promise<LoopResult> {
  const { context, transcript, registry } = options;
  const specs = registry.specs();
  const fixedTokens = estimateTokens(options.system) + estimateTokens(JSON.stringify(specs));
  const messages: Message[] = [userText(options.task)];
  const state: BudgetState = {
    steps: 0,
    usage: { ...ZERO_USAGE },
    costUsd: 0,
    startedAt: Date.now(),
    toolMs: 0,
  };
  context.knownRefs ??= new Set();
  let priced = true;
  let toolCalls = 0;
  let finalTurn = false;
  let idleTurns = 0;
  let status: RunStatus | undefined;
  let failure: string | undefined;

  while (status === undefined) {
    if (options.signal?.aborted) {
      status = 'interrupted';
      break;
    }
    const over = finalTurn ? undefined : exhausted(options.budget, state);
    if (over) {
      transcript.append({ type: 'budget', limit: over.limit, detail: over.detail });
      messages.push(userText(renderPrompt('final-answer', { detail: over.detail })));
      finalTurn = true;
    }

    const bounded = boundMessages(messages, options.window, fixedTokens);
    const request: ModelRequest = {
      system: options.system,
      messages: bounded.messages,
      tools: finalTurn ? onlyAnswerTool(specs) : specs,
      maxOutputTokens: options.maxOutputTokensPerCall,
      toolChoice: finalTurn ? { name: 'submit_answer' } : 'auto',
    };

    const started = performance.now();
    let call: Awaited<ReturnType<ModelCaller>>;
    try {
      call = await options.callModel(request, options.signal);
    } catch (error) {
      if (options.signal?.aborted) {
        status = 'interrupted';
        break;
      }
      failure = errorMessage(error);
      transcript.append({ type: 'error', where: 'model', message: failure });
      status = 'error';
      break;
    }
    const { response } = call;
    state.steps++;
    state.usage = addUsage(state.usage, response.usage);
    const cost = options.cost(response.usage);
    if (cost === undefined) priced = false;
    else state.costUsd += cost;
    transcript.append({
      type: 'model_call',
      step: state.steps,
      backbone: options.backboneName,
      model: options.model,
      requestHash: call.hash,
      requestImages: bounded.images,
      requestTokens: bounded.tokens,
      response: {
        text: response.text,
        toolCalls: response.toolCalls,
        stopReason: response.stopReason,
        model: response.model,
      },
      usage: response.usage,
      ...(cost !== undefined ? { costUsd: cost } : {}),
      durationMs: Math.round(performance.now() - started),
      cached: call.cached,
      ...(finalTurn ? { final: true } : {}),
    });
    messages.push({ role: 'assistant', text: response.text, toolCalls: response.toolCalls });

    if (response.toolCalls.length === 0) {
      if (finalTurn) status = 'budget';
      else if (++idleTurns >= MAX_IDLE_TURNS) status = 'no_answer';
      else messages.push(userText(renderPrompt('continue')));
      continue;
    }
    idleTurns = 0;

    const results: ToolResultPart[] = [];
    for (const toolCall of response.toolCalls) {
      const ref = `c${++toolCalls}`;
      results.push(await runToolCall(options, toolCall, ref, state, finalTurn));
      context.knownRefs.add(ref);
    }
    messages.push({ role: 'tool', results });

    if (context.answer !== undefined && response.toolCalls.some((c) => c.name === 'submit_answer'))
      status = 'answered';
    else if (finalTurn) status = 'budget';
  }

  const result: LoopResult = {
    status,
    steps: state.steps,
    toolCalls,
    usage: state.usage,
    ...(priced ? { costUsd: state.costUsd } : {}),
    ...(failure !== undefined ? { error: failure } : {}),
  };
  transcript.append({
    type: 'run_end',
    status,
    steps: state.steps,
    usage: state.usage,
    ...(priced ? { costUsd: state.costUsd } : {}),
    wallMs: Date.now() - state.startedAt,
    toolMs: Math.round(state.toolMs),
  });
  return result;
}

function onlyAnswerTool(specs: ToolSpec[]): ToolSpec[] {
  return specs.filter((spec) => spec.name === 'submit_answer');
}

/**
 * Run one call, record it, and build what the model reads: its text prefixed with the evidence id.
 * Its time counts against the run's wall-clock budget: it may run at most what is left of it, and a
 * call that finds the budget spent is not run (the model reads why; it is asked for its answer next).
 * The forced final turn's calls run under the per-call limit alone, so the answer can be recorded.
 */
async function runToolCall<Ctx extends InvestigationContext>(
  options: LoopOptions<Ctx>,
  call: ToolCall,
  ref: string,
  state: BudgetState,
  finalTurn: boolean,
): Promise<ToolResultPart> {
  const { context, transcript } = options;
  const step = state.steps;
  const started = performance.now();
  const perCall = options.toolBudget ?? DEFAULT_TOOL_CALL_BUDGET;
  const left = finalTurn ? perCall.maxMs : remainingMs(options.budget, state);
  const { outcome, unexpected } =
    left <= 0
      ? {
          outcome: outcomeOfError(
            `${call.name} not run: the run's time budget (${options.budget.maxWallSeconds} s) is spent`,
          ),
          unexpected: undefined,
        }
      : await executeToolCall(options.registry, context, call.name, call.arguments, {
          budget: { ...perCall, maxMs: Math.min(perCall.maxMs, left) },
          ...(options.signal !== undefined ? { signal: options.signal } : {}),
        });
  state.toolMs += performance.now() - started;
  const durationMs = Math.round(performance.now() - started);
  recordToolCall(transcript, context, { step, ref, call, outcome, durationMs, unexpected });
  const images: ImagePart[] = outcome.images.map((image) => ({ type: 'image', ...image }));
  return {
    callId: call.id,
    name: call.name,
    text: evidenceText(ref, outcome),
    images,
    isError: !outcome.ok,
    ...(outcome.data !== undefined ? { data: outcome.data } : {}),
  };
}
