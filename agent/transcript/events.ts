import { z } from 'zod';

/**
 * The typed records of a run's `events.jsonl` (one JSON object per line, appended and flushed as each
 * happens, so a run killed mid-way leaves every finished step readable). Images are never inline:
 * they are `blobs/<sha256>.png` and events name them by hash. Schemas are zod so a reader can name
 * exactly what is wrong with a corrupt line.
 */

export const UsageRecord = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheReadTokens: z.number().optional(),
  cacheWriteTokens: z.number().optional(),
});

/** A sha256 as lowercase hex: blob names, line hashes. */
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha256 (64 lowercase hex digits)');

const ImageRef = z.object({ sha256: Sha256Hex, caption: z.string() });

const ToolCallRecord = z.object({ id: z.string(), name: z.string(), arguments: z.string() });

const base = {
  /** Position in the file, from 1. */
  seq: z.number().int().min(1),
  /** ISO time. */
  time: z.string(),
  /**
   * The hash chain: sha256 of the previous line of events.jsonl exactly as written (for the first
   * event, `chainSeed(run id)`), so a line changed, removed or inserted breaks every link after it.
   * Absent only in runs written before the chain (format aia-run/1).
   */
  prev: Sha256Hex.optional(),
};

export const RunStartEvent = z.object({
  ...base,
  type: z.literal('run_start'),
  question: z.string(),
  subject: z.string(),
  unit: z.string().optional(),
  backbone: z.string(),
  model: z.string(),
});

export const ModelCallEvent = z.object({
  ...base,
  type: z.literal('model_call'),
  step: z.number().int().min(0),
  backbone: z.string(),
  model: z.string(),
  /** Canonical hash of the request (the model-call cache key). */
  requestHash: z.string(),
  /** Images the request carried after context bounding. */
  requestImages: z.number().int().min(0),
  /** Estimated tokens of the request after context bounding. */
  requestTokens: z.number().int().min(0),
  response: z.object({
    text: z.string(),
    toolCalls: z.array(ToolCallRecord),
    stopReason: z.string(),
    model: z.string(),
  }),
  usage: UsageRecord,
  /** USD, from the price table; absent when the model has no known price. */
  costUsd: z.number().optional(),
  durationMs: z.number(),
  /** Served from the model-call cache. */
  cached: z.boolean(),
  /** The final-answer turn forced after a budget ran out. */
  final: z.boolean().optional(),
});

export const ToolCallEvent = z.object({
  ...base,
  type: z.literal('tool_call'),
  step: z.number().int().min(0),
  /** The evidence id the model sees and cites: c1, c2, … */
  ref: z.string(),
  /** The model's id for the call. */
  callId: z.string(),
  tool: z.string(),
  /** Raw argument text as the model sent it. */
  arguments: z.string(),
  argsHash: z.string(),
  ok: z.boolean(),
  /** The result text (or, when !ok, the error message the model got). */
  text: z.string(),
  images: z.array(ImageRef),
  /** The tool's structured result, when it fits (else in `dataBlob`). */
  data: z.unknown().optional(),
  /** sha256 of a `blobs/<sha256>.json` holding a data result too large to keep inline. */
  dataBlob: z.string().optional(),
  /** Hash of text + image hashes + data: what `aia replay --verify` compares. */
  resultHash: z.string(),
  durationMs: z.number(),
});

export const HypothesisEvent = z.object({
  ...base,
  type: z.literal('hypothesis'),
  /** The tool call that recorded it. */
  ref: z.string(),
  hypothesis: z.object({
    id: z.string(),
    text: z.string(),
    status: z.enum(['proposed', 'supported', 'refuted']),
    evidence: z.array(z.string()),
    revises: z.string().optional(),
  }),
});

/** The agent's answer as submit_answer records it. */
export const AnswerRecordSchema = z.object({
  description: z.string(),
  formula: z.string().optional(),
  confidence: z.number(),
  evidence: z.array(z.string()),
  unit: z.string().optional(),
});

export const AnswerEvent = z.object({
  ...base,
  type: z.literal('answer'),
  ref: z.string(),
  answer: AnswerRecordSchema,
});

export const BudgetEvent = z.object({
  ...base,
  type: z.literal('budget'),
  /** Which limit ran out: steps, input_tokens, output_tokens, cost, time. */
  limit: z.string(),
  detail: z.string(),
});

export const ErrorEvent = z.object({
  ...base,
  type: z.literal('error'),
  message: z.string(),
  /** Where it happened: model, tool, loop. */
  where: z.string(),
});

/** How a run ended. */
export const RunStatusSchema = z.enum(['answered', 'no_answer', 'budget', 'error', 'interrupted']);

export const RunEndEvent = z.object({
  ...base,
  type: z.literal('run_end'),
  status: RunStatusSchema,
  steps: z.number().int().min(0),
  usage: UsageRecord,
  costUsd: z.number().optional(),
  wallMs: z.number(),
  /** Of wallMs, the time spent in tool calls. */
  toolMs: z.number().optional(),
});

export const RunEvent = z.discriminatedUnion('type', [
  RunStartEvent,
  ModelCallEvent,
  ToolCallEvent,
  HypothesisEvent,
  AnswerEvent,
  BudgetEvent,
  ErrorEvent,
  RunEndEvent,
]);

export type RunEvent = z.infer<typeof RunEvent>;
export type RunStartEvent = z.infer<typeof RunStartEvent>;
export type ModelCallEvent = z.infer<typeof ModelCallEvent>;
export type ToolCallEvent = z.infer<typeof ToolCallEvent>;
export type HypothesisEvent = z.infer<typeof HypothesisEvent>;
export type AnswerEvent = z.infer<typeof AnswerEvent>;
export type BudgetEvent = z.infer<typeof BudgetEvent>;
export type ErrorEvent = z.infer<typeof ErrorEvent>;
export type RunEndEvent = z.infer<typeof RunEndEvent>;
export type RunStatus = RunEndEvent['status'];

/** An event before the writer gives it its place, time and link in the chain. */
export type NewEvent = RunEvent extends infer E
  ? E extends RunEvent
    ? Omit<E, 'seq' | 'time' | 'prev'>
    : never
  : never;
