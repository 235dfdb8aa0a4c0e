import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../hash.ts';
import type { RunHeader } from './header.ts';
import type { NewEvent, RunEvent } from './events.ts';

/**
 * Writes one run directory: `run.json`, append-only `events.jsonl` (each event written with one
 * write call as it happens, so a killed run leaves whole lines behind) and content-addressed
 * `blobs/` (each blob written once, whatever number of events name it).
 */
export class TranscriptWriter {
  private readonly fd: number;
  private seq = 0;
  private closed = false;
  readonly events: RunEvent[] = [];

  constructor(
    readonly dir: string,
    private header: RunHeader,
  ) {
    mkdirSync(join(dir, 'blobs'), { recursive: true });
    this.writeHeader(header);
    this.fd = openSync(join(dir, 'events.jsonl'), 'a');
  }

  append(event: NewEvent): RunEvent {
    if (this.closed) throw new Error('transcript is closed');
    const full = { seq: ++this.seq, time: new Date().toISOString(), ...event } as RunEvent;
    writeSync(this.fd, `${JSON.stringify(full)}\n`);
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
    this.writeHeader(this.header);
  }

  get current(): RunHeader {
    return this.header;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private writeHeader(header: RunHeader): void {
    writeAtomic(join(this.dir, 'run.json'), `${JSON.stringify(header, null, 2)}\n`);
  }
}

function writeAtomic(path: string, content: string | Buffer): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, path);
}
