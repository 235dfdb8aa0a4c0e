import { describeFormula, parseFormula, printFormula, type Formula } from '../../subjects/synthetic/index.ts';
import {
  allConceptNames,
  ancestors,
  conceptsOfKind,
  getConcept,
  isA,
  TEXT_CONCEPT_NAME,
} from '../../stimuli/vocabulary.ts';
import { PROBE_WORDS } from '../../stimuli/probeset-specs.ts';
import { colourHue, HUE_COLOURS, hueDistance } from '../../subjects/synthetic/hues.ts';
import { createRandom, hashString, pick, type Random } from '../../util/random.ts';
import { KIND_ROOTS } from './concept.ts';
import type { ScoredAnswer } from './types.ts';

/**
 * Near misses, for testing the scorers as instruments: the exact answer to a synthetic unit with one
 * thing wrong, in a way that still describes part of what the unit does. A scorer worth its name ranks
 * exact > near miss > random description.
 *
 * "Near" matters. A condition turned into its opposite (left → right, large → small, count 2 → 3)
 * describes scenes disjoint from the unit's, so it is as far from the truth as a random description
 * and a good scorer rightly scores both 0 (measured: docs/benchmarks.md, "Scorers as instruments").
 * So each near miss keeps part of the truth's extent:
 *
 * - condition: the first condition is dropped (left(dog) → dog, large(shape) → shape, count(x) = 2 → x,
 *   above(a, b) → a AND b, an orientation or effect gate → what it gated): right about what, wrong
 *   about where, how large, how many or in which relation;
 * - concept: one concept made too broad (dog → mammal, word "sky" → text), too narrow where it has no
 *   parent (vehicle → car, text → one word), moved to the nearest hue a tuning width away (teal → cyan), one OR branch swapped for an
 *   unrelated concept (window OR wheel → window OR kite), an AND gate broadened (cat AND grass → cat
 *   AND texture), or, for a lone concept with no relative, an unrelated concept OR-ed onto it.
 *
 * `nearMissCandidates` lists every such answer in preference order; the caller checks each on the
 * held-out scenes and skips one that is equivalent there (scripts/scorer-sanity.ts).
 */

export type NearMissKind = 'condition' | 'concept';

export interface NearMiss {
  answer: ScoredAnswer;
  kind: NearMissKind;
  /** What was changed, e.g. "left(dog) → dog", "dog → mammal". */
  change: string;
}

const ROOTS = KIND_ROOTS;

interface Change {
  formula: Formula;
  kind: NearMissKind;
  change: string;
  /** The change makes a concept narrower (vehicle → car): the answer names only true drivers. */
  narrows?: boolean;
}

/** The preferred near miss of a formula, seeded by `key`; undefined when nothing in it can be changed. */
export function nearMiss(formulaText: string, key: string): NearMiss | undefined {
  return nearMissCandidates(formulaText, key)[0];
}

/**
 * Every near miss of a formula, condition changes first (a formula that states a condition is most
 * often wrong about it), then concept changes; none prints the same as the formula itself.
 */
export function nearMissCandidates(formulaText: string, key: string): NearMiss[] {
  const random = createRandom(hashString(`near-miss\n${key}`));
  const formula = parseFormula(formulaText);
  const original = printFormula(formula);
  const changes = [...dropConditions(formula), ...changeConcepts(formula, random, true)];
  const seen = new Set<string>([original]);
  const out: NearMiss[] = [];
  for (const c of changes) {
    const printed = printFormula(c.formula);
    if (seen.has(printed)) continue;
    seen.add(printed);
    out.push({
      answer: { description: `Fires on ${describeFormula(c.formula)}.`, formula: printed },
      kind: c.kind,
      change: c.change,
    });
  }
  return out;
}

/** Each condition in the tree, dropped (one change per condition, outermost first). */
function dropConditions(node: Formula): Change[] {
  const here = (formula: Formula): Change => ({
    formula,
    kind: 'condition',
    change: `${printFormula(node)} → ${printFormula(formula)}`,
  });
  const inside = (rebuild: (inner: Formula) => Formula, arg: Formula): Change[] =>
    dropConditions(arg).map((c) => ({ ...c, formula: rebuild(c.formula) }));
  switch (node.op) {
    case 'half':
    case 'size':
    case 'count':
    case 'height':
    case 'span':
      return [here(node.arg), ...inside((arg) => ({ ...node, arg }), node.arg)];
    case 'relation':
      // The relation dropped, both things kept: `a` where `b` is also in the scene.
      return [here({ op: 'and', left: node.arg, right: node.reference })];
    case 'and': {
      // A scene-level gate (orientation, effect) is a condition on the whole scene: drop it.
      const gate = (f: Formula) => f.op === 'orientation' || f.op === 'effect';
      const dropped = gate(node.right) ? [here(node.left)] : gate(node.left) ? [here(node.right)] : [];
      return [
        ...dropped,
        ...inside((left) => ({ ...node, left }), node.left),
        ...inside((right) => ({ ...node, right }), node.right),
      ];
    }
    case 'or':
    case 'intersect':
      return [
        ...inside((left) => ({ ...node, left }), node.left),
        ...inside((right) => ({ ...node, right }), node.right),
      ];
    case 'not':
      // What a NOT excludes is itself a condition; changing inside it is a concept change below.
      return [];
    case 'concept':
    case 'word':
    case 'char':
    case 'hue':
    case 'orientation':
    case 'effect':
      return [];
  }
}

/** One-concept changes, outermost first. `alone`: the node is the whole formula. */
function changeConcepts(node: Formula, random: Random, alone: boolean): Change[] {
  const here = (formula: Formula, change: string): Change => ({ formula, kind: 'concept', change });
  const inside = (rebuild: (inner: Formula) => Formula, arg: Formula): Change[] =>
    changeConcepts(arg, random, false).map((c) => ({ ...c, formula: rebuild(c.formula) }));
  switch (node.op) {
    case 'concept': {
      // Text is made of words: one word is too narrow a description of a text unit.
      if (node.name === TEXT_CONCEPT_NAME) {
        const word = pick(random, PROBE_WORDS);
        return [here({ op: 'word', text: word }, `${TEXT_CONCEPT_NAME} → word("${word}")`)];
      }
      const broader = parentOf(node.name);
      const narrower = broader === undefined ? memberOf(node.name, random) : undefined;
      const out: Change[] = [];
      if (broader !== undefined)
        out.push(here({ op: 'concept', name: broader }, `${node.name} → ${broader}`));
      if (narrower !== undefined)
        out.push({ ...here({ op: 'concept', name: narrower }, `${node.name} → ${narrower}`), narrows: true });
      if (alone || out.length === 0) {
        // Nothing related to move to: name one unrelated thing beside it (right, and too broad).
        const other = unrelated(node.name, random);
        if (other !== undefined)
          out.push(
            here(
              { op: 'or', left: node, right: { op: 'concept', name: other } },
              `${node.name} → ${node.name} OR ${other}`,
            ),
          );
      }
      return out;
    }
    case 'word':
    case 'char':
      // A word or a letter is text: the description names the kind of thing, not which.
      return [
        here({ op: 'concept', name: TEXT_CONCEPT_NAME }, `${printFormula(node)} → ${TEXT_CONCEPT_NAME}`),
      ];
    case 'hue': {
      const colour = nearestHue(node.colour, node.sigma);
      return colour === undefined ? [] : [here({ ...node, colour }, `hue ${node.colour} → ${colour}`)];
    }
    case 'orientation':
    case 'effect':
      return [];
    case 'half':
    case 'size':
    case 'count':
    case 'height':
    case 'span':
      return inside((arg) => ({ ...node, arg }), node.arg);
    case 'relation':
      return [
        ...inside((arg) => ({ ...node, arg }), node.arg),
        ...inside((reference) => ({ ...node, reference }), node.reference),
      ];
    case 'not': {
      // Excluding the wrong thing: `a AND NOT b` → `a AND NOT c`, c unrelated to b.
      if (node.arg.op !== 'concept') return inside((arg) => ({ ...node, arg }), node.arg);
      const other = unrelated(node.arg.name, random);
      return other === undefined
        ? []
        : [here({ op: 'not', arg: { op: 'concept', name: other } }, `NOT ${node.arg.name} → NOT ${other}`)];
    }
    case 'or': {
      // One branch swapped for an unrelated concept: the other branch is still right.
      const swap = (branch: Formula, rebuild: (f: Formula) => Formula): Change[] => {
        if (branch.op !== 'concept') return [];
        const other = unrelated(branch.name, random);
        return other === undefined
          ? []
          : [here(rebuild({ op: 'concept', name: other }), `${branch.name} → ${other}`)];
      };
      return [
        ...swap(node.right, (right) => ({ ...node, right })),
        ...swap(node.left, (left) => ({ ...node, left })),
        ...inside((left) => ({ ...node, left }), node.left),
        ...inside((right) => ({ ...node, right }), node.right),
      ];
    }
    case 'and':
    case 'intersect':
      // The gate (AND's right side, the second term of `&`) first: what fires is kept. A change that
      // broadens comes before one that narrows: a description naming only true drivers (black
      // hexagons for black polygons) is too narrow, which a scorer of predictions cannot see.
      return [
        ...inside((right) => ({ ...node, right }), node.right),
        ...inside((left) => ({ ...node, left }), node.left),
      ].sort((a, b) => Number(a.narrows ?? false) - Number(b.narrows ?? false));
  }
}

/** The nearest ancestor below the roots ('dog' → 'mammal'), if any. */
function parentOf(name: string): string | undefined {
  return ancestors(getConcept(name)?.name ?? name).find((c) => !ROOTS.has(c));
}

/** A concept directly or indirectly below this one ('vehicle' → 'car'), seeded. */
function memberOf(name: string, random: Random): string | undefined {
  const members = allConceptNames().filter((c) => c !== name && isA(c, name));
  return members.length > 0 ? pick(random, members) : undefined;
}

/**
 * The chromatic colour nearest in hue that is at least one tuning width (σ) away (teal → cyan for
 * σ 20): nearer than that the two tuning curves agree on almost every item and the miss is no miss.
 */
function nearestHue(colour: string, sigma: number): string | undefined {
  const hue = colourHue(colour);
  if (hue === undefined) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const other of HUE_COLOURS) {
    const h = colourHue(other);
    if (other === colour || h === undefined) continue;
    const d = hueDistance(h, hue);
    if (d >= sigma && d < bestDistance) [best, bestDistance] = [other, d];
  }
  return best;
}

/** A concept of the same kind that is neither this one nor a relative of it (nor shares its parent). */
function unrelated(name: string, random: Random): string | undefined {
  const concept = getConcept(name);
  if (!concept) return undefined;
  const kind = concept.kind === 'category' ? 'object' : concept.kind;
  // Relatives share a parent below the root of their kind ('mammal', 'warm colour'), not 'colour' itself.
  const family = new Set([name, ...ancestors(name)].filter((c) => !ROOTS.has(c)));
  const options = conceptsOfKind(kind).filter(
    (other) =>
      other !== name &&
      !isA(other, name) &&
      !isA(name, other) &&
      ![other, ...ancestors(other)].some((c) => family.has(c)),
  );
  return options.length > 0 ? pick(random, options) : undefined;
}
