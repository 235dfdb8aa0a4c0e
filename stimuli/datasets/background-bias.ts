import { InputError } from '../../util/errors.ts';
import { createRandom, hash32, type Random } from '../../util/random.ts';
import type { SceneSpec } from '../spec.ts';
import { conceptsOfKind, isA } from '../vocabulary.ts';

/**
 * The background-bias scenes (the Explanation Alignment paper's CelebA bias experiment, on rendered
 * scenes whose masks are exact): is there a boat in the scene? A boat's usual background is water;
 * the other backgrounds are its unusual ones. A training set ties the label to the background with
 * `usualShare` (the fraction of boat scenes on water, and of boat-free scenes off water): 0.95 for
 * the biased model, 0.5 (background independent of the label) for the balanced one. Test sets hold
 * the four groups apart: boat on water / on land, no boat on water / on land.
 */

/** The object class the classifier detects (its vocabulary category; its members are drawn). */
export const TARGET_CONCEPT = 'boat';
export const USUAL_BACKGROUND = 'water';
/** Scene backgrounds with no water in them (a beach has a band of water, so it is left out). */
export const UNUSUAL_BACKGROUNDS = ['grass', 'sand', 'snow', 'road', 'brick wall', 'wood'] as const;
export const BIAS_LABELS = ['no boat', 'boat'] as const;

export const BIAS_GROUPS = ['boat-water', 'boat-land', 'none-water', 'none-land'] as const;
export type BiasGroup = (typeof BIAS_GROUPS)[number];

export interface BiasScenes {
  specs: SceneSpec[];
  /** 1 where the scene shows a boat. */
  labels: Uint8Array;
  groups: BiasGroup[];
}

let boats: string[] | undefined;
let fillers: string[] | undefined;

/** Boats to draw: every object sprite of the boat category (boat, ship, canoe, speedboat). */
export function boatObjects(): string[] {
  return (boats ??= conceptsOfKind('object').filter((name) => isA(name, TARGET_CONCEPT)));
}

/** Fillers: objects that are neither boats nor water creatures, so no filler hints at either. */
export function fillerObjects(): string[] {
  return (fillers ??= conceptsOfKind('object').filter(
    (name) => !isA(name, TARGET_CONCEPT) && !isA(name, 'vehicle') && !isA(name, 'sea animal'),
  ));
}

function pick<T>(random: Random, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T;
}

/** One scene of a group: a boat (or not) on water (or not), with zero or one filler object. */
export function biasSceneSpec(group: BiasGroup, seed: number, size: number): SceneSpec {
  const random = createRandom(seed);
  const boat = group.startsWith('boat');
  const background = group.endsWith('water') ? USUAL_BACKGROUND : pick(random, UNUSUAL_BACKGROUNDS);
  const names = boat ? [pick(random, boatObjects())] : [pick(random, fillerObjects())];
  if (random() < 0.5) names.push(pick(random, fillerObjects()));
  // Two items go to opposite halves so neither hides the other at this small size.
  const left = random() < 0.5;
  const items = names.map((name, i) => {
    const side = i === 0 ? left : !left;
    return {
      kind: 'object' as const,
      name,
      x: names.length === 1 ? 0.3 + 0.4 * random() : side ? 0.22 + 0.12 * random() : 0.66 + 0.12 * random(),
      y: 0.3 + 0.4 * random(),
      size: 0.4 + 0.2 * random(),
      rotation: 0,
      flip: random() < 0.5,
    };
  });
  return {
    width: size,
    height: size,
    background,
    items: random() < 0.5 ? items : items.reverse(),
    effects: [],
    seed: hash32(seed, 0x6267) % 0x7fffffff,
  };
}

/**
 * A training set: half the scenes show a boat; `usualShare` of the boat scenes are on water and the
 * same share of the boat-free scenes are off water.
 */
export function biasTrainingScenes(options: {
  count: number;
  seed: number;
  size: number;
  usualShare: number;
}): BiasScenes {
  if (options.usualShare < 0 || options.usualShare > 1)
    throw new InputError(`usualShare must be in 0..1, got ${options.usualShare}`);
  const random = createRandom(options.seed);
  const groups: BiasGroup[] = [];
  for (let i = 0; i < options.count; i++) {
    const boat = random() < 0.5;
    const usual = random() < options.usualShare;
    groups.push(boat ? (usual ? 'boat-water' : 'boat-land') : usual ? 'none-land' : 'none-water');
  }
  return scenesOf(groups, options.seed, options.size);
}

/** A test set: `perGroup` scenes of each of the four groups, in group order. */
export function biasTestScenes(options: { perGroup: number; seed: number; size: number }): BiasScenes {
  const groups = BIAS_GROUPS.flatMap((group) => Array.from({ length: options.perGroup }, () => group));
  return scenesOf(groups, options.seed, options.size);
}

function scenesOf(groups: BiasGroup[], seed: number, size: number): BiasScenes {
  return {
    specs: groups.map((group, i) => biasSceneSpec(group, hash32(seed, i), size)),
    labels: Uint8Array.from(groups, (group) => (group.startsWith('boat') ? 1 : 0)),
    groups,
  };
}
