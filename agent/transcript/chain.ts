import { sha256 } from '../hash.ts';

/**
 * The hash chain of events.jsonl: each line's `prev` is the sha256 of the line before it, exactly as
 * written; the first line's is the seed below, so events cannot be moved from one run into another
 * unnoticed. The header records the hash of the last line when the run ends.
 *
 * This makes edits evident, not impossible: the chain has no secret key, so someone who rewrites
 * every later line and the header on purpose can forge a consistent run. What it catches is every
 * edit, truncation, deletion or splice that did not also recompute the chain.
 */

/** The `prev` of a run's first event. */
export function chainSeed(runId: string): string {
  return sha256(`aia-run chain seed\n${runId}`);
}

/** The hash of one line of events.jsonl (without its newline): the next line's `prev`. */
export function lineHash(line: string): string {
  return sha256(line);
}
