import { z } from 'zod';
import { AnswerRecordSchema, Sha256Hex, UsageRecord } from './events.ts';

/**
 * `run.json`: what a run was (versions, git revision, subject file hashes, configuration, seeds) and,
 * once finished, what it found. Written at the start and rewritten (atomically) at the end, so a run
 * killed mid-way still has its header and `events.jsonl` holds everything it did.
 */
export const RUN_FORMAT = 'aia-run/2';
/** Formats a reader accepts: aia-run/1 runs predate the hash chain and are read without it. */
export const RUN_FORMATS = ['aia-run/1', RUN_FORMAT] as const;

/** What the end of a run commits to: how many events it wrote and the hash of the last line. */
export const ChainRecord = z.object({
  events: z.number().int().min(0),
  last: Sha256Hex,
});
export type ChainRecord = z.infer<typeof ChainRecord>;

export const RunHeader = z.object({
  format: z.enum(RUN_FORMATS),
  id: z.string(),
  createdAt: z.string(),
  versions: z.object({ aia: z.string(), node: z.string(), git: z.string().optional() }),
  subject: z.object({
    ref: z.string(),
    hash: z.string(),
    files: z.array(z.object({ path: z.string(), sha256: z.string() })),
  }),
  question: z.string(),
  unit: z.string().optional(),
  config: z.object({
    backbone: z.string(),
    model: z.string(),
    seed: z.number(),
    /** Scenes in the subject's probe set (tools' results depend on it; verify rebuilds the same set). */
    probeSetSize: z.number().int().optional(),
    budget: z.record(z.string(), z.number()),
    context: z.object({ maxImages: z.number(), maxRequestTokens: z.number() }),
    cacheMode: z.string(),
    /** For replay runs: the run whose model outputs were re-driven. */
    replayOf: z.string().optional(),
  }),
  status: z.enum(['running', 'answered', 'no_answer', 'budget', 'error', 'interrupted']),
  /** The chain head whenever the header is written (aia-run/2): checked against events.jsonl. */
  chain: ChainRecord.optional(),
  result: z
    .object({
      answer: AnswerRecordSchema.optional(),
      hypotheses: z.array(
        z.object({
          id: z.string(),
          text: z.string(),
          status: z.string(),
          evidence: z.array(z.string()),
          revises: z.string().optional(),
        }),
      ),
      steps: z.number(),
      toolCalls: z.number(),
      usage: UsageRecord,
      costUsd: z.number().optional(),
      wallMs: z.number(),
      error: z.string().optional(),
    })
    .optional(),
});
export type RunHeader = z.infer<typeof RunHeader>;
