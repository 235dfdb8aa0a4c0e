import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import { AiaError, InputError } from '../../util/errors.ts';
import { nearNames } from '../../util/names.ts';
import { RunEvent } from './events.ts';
import { RunHeader } from './header.ts';

/**
 * Reading a run directory back: `run.json` and every line of `events.jsonl`, each checked against
 * its zod schema so a damaged run is named precisely (file, line, field) instead of failing later in
 * whatever consumes it. A run killed mid-write can leave a half-written last line; that one is
 * tolerated with a warning because every step before it is still whole.
 */

export interface ReadRun {
  /** Absolute path of the run directory. */
  dir: string;
  header: RunHeader;
  events: RunEvent[];
  /** Things a reader should know but that do not make the run unreadable. */
  warnings: string[];
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

/** Parse and validate `events.jsonl`; returns the events and warnings about a truncated tail. */
export function readEvents(dir: string): { events: RunEvent[]; warnings: string[] } {
  const path = join(resolve(dir), 'events.jsonl');
  if (!existsSync(path))
    throw new AiaError(`run events not found: ${path} (is this a run directory?)`, 'RUN_READ_ERROR');
  const text = readFileSync(path, 'utf8');
  // A run killed mid-write leaves at most its last record cut short, so only that one may fail.
  const lines = text.split('\n');
  let last = lines.length - 1;
  while (last >= 0 && (lines[last] ?? '').trim() === '') last--;
  const events: RunEvent[] = [];
  const warnings: string[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const event = parseLine(line, i + 1, path, i === last);
    if (event === undefined) warnings.push(truncationWarning(path, i + 1));
    else events.push(event);
  });
  checkSequence(events, path, warnings);
  return { events, warnings };
}

function truncationWarning(path: string, line: number): string {
  return `${path} line ${line} is incomplete (the run was probably stopped while writing it); ignored`;
}

/**
 * One line as an event. Only the last line may be cut short (undefined is returned for it); any
 * other bad line means the file was damaged after the fact, which no reader should paper over.
 */
function parseLine(line: string, lineNo: number, path: string, isLast: boolean): RunEvent | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line) as unknown;
  } catch (error) {
    if (isLast) return undefined;
    throw new AiaError(
      `${path} line ${lineNo} is not valid JSON: ${(error as Error).message}`,
      'RUN_READ_ERROR',
    );
  }
  const parsed = RunEvent.safeParse(raw);
  if (!parsed.success) {
    const type =
      typeof raw === 'object' && raw !== null && 'type' in raw ? ` (type '${String(raw.type)}')` : '';
    throw new AiaError(
      `${path} line ${lineNo}${type} is not a valid run event: ${describeZodIssues(parsed.error)}`,
      'RUN_READ_ERROR',
    );
  }
  return parsed.data;
}

/** Sequence numbers should count 1, 2, 3…; a gap means lost lines, worth saying but not fatal. */
function checkSequence(events: RunEvent[], path: string, warnings: string[]): void {
  events.forEach((event, i) => {
    if (event.seq !== i + 1)
      warnings.push(`${path}: event ${i + 1} has seq ${event.seq} (events missing or out of order)`);
  });
}

/** Read and validate a whole run directory. */
export function readRun(dir: string): ReadRun {
  const absolute = resolve(dir);
  if (!existsSync(absolute)) throw new AiaError(`run directory not found: ${absolute}`, 'RUN_READ_ERROR');
  if (!statSync(absolute).isDirectory())
    throw new AiaError(`not a run directory: ${absolute}`, 'RUN_READ_ERROR');
  const header = readHeader(absolute);
  const { events, warnings } = readEvents(absolute);
  if (header.status === 'running' && !events.some((e) => e.type === 'run_end'))
    warnings.push('the run has not finished (still running, or stopped before it could record its end)');
  return { dir: absolute, header, events, warnings };
}

/** The bytes of a blob a run's events name by hash. */
export function readBlob(dir: string, sha256: string, extension: 'png' | 'json' = 'png'): Buffer {
  if (!/^[0-9a-f]{64}$/.test(sha256))
    throw new AiaError(`'${sha256}' is not a blob hash (64 lowercase hex digits)`, 'RUN_READ_ERROR');
  const path = join(resolve(dir), 'blobs', `${sha256}.${extension}`);
  if (!existsSync(path)) throw new AiaError(`blob missing from the run: ${path}`, 'RUN_READ_ERROR');
  return readFileSync(path);
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
