import { backgroundRegionConcepts } from '../../stimuli/backgrounds.ts';
import { itemOwnConcepts } from '../../stimuli/render.ts';
import type { SceneSpec } from '../../stimuli/spec.ts';
import { ancestors } from '../../stimuli/vocabulary.ts';
import {
  formulaSight,
  normaliseName,
  unitRestingNoise,
  type SyntheticUnit,
} from '../../subjects/synthetic/index.ts';

/**
 * Which scene specs a synthetic unit cannot see into, told from the spec alone, before rendering.
 * A search over scene specs (search_stimuli) draws thousands of scenes, most holding none of a rare
 * unit's concepts; rendering each costs tens of milliseconds on a shared core, and evaluating the
 * unit on such a scene gives the same value as on any other scene it is blind to (sight.ts). The
 * test is conservative: a spec counts as blind only when no concept it could possibly render (each
 * item's own concepts and their ancestors, every region of its background, a texture's natural
 * colour) is one the unit's formula reads, it has no effects, and the unit adds no noise (noise is
 * drawn per scene, so blind scenes would differ). Values are unchanged; only time is saved.
 */

/** Every concept name a spec's rendered scene could hold, ancestors included (a superset). */
export function specConcepts(spec: SceneSpec): { concepts: Set<string>; words: boolean } {
  const concepts = new Set<string>();
  const add = (name: string) => {
    concepts.add(normaliseName(name));
    for (const a of ancestors(name)) concepts.add(normaliseName(a));
  };
  let words = false;
  for (const item of spec.items) {
    if (item.kind === 'word') words = true;
    for (const c of itemOwnConcepts(item)) add(c);
  }
  for (const region of backgroundRegionConcepts(spec.background)) for (const c of region) add(c);
  add(spec.background);
  return { concepts, words };
}

/**
 * A test of whether `unit` is surely blind to a spec, or undefined when no spec can be skipped for it
 * (noisy units, formulas whose blind value depends on the scene: NOT under a count or relation,
 * orientation, effects).
 */
export function blindSpecTest(unit: SyntheticUnit): ((spec: SceneSpec) => boolean) | undefined {
  if (unit.definition.noise || unitRestingNoise(unit.definition) !== 0) return undefined;
  const sight = formulaSight(unit.formula);
  if (!sight.constantWhenBlind || sight.sceneLevel) return undefined;
  return (spec) => {
    if (spec.effects.length > 0) return false;
    const { concepts, words } = specConcepts(spec);
    if (words && sight.words) return false;
    for (const c of concepts) if (sight.concepts.has(c)) return false;
    return true;
  };
}
