import { renderScene } from '../../stimuli/render.ts';
import type { SceneSpec } from '../../stimuli/spec.ts';
import { evaluateFormula, formulaConcepts, type Formula } from '../../subjects/synthetic/index.ts';
import { driverEdits } from '../../tools/scenes/scene-drivers.ts';
import { focusSpace, mutate, randomSearchSpec } from '../../tools/scenes/scene-search.ts';
import { createRandom, hash32 } from '../../util/random.ts';
import { isA, lookupConcept, TEXT_CONCEPT_NAME } from '../../stimuli/vocabulary.ts';

/**
 * Contrastive held-out scenes for a rule: scenes built to satisfy it and minimal pairs that break it.
 * A rare unit (exactly two cats, a bird above a tree) fires on none of thousands of random scenes,
 * where even its exact formula scores r = 0; with these, every task has scenes where the unit fires,
 * and the pairs — the same scene with one thing changed (one cat fewer or more, the tree removed, the
 * background swapped) — separate the right answer from a near miss (`cat` for `count(cat) = 2`).
 *
 * Satisfying scenes are found by generate-and-test from the search's distributions, drawing the
 * rule's concepts half the time, then by edits of scenes that came close; each is kept with the edits
 * (driverEdits: remove every / one X, one more X, background → white) that make the rule false.
 * Everything is drawn from the seed, so the held-out set is the same on every machine.
 */

/** A satisfying scene and the minimal pairs of it that break the rule. */
export interface ContrastGroup {
  satisfying: SceneSpec;
  broken: SceneSpec[];
}

export interface ContrastiveOptions {
  seed: number;
  /** Satisfying scenes wanted (each brings its minimal pairs). */
  count: number;
  size: number;
  height: number;
  grid: number;
  /** Scenes tried before giving up (the rule may be unsatisfiable with the vocabulary). */
  attempts?: number;
  /**
   * Also break the rule by removing every item under one of its concepts (every shape, for
   * `top(shape)`), where removing one item name leaves other members that keep it true. Off for
   * held-out sets (they stay as they were made); the predictive scorer turns it on.
   */
  removeCategories?: boolean;
}

/** Satisfying scenes and their minimal pairs, satisfying first of each group; `satisfying` counts the former. */
export async function contrastiveSpecs(
  formula: Formula,
  options: ContrastiveOptions,
): Promise<{ specs: SceneSpec[]; satisfying: number; groups: ContrastGroup[] }> {
  const random = createRandom(hash32(options.seed, options.count, 0xc0a7));
  const space = focusSpace(formulaConcepts(formula));
  const attempts = options.attempts ?? 40 * options.count + 400;
  const value = async (spec: SceneSpec) =>
    evaluateFormula(formula, await renderScene(spec), { grid: options.grid }).value;
  const sized = (spec: SceneSpec): SceneSpec => ({ ...spec, width: options.size, height: options.height });
  const out: SceneSpec[] = [];
  const groups: ContrastGroup[] = [];
  const close: SceneSpec[] = [];
  let satisfied = 0;
  for (let tried = 0; tried < attempts && satisfied < options.count; tried++) {
    const base =
      close.length > 0 && random() < 0.5
        ? mutate(random, close[Math.floor(random() * close.length)] as SceneSpec, space)
        : randomSearchSpec(random, space);
    const spec = sized({ ...base, seed: Math.floor(random() * 1e6) });
    const v = await value(spec);
    if (v < 0.5) {
      if (v > 0 && close.length < 32) close.push(spec);
      continue;
    }
    out.push(spec);
    satisfied++;
    const group: ContrastGroup = { satisfying: spec, broken: [] };
    const edits = [
      ...driverEdits(spec),
      ...(options.removeCategories ? categoryRemovals(spec, formulaConcepts(formula)) : []),
    ];
    for (const edit of edits) {
      const broken = sized(edit.spec);
      if (broken.items.length > 0 && (await value(broken)) < 0.5) {
        out.push(broken);
        group.broken.push(broken);
      }
    }
    groups.push(group);
  }
  return { specs: out, satisfying: satisfied, groups };
}

/** The scene without every item under each concept (only where that removes more than one name). */
function categoryRemovals(
  spec: SceneSpec,
  concepts: readonly string[],
): { change: string; spec: SceneSpec }[] {
  const out: { change: string; spec: SceneSpec }[] = [];
  for (const name of concepts) {
    const concept = lookupConcept(name)?.name ?? name;
    // Words are text: `text` covers every word item, whatever it says.
    const under = (it: SceneSpec['items'][number]) =>
      concept === TEXT_CONCEPT_NAME ? it.kind === 'word' : isA(it.name, concept);
    const items = spec.items.filter((it) => !under(it));
    const removed = new Set(spec.items.filter(under).map((it) => it.name));
    if (removed.size > 1) out.push({ change: `remove every ${concept}`, spec: { ...spec, items } });
  }
  return out;
}
