import {
  defaultCacheDir,
  loadProbeSet,
  makeProbeSet,
  MAX_PROBESET_SCENES,
  type ProbeSet,
} from '../../stimuli/probeset.ts';
import { InputError } from '../../util/errors.ts';
import { Progress } from '../../util/progress.ts';
import { formatTable, printResult } from '../output.ts';

/**
 * The work of `aia probeset make|show` (defined in cli/commands/probeset.ts): seeded, cached probe sets of rendered scenes with exact concept masks
 * (stimuli/probeset.ts). `make` reuses a stored set with the same (n, seed, size).
 */

function integerOption(value: string, name: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InputError(`${name} must be an integer from ${min} to ${max}, got '${value}'`);
  return n;
}

/** Scenes showing each concept (anywhere in the scene, ancestors included), most frequent first. */
function conceptFrequencies(set: ProbeSet): [string, number][] {
  const counts = new Map<string, number>();
  for (const scene of set.scenes)
    for (const concept of scene.annotation.concepts)
      if (concept.area > 0) counts.set(concept.name, (counts.get(concept.name) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function summary(set: ProbeSet) {
  return { id: set.id, path: set.dir, count: set.n, seed: set.seed, size: set.size };
}

export interface ProbesetMakeOptions {
  n: string;
  seed: string;
  size: string;
  workers?: string;
  json?: boolean;
}

/** `aia probeset make`: render (or reuse) the set, print where it is. */
export async function runProbesetMake(opts: ProbesetMakeOptions): Promise<void> {
  const n = integerOption(opts.n, '--n', 1, MAX_PROBESET_SCENES);
  const seed = integerOption(opts.seed, '--seed', 0, 0xffffffff);
  const size = integerOption(opts.size, '--size', 8, 1024);
  const workers = opts.workers === undefined ? undefined : integerOption(opts.workers, '--workers', 0, 64);
  const progress = new Progress('rendering scenes', n);
  const started = performance.now();
  const set = await makeProbeSet({
    n,
    seed,
    size,
    ...(workers !== undefined ? { workers } : {}),
    onProgress: (done) => progress.update(done),
  });
  progress.done();
  const seconds = (performance.now() - started) / 1000;
  const result = { ...summary(set), reused: set.reused, seconds: Math.round(seconds * 100) / 100 };
  set.close();
  printResult(opts.json === true, result, () =>
    [
      `${set.reused ? 'reused' : 'made'} probe set ${set.id}: ${n} scenes at ${size}×${size}, seed ${seed}`,
      `path: ${set.dir}`,
      `time: ${seconds.toFixed(1)} s`,
    ].join('\n'),
  );
}

/** `aia probeset show <id>`: a stored set's parameters and its most frequent concepts. */
export function runProbesetShow(id: string, opts: { top: string; json?: boolean }): void {
  const top = integerOption(opts.top, '--top', 1, 10_000);
  const set = loadProbeSet(id, defaultCacheDir());
  const frequencies = conceptFrequencies(set);
  set.close();
  const result = { ...summary(set), concepts: Object.fromEntries(frequencies.slice(0, top)) };
  printResult(opts.json === true, result, () =>
    [
      `probe set ${set.id}: ${set.n} scenes at ${set.size}×${set.size}, seed ${set.seed}`,
      `path: ${set.dir}`,
      `${frequencies.length} concepts; the ${Math.min(top, frequencies.length)} most frequent (scenes showing each):`,
      formatTable(
        ['concept', 'scenes'],
        frequencies.slice(0, top).map(([name, scenes]) => [name, String(scenes)]),
      ),
    ].join('\n'),
  );
}
