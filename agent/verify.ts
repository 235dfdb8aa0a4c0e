import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InvestigationContext } from '../tools/investigation/state.ts';
import { openSubject } from '../tools/session.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import { errorMessage } from '../util/errors.ts';
import { hashValue } from './hash.ts';
import { diffOutcomes, type ComparableOutcome, type OutcomePart } from './outcome-diff.ts';
import { executeToolCall, outcomeHash, storedDataJson, type ToolOutcome } from './tool-outcome.ts';
import type { ToolCallEvent } from './transcript/events.ts';
import { readBlob, readRun, type ReadRun } from './transcript/read.ts';

/**
 * `aia replay --verify` checks integrity first: reading the run checks its hash chain, its blobs
 * against their names, its header against its events and that it ended (transcript/integrity.ts);
 * each problem found is reported and fails the verification. Then it re-runs the calls.
 * Tools are deterministic given their arguments and seeds, so re-running every
 * recorded tool call against a fresh context for the same subject and seed must give the same result
 * hash, and the same text, images and data the transcript shows. A call that does not is a divergence:
 * the code, the subject file or a dependency changed what an experiment returns (or the transcript
 * was edited), and the recorded conclusions may no longer follow from today's tools.
 */

export interface Divergence {
  ref: string;
  seq: number;
  step: number;
  tool: string;
  /**
   * Which parts differ. `hash` alone: every part agrees but the recorded resultHash does not;
   * `arguments`: the recorded argument text no longer matches its recorded argsHash.
   */
  parts: (OutcomePart | 'hash' | 'arguments')[];
  /** One short hint per part, in the same order. */
  hints: string[];
  recordedHash: string;
  rerunHash: string;
}

export interface VerifyResult {
  /** The run directory. */
  run: string;
  /** Integrity problems: the run is not what was recorded (see transcript/integrity.ts). */
  problems: string[];
  /** Tool calls re-run. */
  checked: number;
  divergences: Divergence[];
  /** Problems reading the run that did not stop verification (a truncated last line, a missing data blob). */
  warnings: string[];
}

export interface VerifyOptions {
  /** Cache root for probe sets and activations (default: the usual cache). */
  cacheDir?: string;
  /** Scenes in the probe set; default: what the run recorded, else the tool context default. */
  probeSetSize?: number;
  /** Probe-set rendering progress on stderr (default false). */
  progress?: boolean;
  /** Called after each re-run tool call. */
  onProgress?: (done: number, total: number, event: ToolCallEvent) => void;
}

/**
 * The probe-set size a run recorded in `config.probeSetSize`. Read loosely from the raw file because
 * older headers lack it and the header schema drops fields it does not know.
 */
export function recordedProbeSetSize(dir: string): number | undefined {
  try {
    const raw = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as {
      config?: { probeSetSize?: unknown };
    };
    const size = raw.config?.probeSetSize;
    return typeof size === 'number' && Number.isInteger(size) && size > 0 ? size : undefined;
  } catch {
    return undefined;
  }
}

/** Run one recorded call as the loop does: raw argument text in, an outcome out, errors included. */
export async function rerunToolCall<C extends InvestigationContext>(
  registry: ToolRegistry<C>,
  context: C,
  tool: string,
  rawArguments: string,
): Promise<ToolOutcome> {
  return (await executeToolCall(registry, context, tool, rawArguments)).outcome;
}

/**
 * Data as the transcript stores it: JSON with typed arrays as plain arrays (as the loop writes it),
 * so re-run data goes through the same round trip before it is compared with what was recorded.
 */
function asStoredJson(value: unknown): unknown {
  const text = storedDataJson(value);
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

function recordedOutcome(run: ReadRun, event: ToolCallEvent, warnings: string[]): ComparableOutcome {
  const outcome: ComparableOutcome = { ok: event.ok, text: event.text, images: event.images };
  if (event.dataBlob !== undefined) {
    try {
      outcome.data = JSON.parse(readBlob(run.dir, event.dataBlob, 'json').toString('utf8')) as unknown;
    } catch (error) {
      warnings.push(`${event.ref}: its data could not be read back (${errorMessage(error)})`);
      outcome.dataUnknown = true;
    }
  } else if (event.data !== undefined) outcome.data = event.data;
  return outcome;
}

/**
 * A re-run call against its record. Three checks, because each catches what the others miss: the
 * result hash (anything that changed what the model was shown), the recorded parts themselves (a
 * result text or data edited after the run, its hash left alone), and the arguments against their
 * own hash (an edit that re-runs to the same result, e.g. an error message that does not quote them).
 */
function compare(
  run: ReadRun,
  event: ToolCallEvent,
  now: ToolOutcome,
  warnings: string[],
): Divergence | undefined {
  const rerunHash = outcomeHash(now);
  const argumentsEdited = hashValue(event.arguments) !== event.argsHash;
  const differences = diffOutcomes(recordedOutcome(run, event, warnings), {
    ok: now.ok,
    text: now.text,
    images: now.images.map(({ sha256, caption }) => ({ sha256, caption })),
    data: asStoredJson(now.data),
  });
  if (rerunHash === event.resultHash && !argumentsEdited && differences.length === 0) return undefined;
  const parts: Divergence['parts'] = differences.map((d) => d.part);
  const hints = differences.map((d) => d.hint);
  if (argumentsEdited) {
    parts.unshift('arguments');
    hints.unshift(
      'the recorded arguments do not match their recorded argsHash: they were edited after the run',
    );
  }
  if (parts.length === 0) {
    parts.push('hash');
    hints.push(
      'every recorded part agrees with the re-run but the recorded resultHash does not ' +
        '(the hash was edited, or the data differs where JSON cannot show it, e.g. NaN and null)',
    );
  }
  return {
    ref: event.ref,
    seq: event.seq,
    step: event.step,
    tool: event.tool,
    parts,
    hints,
    recordedHash: event.resultHash,
    rerunHash,
  };
}

/** Re-run every tool call of a read run; see the module comment. */
export async function verifyReadRun(run: ReadRun, options: VerifyOptions = {}): Promise<VerifyResult> {
  const calls = run.events
    .filter((e): e is ToolCallEvent => e.type === 'tool_call')
    .sort((a, b) => a.seq - b.seq);
  const warnings = [...run.warnings];
  const probeSetSize = options.probeSetSize ?? recordedProbeSetSize(run.dir);
  const session = await openSubject(run.header.subject.ref, {
    seed: run.header.config.seed,
    progress: options.progress ?? false,
    ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
    ...(probeSetSize !== undefined ? { stimuli: probeSetSize } : {}),
  });
  const { context } = session;
  // Not an error: a changed subject is one reason to verify. But it explains every divergence below.
  if (run.header.subject.hash !== '' && session.hash !== run.header.subject.hash)
    warnings.push(
      `the subject ${run.header.subject.ref} is not the one recorded (hash ${session.hash.slice(0, 12)}…, ` +
        `recorded ${run.header.subject.hash.slice(0, 12)}…): results that depend on it may differ`,
    );
  // As in the loop: evidence ids are checked against the calls made so far, so an evidence error
  // recorded then reproduces now.
  const knownRefs = new Set<string>();
  context.knownRefs = knownRefs;
  const divergences: Divergence[] = [];
  try {
    for (const [i, event] of calls.entries()) {
      const outcome = await session.withTools((registry, ctx) =>
        rerunToolCall(registry, ctx, event.tool, event.arguments),
      );
      const divergence = compare(run, event, outcome, warnings);
      if (divergence) divergences.push(divergence);
      knownRefs.add(event.ref);
      options.onProgress?.(i + 1, calls.length, event);
    }
  } finally {
    await context.dispose();
  }
  return { run: run.dir, problems: [...run.problems], checked: calls.length, divergences, warnings };
}

/** Read the run in `dir` and re-run every tool call it recorded. */
export async function verifyRun(dir: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  return verifyReadRun(readRun(dir), options);
}

/** A verification passes when the run is intact and every call gave its recorded result. */
export function verifyPassed(result: VerifyResult): boolean {
  return result.problems.length === 0 && result.divergences.length === 0;
}

/** The human form of a verification: integrity first, then one line when clean, else one block per divergence. */
export function formatVerifyResult(result: VerifyResult): string {
  const noun = result.checked === 1 ? 'tool call' : 'tool calls';
  const lines = [
    result.problems.length === 0
      ? 'integrity: intact (hash chain, blobs, header and events agree; the run ended)'
      : `integrity: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}: this run is not what was recorded`,
    ...result.problems.map((p) => `problem: ${p}`),
    `${result.checked} ${noun} re-run, ${result.divergences.length} divergence${result.divergences.length === 1 ? '' : 's'}`,
  ];
  for (const d of result.divergences) {
    lines.push(
      `${d.ref} (step ${d.step}, ${d.tool}): ${d.parts.join(', ')} ${d.parts.length === 1 ? 'differs' : 'differ'}`,
    );
    for (const hint of d.hints) lines.push(`  ${hint}`);
  }
  for (const warning of result.warnings) lines.push(`warning: ${warning}`);
  return lines.join('\n');
}
