import { join, resolve } from 'node:path';
import type { AnswerRecord, HypothesisRecord } from '../tools/index.ts';
import { defaultCacheRoot, type WorkProgress } from '../tools/context.ts';
import type { ToolSpec } from '../tools/registry.ts';
import { openSubject, type SubjectSession } from '../tools/session.ts';
import { AiaError, errorMessage } from '../util/errors.ts';
import { log } from '../util/log.ts';
import { ZERO_USAGE } from './backbone.ts';
import { DEFAULT_CONTEXT, type ContextLimits } from './context-window.ts';
import { runName } from './investigate.ts';
import { executeToolCall, type ToolOutcome } from './tool-outcome.ts';
import { RUN_FORMAT, type RunHeader } from './transcript/header.ts';
import type { RunStatus } from './transcript/events.ts';
import { recordToolCall } from './transcript/tool-call-record.ts';
import { TranscriptWriter } from './transcript/writer.ts';
import { runVersions } from './versions.ts';

/**
 * A run driven from outside aia's loop: an MCP client (Claude Desktop, Claude Code, Cursor) or a
 * LangChain agent calls aia's tools one at a time, and each call is recorded exactly as the loop
 * records it (same tool_call events, blobs, hypothesis and answer events, evidence refs c1, c2, …), so
 * `aia report` renders the run and `aia replay --verify` re-runs it. One run per subject: switching
 * subject finishes the current run and opens the next, because a run's header names one subject and
 * verify rebuilds that one.
 *
 * Calls run one after another in arrival order, even when a client sends them at once: refs, the
 * hypotheses tools record and the evidence checks depend on that order, and replay re-runs it.
 */

export interface SessionOptions {
  /** The subject reference (zoo name, ONNX file, `synthetic:…`). */
  subject: string;
  /** What drives the tools, recorded as the run's backbone: `mcp`, `langchain-tools`. */
  driver: string;
  /** Who is on the other side, recorded as the run's model (an MCP client's name and version). */
  client?: string;
  /** The question the run is about, when the driver knows it (default: "<driver> session (<client>)"). */
  question?: string;
  /** The unit the question is about, `site:index`. */
  unit?: string;
  /** Where run directories go (default `runs`). */
  runsRoot?: string;
  /** The first run's directory (default `<runsRoot>/<time>-<slug>`); later runs always get a new name. */
  runDir?: string;
  /** Seeds the probe set and seeded tools (default 1). */
  seed?: number;
  /** Stimuli in the subject's default set: scenes of the probe set (default 1000), or texts of a text subject's set. */
  probeSetSize?: number;
  /** Cache root (default AIA_CACHE_DIR or .cache). */
  cacheDir?: string;
  /** Progress of long work on stderr (TTY only; default false: stdio sessions own no terminal). */
  progress?: boolean;
  /** Limits the driver applies to what one result may carry, recorded in the header. */
  limits?: ContextLimits;
}

export interface SessionCallOptions {
  /** Aborted when the caller gives up: a call still waiting never runs; a running one stops early. */
  signal?: AbortSignal;
  /** Progress of the call's long work (probe-set rendering, activations). */
  onProgress?: (update: WorkProgress) => void;
}

/** One recorded call: its evidence ref and what the tool gave back (or the error the caller gets). */
export interface SessionCall {
  ref: string;
  tool: string;
  outcome: ToolOutcome;
  /** The run directory it was recorded in. */
  runDir: string;
}

/** A call the caller cancelled before it finished: nothing of it is recorded as a tool call. */
export class CallCancelledError extends AiaError {
  constructor(tool: string) {
    super(`${tool} was cancelled before it finished`, 'CANCELLED');
    this.name = 'CallCancelledError';
  }
}

/** What the session tells about its current run. */
export interface SessionRunInfo {
  runDir: string;
  subject: string;
  question: string;
  unit?: string;
  calls: number;
  hypotheses: HypothesisRecord[];
  answer?: AnswerRecord;
}

/** One run of the session: a subject (its tools and context) and the transcript its calls go to. */
interface ActiveRun {
  subject: string;
  question: string;
  unit?: string;
  session: SubjectSession;
  transcript: TranscriptWriter;
  knownRefs: Set<string>;
  calls: number;
  startedAt: number;
}

/** The call running now, so long work reports to it and stops when it is cancelled. */
interface RunningCall {
  tool: string;
  signal: AbortSignal | undefined;
  onProgress: ((update: WorkProgress) => void) | undefined;
  stopped: boolean;
}

export class RecordedSession {
  private run: ActiveRun | undefined;
  private running: RunningCall | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private firstRunDir: string | undefined;

  private constructor(private readonly options: SessionOptions) {
    this.firstRunDir = options.runDir;
  }

  /** Load the subject and open the first run. */
  static async open(options: SessionOptions): Promise<RecordedSession> {
    const session = new RecordedSession(options);
    session.run = await session.openRun(options.subject, options.question, options.unit);
    return session;
  }

  /** The current subject's tools as a model is told of them (a text subject's differ from a vision one's). */
  specs(): ToolSpec[] {
    return this.current().session.withTools((registry) => registry.specs());
  }

  /** The current run: where it is written, its subject, what it found so far. */
  info(): SessionRunInfo {
    const run = this.current();
    return {
      runDir: run.transcript.dir,
      subject: run.subject,
      question: run.question,
      ...(run.unit !== undefined ? { unit: run.unit } : {}),
      calls: run.calls,
      hypotheses: [...run.session.context.hypotheses],
      ...(run.session.context.answer !== undefined ? { answer: run.session.context.answer } : {}),
    };
  }

  /**
   * Run one tool call from its raw argument text (as a client sent it) and record it. Errors a caller
   * can fix (unknown tool, invalid arguments, a bad unit) come back as an outcome with `ok: false`,
   * recorded like any call; a call cancelled before it finished throws CallCancelledError.
   */
  call(tool: string, rawArguments: string, options: SessionCallOptions = {}): Promise<SessionCall> {
    return this.serial(() => this.runCall(tool, rawArguments, options));
  }

  /**
   * Finish the current run and open a new one on another subject (or the same subject with another
   * question). Returns the finished run's directory and the new one's.
   */
  switchSubject(
    subject: string,
    about: { question?: string; unit?: string } = {},
  ): Promise<{ finished: string; runDir: string }> {
    return this.serial(async () => {
      // Load the new subject first: a reference that does not load leaves the current run going.
      const next = await this.openRun(subject, about.question, about.unit);
      const finished = this.finishRun(this.current());
      this.run = next;
      await finished.dispose;
      return { finished: finished.runDir, runDir: next.transcript.dir };
    });
  }

  /** Finish the current run (run_end, final header) and release the subject. Idempotent. */
  close(): Promise<void> {
    return this.serial(async () => {
      if (this.closed || !this.run) return;
      this.closed = true;
      await this.finishRun(this.run).dispose;
      this.run = undefined;
    });
  }

  private current(): ActiveRun {
    if (this.closed || !this.run) throw new AiaError('the session is closed', 'SESSION_CLOSED');
    return this.run;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async runCall(
    tool: string,
    rawArguments: string,
    options: SessionCallOptions,
  ): Promise<SessionCall> {
    const run = this.current();
    if (options.signal?.aborted) throw new CallCancelledError(tool);
    const running: RunningCall = {
      tool,
      signal: options.signal,
      onProgress: options.onProgress,
      stopped: false,
    };
    this.running = running;
    const started = performance.now();
    let result: Awaited<ReturnType<typeof executeToolCall>>;
    try {
      result = await run.session.withTools((registry, context) =>
        executeToolCall(registry, context, tool, rawArguments),
      );
    } finally {
      this.running = undefined;
    }
    if (running.stopped) {
      // Not a tool call of the run (it gave no result), but a reader should know it was asked for.
      run.transcript.append({ type: 'error', where: 'tool', message: `${tool}: cancelled by the client` });
      throw new CallCancelledError(tool);
    }
    const { outcome, unexpected } = result;
    run.calls += 1;
    const ref = `c${run.calls}`;
    // Each call is its own step: there is no model turn to group calls by.
    recordToolCall(run.transcript, run.session.context, {
      step: run.calls,
      ref,
      call: { id: ref, name: tool, arguments: rawArguments },
      outcome,
      durationMs: Math.round(performance.now() - started),
      unexpected,
    });
    run.knownRefs.add(ref);
    return { ref, tool, outcome, runDir: run.transcript.dir };
  }

  /** Long work of the running call reports here; a cancelled call's work stops at its next report. */
  private onWork(update: WorkProgress): void {
    const running = this.running;
    if (!running) return;
    if (running.signal?.aborted) {
      running.stopped = true;
      throw new CallCancelledError(running.tool);
    }
    try {
      running.onProgress?.(update);
    } catch (error) {
      log.debug({ err: error }, 'progress listener failed');
    }
  }

  private async openRun(subject: string, question?: string, unit?: string): Promise<ActiveRun> {
    const options = this.options;
    const startedAt = Date.now();
    const seed = options.seed ?? 1;
    const cacheDir = resolve(options.cacheDir ?? defaultCacheRoot());
    const session = await openSubject(subject, {
      cacheDir,
      seed,
      progress: options.progress ?? false,
      vision: { onProgress: (update) => this.onWork(update) },
      ...(options.probeSetSize !== undefined ? { stimuli: options.probeSetSize } : {}),
    });
    const { context } = session;
    try {
      const unitId = unit !== undefined ? context.canonicalUnit(unit) : undefined;
      const asked = question ?? `${options.driver} session${options.client ? ` (${options.client})` : ''}`;
      const runDir = resolve(this.firstRunDir ?? join(options.runsRoot ?? 'runs', runName(asked, startedAt)));
      this.firstRunDir = undefined;
      const header: RunHeader = {
        format: RUN_FORMAT,
        id: runDir.split(/[\\/]/).pop() ?? runDir,
        createdAt: new Date(startedAt).toISOString(),
        versions: runVersions(),
        subject: { ref: subject, hash: session.hash, files: session.files },
        question: asked,
        ...(unitId !== undefined ? { unit: unitId } : {}),
        config: {
          backbone: options.driver,
          model: options.client ?? 'unknown client',
          seed,
          probeSetSize: session.stimuli,
          budget: {},
          context: options.limits ?? DEFAULT_CONTEXT,
          cacheMode: 'off',
        },
        status: 'running',
      };
      const transcript = new TranscriptWriter(runDir, header);
      transcript.append({
        type: 'run_start',
        question: asked,
        subject,
        ...(unitId !== undefined ? { unit: unitId } : {}),
        backbone: options.driver,
        model: header.config.model,
      });
      // As in the loop: evidence cited in hypotheses and answers must name calls made before.
      const knownRefs = new Set<string>();
      context.knownRefs = knownRefs;
      return {
        subject,
        question: asked,
        ...(unitId !== undefined ? { unit: unitId } : {}),
        session,
        transcript,
        knownRefs,
        calls: 0,
        startedAt,
      };
    } catch (error) {
      await context.dispose();
      throw error;
    }
  }

  /** Record how the run ended and close its transcript; the subject is released by `dispose`. */
  private finishRun(run: ActiveRun): { runDir: string; dispose: Promise<void> } {
    const { transcript } = run;
    const { context } = run.session;
    const status: RunStatus = context.answer !== undefined ? 'answered' : 'no_answer';
    const wallMs = Date.now() - run.startedAt;
    try {
      transcript.append({ type: 'run_end', status, steps: run.calls, usage: ZERO_USAGE, wallMs });
      transcript.updateHeader({
        status,
        result: {
          ...(context.answer !== undefined ? { answer: context.answer } : {}),
          hypotheses: context.hypotheses,
          steps: run.calls,
          toolCalls: run.calls,
          usage: ZERO_USAGE,
          wallMs,
        },
      });
    } catch (error) {
      log.warn({ err: error, run: transcript.dir }, `could not finish the run: ${errorMessage(error)}`);
    } finally {
      transcript.close();
    }
    return { runDir: transcript.dir, dispose: context.dispose() };
  }
}
