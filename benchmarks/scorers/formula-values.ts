import { evaluateFormula, type Formula } from '../../subjects/synthetic/index.ts';
import type { ProbeSet } from '../../stimuli/probeset.ts';
import { lookupConcept } from '../../stimuli/vocabulary.ts';
import { probeSetAnnotatedScenes } from '../../tools/cache/probe-scenes.ts';

/**
 * A formula's value on every scene of a probe set, computed with the evaluator synthetic units use
 * (so a unit's own formula reproduces its noise-free activations exactly), on scenes read as synthetic
 * units read them: only the masks the formula names are derived, and scenes it cannot see into are
 * not evaluated at all (subjects/synthetic/sight.ts).
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
      case 'height':
      case 'span':
        return { ...node, arg: visit(node.arg) };
      case 'relation':
        return { ...node, arg: visit(node.arg), reference: visit(node.reference) };
      case 'hue':
        return { ...node, colour: lookupConcept(node.colour)?.name ?? node.colour };
      case 'word':
      case 'char':
      case 'orientation':
      case 'effect':
        return node;
    }
  };
  return { formula: visit(formula), unknown };
}

/** Scenes evaluated at a time: each holds the masks it derived until its batch is done. */
const BATCH = 64;

/** The formula's value on each scene of `indices` (default: every scene of the set), in that order. */
export function formulaValues(
  formula: Formula,
  set: ProbeSet,
  grid: number,
  indices?: readonly number[],
): Float32Array {
  const order = indices ?? Array.from({ length: set.n }, (_, i) => i);
  const values = new Float32Array(order.length);
  for (let start = 0; start < order.length; start += BATCH) {
    const batch = order.slice(start, start + BATCH);
    probeSetAnnotatedScenes(set, batch).forEach((scene, k) => {
      values[start + k] = evaluateFormula(formula, scene, { grid }).value;
    });
  }
  return values;
}
