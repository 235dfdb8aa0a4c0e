import { hashValue } from '../../../agent/hash.ts';
import { outcomeOfError, outcomeOfResult, type ToolOutcome } from '../../../agent/tool-outcome.ts';
import type { RunStatus } from '../../../agent/transcript/events.ts';
import { RUN_FORMAT, type RunHeader } from '../../../agent/transcript/header.ts';
import { TranscriptWriter } from '../../../agent/transcript/writer.ts';
import { appendToolCall } from '../../../agent/transcript/tool-call-record.ts';
import {
  createToolContext,
  createVisionRegistry,
  type AnswerRecord,
  type HypothesisRecord,
  type ToolContext,
} from '../../../tools/index.ts';
import { errorMessage } from '../../../util/errors.ts';

/**
 * Records a run directory the way the agent loop does, from a script instead of a model: each step is
 * one model_call event (text and tool calls with raw argument strings) followed, per call, by a
 * tool_call event (ref c1, c2, … across the run, the unprefixed result, images as blobs, data inline
 * or as a JSON blob, resultHash = outcomeHash of the result), a hypothesis event after a successful
 * record_hypothesis and an answer event after submit_answer; then run_end and the final header. The
 * tools really run, on one context for the subject and seed, so `aia replay --verify` can re-run them.
 */

export interface ScriptedCall {
  name: string;
  /** An object (serialised as the model would send it) or the raw argument text itself. */
  args: unknown;
}

export interface ScriptedStep {
  /** What the model said before its calls. */
  text?: string;
  calls: ScriptedCall[];
}

export interface RecordRunOptions {
  dir: string;
  subject: string;
  cacheDir: string;
  steps: ScriptedStep[];
  seed?: number;
  probeSetSize?: number;
  question?: string;
  unit?: string;
  backbone?: string;
  model?: string;
  /** Data whose JSON is longer goes to blobs/<sha>.json (default 16 kB). */
  inlineDataLimit?: number;
  createdAt?: string;
}

export interface RecordedRun {
  dir: string;
  header: RunHeader;
  writer: TranscriptWriter;
}

/** Data as the loop stores it: JSON, typed arrays as plain arrays. */
function rawArguments(args: unknown): string {
  return typeof args === 'string' ? args : JSON.stringify(args);
}

async function runCall(context: ToolContext, name: string, raw: string): Promise<ToolOutcome> {
  const registry = createVisionRegistry();
  try {
    return outcomeOfResult(await registry.call(name, raw, context));
  } catch (error) {
    return outcomeOfError(errorMessage(error));
  }
}

export async function recordRun(options: RecordRunOptions): Promise<RecordedRun> {
  const seed = options.seed ?? 1;
  const probeSetSize = options.probeSetSize ?? 50;
  const model = options.model ?? 'scripted-model';
  const backbone = options.backbone ?? 'scripted';
  const question = options.question ?? 'What does the unit detect?';
  // Assigned through a variable so the extra probeSetSize field (not yet in the schema) is allowed.
  const config = {
    backbone,
    model,
    seed,
    budget: { maxSteps: 40 },
    context: { maxImages: 12, maxRequestTokens: 100_000 },
    cacheMode: 'off',
    probeSetSize,
  };
  const context = await createToolContext(options.subject, {
    seed,
    probeSetSize,
    cacheDir: options.cacheDir,
    progress: false,
  });
  const header: RunHeader = {
    format: RUN_FORMAT,
    id: options.dir.split('/').pop() ?? 'run',
    createdAt: options.createdAt ?? new Date().toISOString(),
    versions: { aia: '0.1.0', node: process.version },
    subject: { ref: options.subject, hash: context.probe.hash, files: [] },
    question,
    ...(options.unit !== undefined ? { unit: options.unit } : {}),
    config,
    status: 'running',
  };
  const writer = new TranscriptWriter(options.dir, header);
  // As the loop does: evidence ids are checked against the calls made so far.
  context.knownRefs = new Set();
  const started = Date.now();
  const limit = options.inlineDataLimit ?? 16_000;
  let callNumber = 0;
  let answer: AnswerRecord | undefined;
  const hypotheses: HypothesisRecord[] = [];
  let usage = { inputTokens: 0, outputTokens: 0 };
  try {
    writer.append({
      type: 'run_start',
      question,
      subject: options.subject,
      ...(options.unit !== undefined ? { unit: options.unit } : {}),
      backbone,
      model,
    });
    for (const [index, scripted] of options.steps.entries()) {
      // The loop counts steps from 1.
      const step = index + 1;
      const toolCalls = scripted.calls.map((call, i) => ({
        id: `toolu_${step}_${i}`,
        name: call.name,
        arguments: rawArguments(call.args),
      }));
      const callUsage = { inputTokens: 1000 + 400 * step, outputTokens: 60 + step };
      usage = {
        inputTokens: usage.inputTokens + callUsage.inputTokens,
        outputTokens: usage.outputTokens + callUsage.outputTokens,
      };
      writer.append({
        type: 'model_call',
        step,
        backbone,
        model,
        requestHash: hashValue({ step, question }),
        requestImages: 0,
        requestTokens: callUsage.inputTokens,
        response: {
          text: scripted.text ?? '',
          toolCalls,
          stopReason: toolCalls.length > 0 ? 'tool_calls' : 'end_turn',
          model: `${model}-20250101`,
        },
        usage: callUsage,
        costUsd: 0.003 * (step + 1),
        durationMs: 500,
        cached: false,
      });
      for (const call of toolCalls) {
        const ref = `c${++callNumber}`;
        const outcome = await runCall(context, call.name, call.arguments);
        appendToolCall(writer, { step, ref, call, outcome, durationMs: 5 }, limit);
        context.knownRefs.add(ref);
        const data = outcome.data as { hypothesis?: HypothesisRecord; answer?: AnswerRecord } | undefined;
        if (outcome.ok && call.name === 'record_hypothesis' && data?.hypothesis) {
          hypotheses.push(data.hypothesis);
          writer.append({ type: 'hypothesis', ref, hypothesis: data.hypothesis });
        }
        if (outcome.ok && call.name === 'submit_answer' && data?.answer) {
          answer = data.answer;
          writer.append({ type: 'answer', ref, answer: data.answer });
        }
      }
    }
    const status: RunStatus = answer ? 'answered' : 'no_answer';
    const wallMs = Date.now() - started;
    const costUsd = options.steps.reduce((sum, _s, index) => sum + 0.003 * (index + 2), 0);
    writer.append({ type: 'run_end', status, steps: options.steps.length, usage, costUsd, wallMs });
    writer.updateHeader({
      status,
      result: {
        ...(answer ? { answer } : {}),
        hypotheses,
        steps: options.steps.length,
        toolCalls: callNumber,
        usage,
        costUsd,
        wallMs,
      },
    });
  } finally {
    writer.close();
    await context.dispose();
  }
  return { dir: options.dir, header: writer.current, writer };
}

/** A short investigation of `synthetic:maia/mono-dog`: fast tools only, one image-producing call. */
export const MONO_DOG_SCRIPT: ScriptedStep[] = [
  { text: 'Let me look at the subject first.', calls: [{ name: 'describe_subject', args: {} }] },
  {
    text: 'I will draw a dog and a cat to compare.',
    calls: [
      { name: 'render_scenes', args: { stimuli: ['a dog on grass', 'a cat on sand'] } },
      { name: 'record_hypothesis', args: { text: 'synthetic:0 detects dogs', evidence: ['c1'] } },
    ],
  },
  {
    text: 'A bad call, then the evidence.',
    calls: [
      { name: 'record_hypothesis', args: { text: 'x', revises: 'h9' } },
      { name: 'render_scenes', args: '{"stimuli": ["a dog"' },
      {
        name: 'record_hypothesis',
        args: { text: 'synthetic:0 detects dogs', status: 'supported', evidence: ['c2'], revises: 'h1' },
      },
    ],
  },
  {
    text: 'Done.',
    calls: [
      {
        name: 'submit_answer',
        args: {
          description: 'the unit detects dogs',
          formula: 'dog',
          confidence: 0.9,
          evidence: ['c2', 'h2'],
        },
      },
    ],
  },
];
