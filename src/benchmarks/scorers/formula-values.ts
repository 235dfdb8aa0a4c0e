import {
  evaluateFormula,
  formulaConcepts,
  HUE_COLOURS,
  type AnnotatedScene,
  type Formula,
} from '../../subjects/synthetic/index.ts';
import { conceptMask, deriveItemMap } from '../../stimuli/masks.ts';
import type { ProbeSet } from '../../stimuli/probeset.ts';
import { lookupConcept, TEXT_CONCEPT_NAME } from '../../stimuli/vocabulary.ts';

/**
 * A formula's value on every scene of a probe set, computed with the evaluator synthetic units use
 * (so a unit's own formula reproduces its noise-free activations exactly), but without materialising
 * what the formula cannot read: only the masks of the concepts it names are derived, and scenes that
 * contain none of them are not evaluated at all when the answer is provably the empty scene's.
 */

/** Concept names through the vocabulary ('hands' → 'hand'), so an answer is read as the renderer labels. */
export function canonicalFormula(formula: Formula): { formula: Formula; unknown: string[] } {
  const unknown: string[] = [];
  const canonical = (name: string): string => {
    const found = lookupConcept(name);
    if (!found && !unknown.includes(name)) unknown.push(name);
    return found?.name ?? name;
  };
  const visit = (node: Formula): Formula => {
    switch (node.op) {
      case 'concept':
        return { op: 'concept', name: canonical(node.name) };
      case 'or':
      case 'and':
      case 'intersect':
        return { ...node, left: visit(node.left), right: visit(node.right) };
      case 'not':
      case 'half':
      case 'size':
      case 'count':
        return { ...node, arg: visit(node.arg) };
      case 'relation':
        return { ...node, arg: visit(node.arg), reference: visit(node.reference) };
      case 'hue':
        return { ...node, colour: lookupConcept(node.colour)?.name ?? node.colour };
      case 'word':
        return node;
    }
  };
  return { formula: visit(formula), unknown };
}

function some(node: Formula, test: (node: Formula) => boolean): boolean {
  if (test(node)) return true;
  if ('left' in node) return some(node.left, test) || some(node.right, test);
  if ('arg' in node && some(node.arg, test)) return true;
  return 'reference' in node && some(node.reference, test);
}

/**
 * Whether the formula's value on a scene that contains none of its concepts is the same for every
 * such scene. It is, unless a NOT sits under an item-level operator (size, relation, count): there
 * the all-ones map of an absent concept picks out whatever items the scene has.
 */
function constantWhenAbsent(formula: Formula): boolean {
  const itemLevel = (node: Formula) => node.op === 'size' || node.op === 'relation' || node.op === 'count';
  return !some(formula, (node) => itemLevel(node) && some(node, (inner) => inner.op === 'not'));
}

/** The formula's value on each scene of `indices` (default: every scene of the set), in that order. */
export function formulaValues(
  formula: Formula,
  set: ProbeSet,
  grid: number,
  indices?: readonly number[],
): Float32Array {
  const { width, height } = set;
  const concepts = formulaConcepts(formula).filter(
    (name) => !HUE_COLOURS.includes(name) || hasConcept(formula, name),
  );
  const usesWord = some(formula, (node) => node.op === 'word');
  const usesHue = some(formula, (node) => node.op === 'hue');
  const maskNames = usesWord ? [...concepts, TEXT_CONCEPT_NAME] : concepts;
  // What a scene must contain for the formula to see anything: its concepts, text for words, any
  // hue-bearing colour for hue().
  const relevant = new Set([...maskNames, ...(usesHue ? HUE_COLOURS : [])]);
  const shortcut = constantWhenAbsent(formula);
  const empty: AnnotatedScene = {
    image: { width, height },
    masks: new Map(),
    itemMap: new Uint8Array(width * height),
    annotation: { items: [], background: '' },
  };
  const absentValue = evaluateFormula(formula, empty, { grid }).value;
  const scenes = indices ?? Array.from({ length: set.n }, (_, i) => i);
  const values = new Float32Array(scenes.length);
  for (const [k, i] of scenes.entries()) {
    const annotation = set.scenes[i]?.annotation;
    if (!annotation) throw new Error(`probe set ${set.id} has no scene ${i}`);
    if (shortcut && !annotation.concepts.some((c) => relevant.has(c.name))) {
      values[k] = absentValue;
      continue;
    }
    const labels = set.labels(i);
    const scene: AnnotatedScene = {
      image: { width, height },
      masks: new Map(maskNames.map((name) => [name, conceptMask(labels.labels, labels.labelConcepts, name)])),
      itemMap: deriveItemMap(labels.labels, labels.labelItem),
      annotation,
    };
    values[k] = evaluateFormula(formula, scene, { grid }).value;
  }
  return values;
}

/** Whether `name` is used as a concept (not only as the colour of a hue). */
function hasConcept(formula: Formula, name: string): boolean {
  return some(formula, (node) => node.op === 'concept' && node.name === name);
}
