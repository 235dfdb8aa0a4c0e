import { join, resolve } from 'node:path';
import { makeProbeSet, type ProbeSet } from '../../stimuli/probeset.ts';
import { ActivationCache } from '../../tools/cache/activation-cache.ts';
import { probeSetDistribution } from '../../tools/context.ts';
import { loadProbe } from '../../tools/probe/load.ts';
import { unitColumn } from '../../tools/common/unit-activations.ts';
import { SyntheticProbe } from '../../tools/probe/synthetic-probe.ts';
import type { Probe, UnitAddress } from '../../tools/probe/types.ts';
import { DEFAULT_GRID, parseFormula } from '../../subjects/synthetic/index.ts';
import { contrastiveSpecs } from './contrastive.ts';
import { createRandom, hash32 } from '../../util/random.ts';
import { taskUnit, type Task } from '../suite.ts';

/**
 * The held-out scenes of a task and the unit's true activation on each: a probe set made with the
 * task's own seed and size (never the agent's seed), the subject's native scene size and probe-set
 * distribution, and the unit's values read through the same probe the agent's tools use (so what is
 * scored is what the agent could observe, noise included). Sets and activations are cached on disk
 * under the cache root exactly as the tool context caches its own, and kept open in this process, so
 * scoring a second answer on the same task costs no rendering and no model runs.
 */

export interface HeldOutData {
  probe: Probe;
  set: ProbeSet;
  unit: UnitAddress;
  /** The unit's true activation on each held-out scene (max of its map, as every tool reports it). */
  truth: Float32Array;
  /**
   * Activation above which the unit counts as firing: halfway between its held-out minimum and
   * maximum (half its maximum for a unit resting at 0). Undefined (NaN) for a constant unit.
   */
  threshold: number;
  /** Held-out maximum minus minimum: the scale of the predictive scorer's gap. */
  range: number;
  /** Side of the coarse map a formula is pooled to, as the unit's own map is. */
  grid: number;
}

const probes = new Map<string, Promise<Probe>>();
const sets = new Map<string, Promise<ProbeSet>>();
const activationCaches = new Map<string, ActivationCache>();

function memo<T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let pending = map.get(key);
  if (!pending) {
    pending = make();
    map.set(key, pending);
    pending.catch(() => map.delete(key));
  }
  return pending;
}

/** The task's probe, loaded once per process (an ONNX session is worth keeping). */
export function taskProbe(task: Task, cacheDir: string): Promise<Probe> {
  const root = resolve(cacheDir);
  return memo(probes, `${root}\n${task.subject}`, () =>
    loadProbe(task.subject, { subject: { cacheDir: root } }),
  );
}

export async function heldOutData(task: Task, cacheDir: string): Promise<HeldOutData> {
  const root = resolve(cacheDir);
  const probe = await taskProbe(task, root);
  const unit = probe.parseUnit(taskUnit(task));
  const { seed, n } = task.heldOut;
  const { width, height } = probe.sceneSize;
  const distribution = probeSetDistribution(probe);
  const grid = probe instanceof SyntheticProbe ? probe.subject.grid : DEFAULT_GRID;
  const contrastive = task.heldOut.contrastive;
  const key = `${root}\n${seed}\n${n}\n${width}x${height}\n${distribution}`;
  const plain = () =>
    memo(sets, key, () =>
      makeProbeSet({ n, seed, size: width, height, distribution, cacheDir: join(root, 'probesets') }),
    );
  const set = contrastive && task.truth.formula
    ? await memo(sets, `${key}\n${task.truth.formula}\n${contrastive}`, async () => {
        // Contrastive scenes come after the random ones (contrastive.ts), which are copied from the
        // plain set of the same seed and size (made first, shared by every task with that seed).
        await plain();
        const { specs } = await contrastiveSpecs(parseFormula(task.truth.formula ?? ''), {
          seed, count: contrastive, size: width, height, grid,
        });
        return makeProbeSet({
          n: n + specs.length, seed, size: width, height, distribution,
          ...(specs.length > 0 ? { extra: specs } : {}),
          cacheDir: join(root, 'probesets'),
        });
      })
    : await plain(); // prettier-ignore
  let cache = activationCaches.get(root);
  if (!cache) {
    cache = new ActivationCache(join(root, 'activations'));
    activationCaches.set(root, cache);
  }
  const activations = await cache.get(probe, set, unit.site);
  const truth = unitColumn(activations.values, activations.units, unit.index);
  let max = -Infinity;
  let min = Infinity;
  for (const value of truth) {
    max = Math.max(max, value);
    min = Math.min(min, value);
  }
  const range = max - min;
  return { probe, set, unit, truth, threshold: range > 0 ? min + range / 2 : Number.NaN, range, grid };
}

/** Scenes the formula scorer compares on: all of a set this size or smaller (see scoringScenes). */
export const SCORING_SCENES = 1000;

/**
 * The held-out scenes an answer is compared on: every scene where the unit fires, plus a seeded
 * sample of the others, SCORING_SCENES in all (every scene of a set no larger). Tasks on rare
 * concepts get large held-out sets so their units fire often enough; this keeps those positives and
 * bounds the cost of evaluating an answer, the same subset for every answer to a task.
 */
export function scoringScenes(data: HeldOutData): number[] {
  const n = data.set.n;
  if (n <= SCORING_SCENES) return Array.from({ length: n }, (_, i) => i);
  const firing = new Set(firingScenes(data));
  const others = Array.from({ length: n }, (_, i) => i).filter((i) => !firing.has(i));
  const random = createRandom(hash32(data.set.seed, n, 0x73636f72));
  for (let i = others.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [others[i], others[j]] = [others[j] as number, others[i] as number];
  }
  const kept = others.slice(0, Math.max(0, SCORING_SCENES - firing.size));
  return [...firing, ...kept].sort((a, b) => a - b);
}

/** Indices of the held-out scenes where the unit fires (above the threshold). */
export function firingScenes(data: HeldOutData): number[] {
  const out: number[] = [];
  if (Number.isNaN(data.threshold)) return out;
  data.truth.forEach((value, i) => {
    if (value > data.threshold) out.push(i);
  });
  return out;
}

/** Close every held-out set and dispose every probe this process opened for scoring. */
export async function releaseHeldOut(): Promise<void> {
  const openSets = [...sets.values()];
  const openProbes = [...probes.values()];
  sets.clear();
  probes.clear();
  activationCaches.clear();
  for (const pending of openSets) (await pending.catch(() => undefined))?.close();
  for (const pending of openProbes) await (await pending.catch(() => undefined))?.dispose();
}
