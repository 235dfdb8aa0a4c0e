import { hashValue } from '../hash.ts';
import { outcomeHash, storedDataJson, type ToolOutcome } from '../tool-outcome.ts';
import type { ToolCall } from '../backbone.ts';
import type { ToolContext } from '../../tools/context.ts';
import { log } from '../../util/log.ts';
import type { ToolCallEvent } from './events.ts';
import type { TranscriptWriter } from './writer.ts';

/** Data results larger than this (JSON characters) go to a blob instead of inline in events.jsonl. */
export const INLINE_DATA_LIMIT = 32_000;

/**
 * Record one tool call as the transcript keeps it: images as blobs, data inline or as a blob, the
 * argument and result hashes `aia replay --verify` checks. The one place that shape is written.
 */
export function appendToolCall(
  transcript: TranscriptWriter,
  record: { step: number; ref: string; call: ToolCall; outcome: ToolOutcome; durationMs: number },
  inlineDataLimit = INLINE_DATA_LIMIT,
): ToolCallEvent {
  const { call, outcome } = record;
  const images = outcome.images.map((image) => ({
    sha256: transcript.putBlob(image.png, 'png', image.sha256),
    caption: image.caption,
  }));
  const json = storedDataJson(outcome.data);
  const dataFields =
    json === undefined
      ? {}
      : json.length <= inlineDataLimit
        ? { data: JSON.parse(json) as unknown }
        : { dataBlob: transcript.putBlob(Buffer.from(json), 'json') };
  return transcript.append({
    type: 'tool_call',
    step: record.step,
    ref: record.ref,
    callId: call.id,
    tool: call.name,
    arguments: call.arguments,
    argsHash: hashValue(call.arguments),
    ok: outcome.ok,
    text: outcome.text,
    images,
    ...dataFields,
    resultHash: outcomeHash(outcome),
    durationMs: record.durationMs,
  }) as ToolCallEvent;
}

/**
 * Hypotheses and the answer get events of their own after the successful call that made them, so a
 * reader need not parse tool results. Whoever drives the tools (the loop, an MCP session) calls this.
 */
export function appendDecisions(
  transcript: TranscriptWriter,
  context: Pick<ToolContext, 'hypotheses' | 'answer'>,
  tool: string,
  ref: string,
): void {
  if (tool === 'record_hypothesis') {
    const hypothesis = context.hypotheses[context.hypotheses.length - 1];
    if (hypothesis) transcript.append({ type: 'hypothesis', ref, hypothesis });
  } else if (tool === 'submit_answer' && context.answer) {
    transcript.append({ type: 'answer', ref, answer: context.answer });
  }
}

/**
 * Record a call that ran, whoever drove it (the loop, an MCP or LangChain session): a tool that failed
 * unexpectedly (a bug, not a call to fix) is logged and noted, then the call, then what it decided.
 */
export function recordToolCall(
  transcript: TranscriptWriter,
  context: Pick<ToolContext, 'hypotheses' | 'answer'>,
  record: {
    step: number;
    ref: string;
    call: ToolCall;
    outcome: ToolOutcome;
    durationMs: number;
    unexpected?: unknown;
  },
): ToolCallEvent {
  const { call, outcome } = record;
  if (record.unexpected !== undefined) {
    // Still reported to the caller, so one broken experiment does not end the investigation.
    log.warn({ tool: call.name, err: record.unexpected }, 'tool failed unexpectedly');
    transcript.append({ type: 'error', where: 'tool', message: `${call.name}: ${outcome.text}` });
  }
  const event = appendToolCall(transcript, record);
  if (outcome.ok) appendDecisions(transcript, context, call.name, record.ref);
  return event;
}
