import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, sha256 } from '../hash.ts';
import { chainSeed, lineHash } from './chain.ts';
import type { AnswerEvent, RunEndEvent, RunEvent, RunStartEvent } from './events.ts';
import type { RunHeader } from './header.ts';

/**
 * Whether a run directory is what its run recorded. Checked on every read, before anything trusts
 * the run: the hash chain of events.jsonl, the header's commitment to it, every blob against its
 * name, the header against the events (question, subject, backbone, answer, status, counts), and
 * whether the run ended. Each problem is one sentence naming what is wrong and where.
 */

/** One line of events.jsonl as read: its text, and its event when it is one. */
export interface EventLine {
  lineNo: number;
  text: string;
  event?: RunEvent;
}

export interface IntegrityReport {
  problems: string[];
  warnings: string[];
}

export function checkIntegrity(
  dir: string,
  header: RunHeader,
  lines: readonly EventLine[],
  events: readonly RunEvent[],
): IntegrityReport {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (header.format === 'aia-run/1')
    warnings.push(
      'this run was written before transcripts were hash-chained (format aia-run/1): edits to ' +
        'events.jsonl cannot be detected; blobs and the header are still checked',
    );
  else checkChain(header, lines, problems);
  checkBlobs(dir, events, problems);
  checkRunShape(header, events, problems);
  checkHeaderAgainstEvents(header, events, problems);
  return { problems, warnings };
}

function checkChain(header: RunHeader, lines: readonly EventLine[], problems: string[]): void {
  let expected = chainSeed(header.id);
  for (const line of lines) {
    const prev = line.event?.prev;
    if (line.event !== undefined && prev !== expected) {
      problems.push(
        prev === undefined
          ? `events.jsonl line ${line.lineNo} has no link to the line before it (prev missing)`
          : line.lineNo === lines[0]?.lineNo
            ? `events.jsonl line ${line.lineNo} does not start this run's chain (from another run, or the run id was changed)`
            : `events.jsonl line ${line.lineNo} does not follow the line before it: a line before it was changed, removed or inserted`,
      );
    }
    expected = lineHash(line.text);
  }
  if (header.status === 'running') return;
  const chain = header.chain;
  if (chain === undefined) {
    problems.push(
      'run.json does not record the end of the hash chain (chain missing) although the run ended',
    );
    return;
  }
  const written = lines.filter((l) => l.event !== undefined).length;
  if (chain.events !== lines.length || chain.events !== written)
    problems.push(
      `run.json records ${chain.events} events but events.jsonl holds ${lines.length} line${lines.length === 1 ? '' : 's'}` +
        (written !== lines.length ? ` (${written} readable)` : '') +
        (lines.length < chain.events ? ': events were lost or cut off' : ': events were added'),
    );
  else if (chain.last !== expected)
    problems.push(
      'the last line of events.jsonl is not the one run.json recorded: it was changed or replaced',
    );
}

/** Every blob an event names exists and hashes to its name. */
function checkBlobs(dir: string, events: readonly RunEvent[], problems: string[]): void {
  const seen = new Set<string>();
  const check = (hash: string, extension: 'png' | 'json', where: string): void => {
    const key = `${hash}.${extension}`;
    if (seen.has(key)) return;
    seen.add(key);
    const path = join(dir, 'blobs', key);
    if (!existsSync(path)) {
      problems.push(`blob ${key} named by ${where} is missing`);
      return;
    }
    const actual = sha256(readFileSync(path));
    if (actual !== hash)
      problems.push(`blob ${key} named by ${where} does not match its name (content was replaced)`);
  };
  for (const event of events) {
    if (event.type !== 'tool_call') continue;
    for (const image of event.images) check(image.sha256, 'png', `${event.ref} (seq ${event.seq})`);
    if (event.dataBlob !== undefined) check(event.dataBlob, 'json', `${event.ref} (seq ${event.seq})`);
  }
}

/** One run per file: run_start first and once, run_end once and last, ended unless still running. */
function checkRunShape(header: RunHeader, events: readonly RunEvent[], problems: string[]): void {
  if (events.length === 0) return; // already named by the reader
  const starts = events.filter((e) => e.type === 'run_start');
  if (events[0]?.type !== 'run_start') problems.push('events.jsonl does not begin with run_start');
  if (starts.length > 1)
    problems.push(
      `events.jsonl holds ${starts.length} run_start events: more than one run was written into it`,
    );
  const ends = events.filter((e) => e.type === 'run_end');
  if (ends.length === 0)
    problems.push(
      header.status === 'running'
        ? 'the run never ended (no run_end: it is still running, or was killed before it could record its end)'
        : `run.json says the run ended (${header.status}) but events.jsonl has no run_end: its end was lost`,
    );
  else if (ends.length > 1) problems.push(`events.jsonl holds ${ends.length} run_end events`);
  else if (events.at(-1)?.type !== 'run_end') problems.push('events follow the run_end event');
}

function differs(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? null) !== canonicalJson(b ?? null);
}

/** What run.json says against what events.jsonl recorded. */
function checkHeaderAgainstEvents(header: RunHeader, events: readonly RunEvent[], problems: string[]): void {
  const start = events.find((e): e is RunStartEvent => e.type === 'run_start');
  if (start !== undefined) {
    const pairs: [string, unknown, unknown][] = [
      ['question', header.question, start.question],
      ['subject', header.subject.ref, start.subject],
      ['unit', header.unit, start.unit],
      ['backbone', header.config.backbone, start.backbone],
      ['model', header.config.model, start.model],
    ];
    for (const [field, inHeader, inEvents] of pairs)
      if (differs(inHeader, inEvents))
        problems.push(`run.json's ${field} is not the one run_start recorded: run.json was edited`);
  }
  const end = events.find((e): e is RunEndEvent => e.type === 'run_end');
  if (end !== undefined && header.status !== 'running' && header.status !== end.status)
    problems.push(`run.json's status '${header.status}' is not run_end's '${end.status}'`);
  const result = header.result;
  if (result === undefined) return;
  const answer = events.filter((e): e is AnswerEvent => e.type === 'answer').at(-1)?.answer;
  if (differs(result.answer, answer))
    problems.push(
      answer === undefined
        ? 'run.json holds an answer that events.jsonl does not record (run.json was edited, or events were lost)'
        : "run.json's answer is not the last answer the run recorded: run.json was edited",
    );
  const toolCalls = events.filter((e) => e.type === 'tool_call').length;
  if (result.toolCalls !== toolCalls)
    problems.push(`run.json counts ${result.toolCalls} tool calls, events.jsonl records ${toolCalls}`);
  if (end !== undefined && result.steps !== end.steps)
    problems.push(`run.json counts ${result.steps} steps, run_end records ${end.steps}`);
}
