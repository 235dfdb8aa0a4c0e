import type { Formula } from './ast.ts';
import { HUE_COLOURS } from './hues.ts';
import { formulaConcepts } from './print.ts';
import { normaliseName, type AnnotatedScene } from './scene.ts';

/**
 * What a formula can see in a scene, so that evaluating it can be skipped where it sees nothing. A
 * formula reads the masks and items of the concepts it names, word items for word(), and items of a
 * chromatic colour for hue(). On a scene with none of those its map is the same as on an empty scene
 * of that size, unless a NOT sits under an item-level operator (size, relation, count): there the
 * all-ones map of an absent concept picks out whatever items the scene has. Most probe scenes hold
 * none of a unit's concepts, so a pass over a probe set mostly skips.
 */
export interface FormulaSight {
  /** Concept names whose presence (as a mask or an item's concept) the formula can see. */
  concepts: ReadonlySet<string>;
  words: boolean;
  /** Whether it reads the scene's orientation or effects, which every scene has. */
  sceneLevel: boolean;
  /** Whether an empty scene's value stands for every scene the formula cannot see into. */
  constantWhenBlind: boolean;
}

const sights = new WeakMap<Formula, FormulaSight>();

export function formulaSight(formula: Formula): FormulaSight {
  let sight = sights.get(formula);
  if (!sight) {
    const usesHue = some(formula, (node) => node.op === 'hue');
    const itemLevel = (node: Formula) => node.op === 'size' || node.op === 'relation' || node.op === 'count';
    sight = {
      concepts: new Set(
        [...formulaConcepts(formula), ...(usesHue ? HUE_COLOURS : [])].flatMap((n) => [n, normaliseName(n)]),
      ),
      words: some(formula, (node) => node.op === 'word' || node.op === 'char'),
      sceneLevel: some(formula, (node) => node.op === 'orientation' || node.op === 'effect'),
      constantWhenBlind: !some(
        formula,
        (node) => itemLevel(node) && some(node, (inner) => inner.op === 'not'),
      ),
    };
    sights.set(formula, sight);
  }
  return sight;
}

/** Whether the formula sees nothing in the scene, so its map there is an empty scene's. */
export function blindTo(sight: FormulaSight, scene: AnnotatedScene): boolean {
  if (!sight.constantWhenBlind || sight.sceneLevel) return false;
  for (const name of sight.concepts) if (scene.masks.has(name)) return false;
  for (const item of scene.annotation.items) {
    if (sight.words && item.kind === 'word') return false;
    for (const concept of item.concepts) if (sight.concepts.has(normaliseName(concept))) return false;
  }
  return true;
}

export function some(node: Formula, test: (node: Formula) => boolean): boolean {
  if (test(node)) return true;
  if ('left' in node) return some(node.left, test) || some(node.right, test);
  if ('arg' in node && some(node.arg, test)) return true;
  return 'reference' in node && some(node.reference, test);
}
