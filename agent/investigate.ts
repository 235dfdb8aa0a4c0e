import { join, resolve } from 'node:path';
import type { AnswerRecord, HypothesisRecord } from '../tools/index.ts';
import { defaultCacheRoot } from '../tools/context.ts';
import { openSubject } from '../tools/session.ts';
import { renderPrompt } from '../prompts/index.ts';
import { BEHAVIOURS } from '../subjects/language-model/behaviours.ts';
import { classifyQuestion } from './question.ts';
import type { Backbone, Usage } from './backbone.ts';
import { resolveBackbone, type BackboneName } from './backbones/index.ts';
import { DEFAULT_BUDGET, type BudgetLimits } from './budget.ts';
import { DEFAULT_CONTEXT, type ContextLimits } from './context-window.ts';
import { runLoop } from './loop.ts';
import { ModelCallCache, type CacheMode } from './model-cache.ts';
import { costUsd } from './prices.ts';
import { runVersions } from './versions.ts';
import { RUN_FORMAT, type RunHeader } from './transcript/header.ts';
import type { RunStatus } from './transcript/events.ts';
import { assertNewRunDir, TranscriptWriter } from './transcript/writer.ts';

/**
 * The one entry point for an investigation: what `aia ask` runs and what the benchmark runner drives.
 * It loads the subject, picks the backbone, opens the run directory and runs the loop.
 */
export interface InvestigateOptions {
  /** A subject reference: zoo name, ONNX file, `synthetic:…`. */
  subject: string;
  question: string;
  /** The unit the question is about, `site:index`. */
  unit?: string;
  /** A backbone name (anthropic, openai, dissect, replay, …) or a ready backbone. */
  backbone: BackboneName | Backbone;
  model?: string;
  /** For the replay backbone: the run whose model outputs are re-driven. */
  replayOf?: string;
  budget?: Partial<BudgetLimits>;
  window?: Partial<ContextLimits>;
  /** This run's directory (default `<runsRoot>/<time>-<slug>`). */
  runDir?: string;
  runsRoot?: string;
  seed?: number;
  /** Cache root: probe sets, activations, model calls (default AIA_CACHE_DIR or .cache). */
  cacheDir?: string;
  /** Model-call cache (default: write for hosted backbones, off for offline ones). */
  cacheMode?: CacheMode;
  /** Scenes in the subject's probe set (default 1000). */
  probeSetSize?: number;
  progress?: boolean;
  signal?: AbortSignal;
  /** Output tokens per model call. */
  maxOutputTokens?: number;
  /** Environment to read keys and model names from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface InvestigationResult {
  runDir: string;
  status: RunStatus;
  answer?: AnswerRecord;
  hypotheses: HypothesisRecord[];
  usage: Usage;
  costUsd?: number;
  steps: number;
  toolCalls: number;
  wallMs: number;
  error?: string;
}

/** Backbones that never reach the network: nothing to cache, nothing to pay. */
const OFFLINE_BACKBONES = new Set(['dissect', 'replay', 'random', 'exemplars-only']);

export async function investigate(options: InvestigateOptions): Promise<InvestigationResult> {
  const startedAt = Date.now();
  const cacheDir = resolve(options.cacheDir ?? defaultCacheRoot());
  const seed = options.seed ?? 1;
  const backbone =
    typeof options.backbone === 'string'
      ? await resolveBackbone(options.backbone, {
          question: options.question,
          seed,
          ...(options.unit !== undefined ? { unit: options.unit } : {}),
          ...(options.model !== undefined ? { model: options.model } : {}),
          ...(options.replayOf !== undefined ? { replayOf: options.replayOf } : {}),
          env: options.env ?? process.env,
        })
      : options.backbone;
  const offline = OFFLINE_BACKBONES.has(backbone.name);
  const cacheMode = options.cacheMode ?? (offline ? 'off' : 'write');
  const budget: BudgetLimits = { ...DEFAULT_BUDGET, ...options.budget };
  const window: ContextLimits = { ...DEFAULT_CONTEXT, ...options.window };

  const runDir = resolve(
    options.runDir ?? join(options.runsRoot ?? 'runs', runName(options.question, startedAt)),
  );
  // Before the subject loads: a directory holding another run is refused at once.
  assertNewRunDir(runDir, options.runDir !== undefined ? '--out' : 'the run directory');
  const session = await openSubject(options.subject, {
    cacheDir,
    seed,
    progress: options.progress ?? true,
    ...(options.probeSetSize !== undefined ? { stimuli: options.probeSetSize } : {}),
  });
  const { context } = session;
  try {
    const unit = options.unit !== undefined ? context.canonicalUnit(options.unit) : undefined;
    const header: RunHeader = {
      format: RUN_FORMAT,
      id: runDir.split(/[\\/]/).pop() ?? runDir,
      createdAt: new Date(startedAt).toISOString(),
      versions: runVersions(),
      subject: {
        ref: options.subject,
        hash: session.hash,
        files: session.files,
      },
      question: options.question,
      ...(unit !== undefined ? { unit } : {}),
      config: {
        backbone: backbone.name,
        model: backbone.model,
        seed,
        probeSetSize: session.stimuli,
        budget: { ...budget },
        context: window,
        cacheMode,
        ...(options.replayOf !== undefined ? { replayOf: options.replayOf } : {}),
      },
      status: 'running',
    };
    const transcript = new TranscriptWriter(runDir, header);
    transcript.append({
      type: 'run_start',
      question: options.question,
      subject: options.subject,
      ...(unit !== undefined ? { unit } : {}),
      backbone: backbone.name,
      model: backbone.model,
    });
    const modelCache = new ModelCallCache(join(cacheDir, 'model-calls'), cacheMode);
    try {
      const result = await session.withTools((registry, context) =>
        runLoop({
          backboneName: backbone.name,
          model: backbone.model,
          callModel: (request, signal) =>
            modelCache.call(backbone, request, signal !== undefined ? { signal } : {}),
          registry,
          context,
          transcript,
          system: renderPrompt('system', { maxSteps: budget.maxSteps, maxImages: window.maxImages }),
          task: renderPrompt('task', {
            // A synthetic reference spells out its units' definitions: the model sees only the name.
            subject: session.displayName,
            unitLine: unit !== undefined ? `Unit: \`${unit}\`` : '',
            question: options.question,
            guidance: behaviourGuidance(options.question, unit, registry.names()),
          }),
          budget,
          window,
          cost: (usage) => (offline ? 0 : costUsd(backbone.model, usage)),
          maxOutputTokensPerCall: options.maxOutputTokens ?? 4096,
          ...(options.signal !== undefined ? { signal: options.signal } : {}),
        }),
      );
      const wallMs = Date.now() - startedAt;
      transcript.updateHeader({
        status: result.status,
        result: {
          ...(context.answer !== undefined ? { answer: context.answer } : {}),
          hypotheses: context.hypotheses,
          steps: result.steps,
          toolCalls: result.toolCalls,
          usage: result.usage,
          ...(result.costUsd !== undefined ? { costUsd: result.costUsd } : {}),
          wallMs,
          ...(result.error !== undefined ? { error: result.error } : {}),
        },
      });
      return {
        runDir,
        status: result.status,
        ...(context.answer !== undefined ? { answer: context.answer } : {}),
        hypotheses: [...context.hypotheses],
        usage: result.usage,
        ...(result.costUsd !== undefined ? { costUsd: result.costUsd } : {}),
        steps: result.steps,
        toolCalls: result.toolCalls,
        wallMs,
        ...(result.error !== undefined ? { error: result.error } : {}),
      };
    } catch (error) {
      // A bug in the loop itself: the transcript still says how the run ended.
      const message = error instanceof Error ? error.message : String(error);
      transcript.append({ type: 'error', where: 'loop', message });
      // The run still ends on record, so its end is committed to and a reader can tell it finished.
      transcript.append({
        type: 'run_end',
        status: 'error',
        steps: 0,
        usage: { inputTokens: 0, outputTokens: 0 },
        wallMs: Date.now() - startedAt,
      });
      transcript.updateHeader({ status: 'error' });
      throw error;
    } finally {
      transcript.close();
    }
  } finally {
    await context.dispose();
  }
}

/** A run directory name: the start time and a slug of the question. */
export function runName(question: string, time: number): string {
  const stamp = new Date(time).toISOString().replace(/[:.]/g, '-').replace('Z', '');
  const slug = question
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  return `${stamp}-${slug || 'run'}`;
}

/**
 * For a question about a behaviour (no unit) on a subject that offers the behaviour experiments, how to
 * investigate it; otherwise nothing.
 */
function behaviourGuidance(question: string, unit: string | undefined, tools: readonly string[]): string {
  const asked = classifyQuestion(question, unit);
  if (asked.kind !== 'behaviour' || !tools.includes('test_trigger')) return '';
  return `\n${renderPrompt('behaviour', { behaviour: `${asked.behaviour}: ${BEHAVIOURS[asked.behaviour].description}` })}`;
}
