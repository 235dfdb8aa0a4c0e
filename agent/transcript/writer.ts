import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../util/errors.ts';
import { redactDeep, secretValues } from '../../util/secrets.ts';
import { sha256 } from '../hash.ts';
import { chainSeed, lineHash } from './chain.ts';
import type { RunHeader } from './header.ts';
import type { NewEvent, RunEvent } from './events.ts';

/**
 * Writes one run directory: `run.json`, append-only `events.jsonl` (each event written with one
 * write call as it happens, so a killed run leaves whole lines behind, each linked to the one before
 * by its hash) and content-addressed `blobs/` (each blob written once, whatever number of events
 * name it). Every string is scrubbed of secrets before it is written.
 */
export class TranscriptWriter {
  private readonly fd: number;
  private seq = 0;
  private head: string;
  private closed = false;
  private readonly secrets: readonly string[];
  readonly events: RunEvent[] = [];

  constructor(
    readonly dir: string,
    private header: RunHeader,
    options: { secrets?: readonly string[] } = {},
  ) {
    assertNewRunDir(dir);
    this.secrets = options.secrets ?? secretValues();
    this.head = chainSeed(header.id);
    mkdirSync(join(dir, 'blobs'), { recursive: true });
    this.writeHeader();
    this.fd = openSync(join(dir, 'events.jsonl'), 'a');
  }

  append(event: NewEvent): RunEvent {
    if (this.closed) throw new Error('transcript is closed');
    const full = redactDeep(
      { seq: ++this.seq, time: new Date().toISOString(), prev: this.head, ...event } as RunEvent,
      this.secrets,
    );
    const line = JSON.stringify(full);
    writeSync(this.fd, `${line}\n`);
    this.head = lineHash(line);
    this.events.push(full);
    return full;
  }

  /** Store bytes under their sha256 (pass it when already known); returns the hash. */
  putBlob(bytes: Buffer, extension: 'png' | 'json' = 'png', knownHash?: string): string {
    const hash = knownHash ?? sha256(bytes);
    const path = join(this.dir, 'blobs', `${hash}.${extension}`);
    if (!existsSync(path)) writeAtomic(path, bytes);
    return hash;
  }

  updateHeader(patch: Partial<RunHeader>): void {
    this.header = { ...this.header, ...patch };
    this.writeHeader();
  }

  get current(): RunHeader {
    return this.header;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  /** The header as stored: redacted, and committed to the events written so far. */
  private writeHeader(): void {
    const { chain: _previous, ...rest } = this.header;
    const stored = redactDeep(
      { ...rest, ...(this.seq > 0 ? { chain: { events: this.seq, last: this.head } } : {}) },
      this.secrets,
    );
    writeAtomic(join(this.dir, 'run.json'), `${JSON.stringify(stored, null, 2)}\n`);
  }
}

/**
 * A run directory must be new or empty: writing into one that holds another run would append a second
 * run to its events (two run_start events, seq restarting) or mix its blobs in.
 */
export function assertNewRunDir(dir: string, option = 'the run directory'): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory())
    throw new InputError(`${option} ${dir} is a file, not a directory; name a new directory`);
  const entries = readdirSync(dir);
  if (entries.includes('run.json') || entries.includes('events.jsonl'))
    throw new InputError(
      `${option} ${dir} already holds a run; name a new directory (runs are never appended to)`,
    );
  if (entries.length > 0)
    throw new InputError(
      `${option} ${dir} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); ` +
        'name a new or empty directory',
    );
}

function writeAtomic(path: string, content: string | Buffer): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, path);
}
