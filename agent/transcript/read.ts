import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import { AiaError, InputError } from '../../util/errors.ts';
import { nearNames } from '../../util/names.ts';
import { RunEvent } from './events.ts';
import { RunHeader } from './header.ts';
import { sha256 as hashBytes } from '../hash.ts';
import { checkIntegrity, type EventLine } from './integrity.ts';

/**
 * Reading a run directory back: `run.json` and every line of `events.jsonl`, each checked against
 * its zod schema, then the run's integrity (hash chain, blobs, header against events; see
 * integrity.ts). A damaged run still reads: every line that parses is kept, and what is wrong is
 * named precisely (file, line, field) in `problems`, so a report can show what is left with the
 * damage marked and `aia replay --verify` can fail naming each problem. A run killed mid-write can
 * leave a half-written last line; that one alone is a warning.
 */

export interface ReadRun {
  /** Absolute path of the run directory. */
  dir: string;
  header: RunHeader;
  events: RunEvent[];
  /** Things a reader should know but that do not make the run untrustworthy. */
  warnings: string[];
  /** Damage: the run is not what was recorded (edited, truncated, mixed, blobs changed or lost). */
  problems: string[];
}

/** One field-level problem per issue, as `path: message`, joined. */
function describeZodIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.map(String).join('.') : '(record)'}: ${issue.message}`)
    .join('; ');
}

function readJsonFile(path: string, what: string): unknown {
  if (!existsSync(path)) throw new AiaError(`${what} not found: ${path}`, 'RUN_READ_ERROR');
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AiaError(`${path} is not valid JSON: ${(error as Error).message}`, 'RUN_READ_ERROR');
  }
}

/** Parse and validate `run.json` of a run directory. */
export function readHeader(dir: string): RunHeader {
  const path = join(resolve(dir), 'run.json');
  const raw = readJsonFile(path, 'run header (run.json)');
  const parsed = RunHeader.safeParse(raw);
  if (!parsed.success)
    throw new AiaError(
      `${path} is not a valid run header: ${describeZodIssues(parsed.error)}`,
      'RUN_READ_ERROR',
    );
  return parsed.data;
}

/**
 * Parse and validate `events.jsonl`: every line with its event when it is one. A bad line is a
 * problem and is skipped; only a bad last line is a warning (the run was stopped while writing it).
 */
export function readEvents(dir: string): {
  events: RunEvent[];
  lines: EventLine[];
  warnings: string[];
  problems: string[];
} {
  const path = join(resolve(dir), 'events.jsonl');
  if (!existsSync(path))
    throw new AiaError(`run events not found: ${path} (is this a run directory?)`, 'RUN_READ_ERROR');
  const text = readFileSync(path, 'utf8');
  const raw = text.split('\n');
  let last = raw.length - 1;
  while (last >= 0 && (raw[last] ?? '').trim() === '') last--;
  const lines: EventLine[] = [];
  const warnings: string[] = [];
  const problems: string[] = [];
  raw.forEach((line, i) => {
    if (line.trim() === '') {
      if (i < last) problems.push(`${path} line ${i + 1} is empty (a line was removed or blanked)`);
      return;
    }
    const parsed = parseLine(line, i + 1, path);
    if (parsed.event === undefined) {
      if (i === last && parsed.notJson) warnings.push(truncationWarning(path, i + 1));
      else problems.push(parsed.problem);
    }
    lines.push({ lineNo: i + 1, text: line, ...(parsed.event ? { event: parsed.event } : {}) });
  });
  const events = lines.flatMap((l) => (l.event ? [l.event] : []));
  if (events.length === 0) problems.push(`${path} holds no events: the run's record is empty or lost`);
  checkSequence(events, path, problems);
  return { events, lines, warnings, problems };
}

function truncationWarning(path: string, line: number): string {
  return `${path} line ${line} is incomplete (the run was probably stopped while writing it); ignored`;
}

/** One line as an event, or what is wrong with it. */
function parseLine(
  line: string,
  lineNo: number,
  path: string,
):
  | { event: RunEvent; problem?: never; notJson?: never }
  | { event?: never; problem: string; notJson: boolean } {
  let raw: unknown;
  try {
    raw = JSON.parse(line) as unknown;
  } catch (error) {
    return {
      problem: `${path} line ${lineNo} is not valid JSON: ${(error as Error).message}`,
      notJson: true,
    };
  }
  const parsed = RunEvent.safeParse(raw);
  if (!parsed.success) {
    const type =
      typeof raw === 'object' && raw !== null && 'type' in raw ? ` (type '${String(raw.type)}')` : '';
    return {
      problem: `${path} line ${lineNo}${type} is not a valid run event: ${describeZodIssues(parsed.error)}`,
      notJson: false,
    };
  }
  return { event: parsed.data };
}

/** Sequence numbers count 1, 2, 3…; a gap or a restart means lines lost, moved or mixed in. */
function checkSequence(events: RunEvent[], path: string, problems: string[]): void {
  for (const [i, event] of events.entries()) {
    if (event.seq !== i + 1) {
      problems.push(
        `${path}: event ${i + 1} has seq ${event.seq} (events missing, out of order or from another run)`,
      );
      return; // every later event is off by the same gap: one problem names it
    }
  }
}

/** Read and validate a whole run directory, its integrity included. */
export function readRun(dir: string): ReadRun {
  const absolute = resolve(dir);
  if (!existsSync(absolute)) throw new AiaError(`run directory not found: ${absolute}`, 'RUN_READ_ERROR');
  if (!statSync(absolute).isDirectory())
    throw new AiaError(`not a run directory: ${absolute}`, 'RUN_READ_ERROR');
  const header = readHeader(absolute);
  const { events, lines, warnings, problems } = readEvents(absolute);
  const integrity = checkIntegrity(absolute, header, lines, events);
  return {
    dir: absolute,
    header,
    events,
    warnings: [...warnings, ...integrity.warnings],
    problems: [...problems, ...integrity.problems],
  };
}

/**
 * The bytes of a blob a run's events name by hash, checked against that name: a blob whose content
 * was replaced is an error, not a silently different image.
 */
export function readBlob(dir: string, sha256: string, extension: 'png' | 'json' = 'png'): Buffer {
  if (!/^[0-9a-f]{64}$/.test(sha256))
    throw new AiaError(`'${sha256}' is not a blob hash (64 lowercase hex digits)`, 'RUN_READ_ERROR');
  const path = join(resolve(dir), 'blobs', `${sha256}.${extension}`);
  if (!existsSync(path)) throw new AiaError(`blob missing from the run: ${path}`, 'RUN_READ_ERROR');
  const bytes = readFileSync(path);
  const actual = hashBytes(bytes);
  if (actual !== sha256)
    throw new AiaError(
      `blob ${path} does not match its name (its content hashes to ${actual.slice(0, 12)}…): it was changed`,
      'RUN_READ_ERROR',
    );
  return bytes;
}

/** A run directory as a list shows it. */
export interface RunSummary {
  dir: string;
  id: string;
  createdAt: string;
  question: string;
  subject: string;
  unit?: string;
  backbone: string;
  model: string;
  status: RunHeader['status'];
}

/**
 * The run directories directly under `root` with what their headers say, newest first. Folders
 * without a `run.json` are not runs and are left out; a broken header is left out too (readRun on
 * it names the problem).
 */
export function listRuns(root: string): RunSummary[] {
  const base = resolve(root);
  if (!existsSync(base)) return [];
  const runs: RunSummary[] = [];
  for (const entry of readdirSync(base, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(base, entry.name);
    if (!existsSync(join(dir, 'run.json'))) continue;
    let header: RunHeader;
    try {
      header = readHeader(dir);
    } catch {
      continue;
    }
    runs.push({
      dir,
      id: header.id,
      createdAt: header.createdAt,
      question: header.question,
      subject: header.subject.ref,
      ...(header.unit !== undefined ? { unit: header.unit } : {}),
      backbone: header.config.backbone,
      model: header.config.model,
      status: header.status,
    });
  }
  return runs.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/**
 * A run named on the command line: a directory path, or the name of a run under `runsRoot`. A name
 * that is neither says so, with the nearest run names.
 */
export function resolveRunDir(ref: string, runsRoot = 'runs'): string {
  const direct = resolve(ref);
  if (existsSync(join(direct, 'run.json')) || existsSync(join(direct, 'events.jsonl'))) return direct;
  const named = resolve(runsRoot, ref);
  if (existsSync(join(named, 'run.json'))) return named;
  if (existsSync(direct)) return direct; // let readRun name what is missing inside it
  const near = nearNames(
    ref,
    listRuns(runsRoot).map((run) => run.id),
  );
  throw new InputError(
    `no run '${ref}': not a directory, nor a run under ${resolve(runsRoot)}` +
      (near.length ? `; did you mean ${near.join(', ')}?` : ''),
  );
}
