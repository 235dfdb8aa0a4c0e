import {
  describeFormula,
  parseFormula,
  printFormula,
  SIZE_BANDS,
  type Formula,
} from '../../subjects/synthetic/index.ts';
import { ancestors, conceptsOfKind, getConcept, isA } from '../../stimuli/vocabulary.ts';
import { PROBE_WORDS } from '../../stimuli/probeset-specs.ts';
import { HUE_COLOURS } from '../../subjects/synthetic/hues.ts';
import { createRandom, hashString, pick, type Random } from '../../util/random.ts';
import type { ScoredAnswer } from './types.ts';

/**
 * Near misses, for testing the scorers as instruments: the exact answer to a synthetic unit with one
 * thing wrong. Where the formula states a condition (a half, a size band, a relation, a count, an
 * orientation), the condition is the thing changed (left → right, large → small, above → below,
 * count 2 → 3); otherwise one concept becomes another of the same kind that is not its relative
 * (dog → a non-animal object, red → another colour, word "stop" → another word). A scorer worth its
 * name ranks exact > near miss > random description.
 */

export type NearMissKind = 'condition' | 'concept';

export interface NearMiss {
  answer: ScoredAnswer;
  kind: NearMissKind;
  /** What was changed, e.g. "left → right", "dog → kite". */
  change: string;
}

const ROOTS = new Set(['object', 'thing', 'colour', 'shape', 'texture', 'scenery', 'background']);
const OPPOSITE_HALF = { left: 'right', right: 'left', top: 'bottom', bottom: 'top' } as const;
const OPPOSITE_RELATION = {
  above: 'below',
  below: 'above',
  left_of: 'right_of',
  right_of: 'left_of',
} as const;

/** The near miss of a formula, seeded by `key`; undefined when nothing in it can be changed. */
export function nearMiss(formulaText: string, key: string): NearMiss | undefined {
  const random = createRandom(hashString(`near-miss\n${key}`));
  const formula = parseFormula(formulaText);
  const changed =
    changeCondition(formula) ??
    (formula.op === 'concept' ? broaden(formula) : undefined) ??
    changeConcept(formula, random);
  if (!changed) return undefined;
  return {
    answer: {
      description: `Fires on ${describeFormula(changed.formula)}.`,
      formula: printFormula(changed.formula),
    },
    kind: changed.kind,
    change: changed.change,
  };
}

interface Change {
  formula: Formula;
  kind: NearMissKind;
  change: string;
}

/** The first condition in the tree, flipped. */
function changeCondition(node: Formula): Change | undefined {
  const here = (formula: Formula, change: string): Change => ({ formula, kind: 'condition', change });
  switch (node.op) {
    case 'half':
      return here({ ...node, half: OPPOSITE_HALF[node.half] }, `${node.half} → ${OPPOSITE_HALF[node.half]}`);
    case 'size': {
      const band = node.band.min > 0 ? SIZE_BANDS.small : SIZE_BANDS.large;
      return here(
        { ...node, band: { ...band } },
        `area ${node.band.min}–${node.band.max} → ${band.min}–${band.max}`,
      );
    }
    case 'relation': {
      const relation = OPPOSITE_RELATION[node.relation];
      return here({ ...node, relation }, `${node.relation} → ${relation}`);
    }
    case 'count': {
      const count = node.comparison === '<=' ? node.count + 2 : node.count + 1;
      const comparison = node.comparison === '<=' ? '>=' : node.comparison;
      return here(
        { ...node, comparison, count },
        `count ${node.comparison} ${node.count} → ${comparison} ${count}`,
      );
    }
    case 'orientation': {
      const orientation = node.orientation === 'upright' ? 'upside-down' : 'upright';
      return here({ ...node, orientation }, `${node.orientation} → ${orientation}`);
    }
    case 'hue':
    case 'concept':
    case 'word':
    case 'char':
    case 'effect':
      return undefined;
    case 'not':
    case 'height':
    case 'span': {
      const inner = changeCondition(node.arg);
      return inner && { ...inner, formula: { ...node, arg: inner.formula } };
    }
    case 'or':
    case 'and':
    case 'intersect': {
      const left = changeCondition(node.left);
      if (left) return { ...left, formula: { ...node, left: left.formula } };
      const right = changeCondition(node.right);
      return right && { ...right, formula: { ...node, right: right.formula } };
    }
  }
}

/**
 * A lone concept has nothing else to keep right, so its near miss is its parent (dog → mammal): one
 * concept wrong, but near — it covers the unit's concept and more.
 */
function broaden(node: Extract<Formula, { op: 'concept' }>): Change | undefined {
  const parent = ancestors(getConcept(node.name)?.name ?? node.name).find((c) => !ROOTS.has(c));
  return parent === undefined
    ? undefined
    : { formula: { op: 'concept', name: parent }, kind: 'concept', change: `${node.name} → ${parent}` };
}

/** The first concept, word or hue in the tree, swapped for an unrelated one of the same kind. */
function changeConcept(node: Formula, random: Random): Change | undefined {
  const here = (formula: Formula, change: string): Change => ({ formula, kind: 'concept', change });
  switch (node.op) {
    case 'concept': {
      const other = unrelated(node.name, random);
      return other === undefined
        ? undefined
        : here({ op: 'concept', name: other }, `${node.name} → ${other}`);
    }
    case 'word': {
      const other = pick(
        random,
        PROBE_WORDS.filter((w) => w !== node.text && !w.includes(node.text)),
      );
      return here({ op: 'word', text: other }, `word "${node.text}" → "${other}"`);
    }
    case 'char': {
      const other = pick(
        random,
        [...'abcdefghijklmnopqrstuvwxyz'].filter((c) => c !== node.char),
      );
      return here({ op: 'char', char: other }, `char "${node.char}" → "${other}"`);
    }
    case 'hue': {
      // The opposite side of the colour wheel, so the tuning curves barely overlap.
      const index = HUE_COLOURS.indexOf(node.colour);
      const colour =
        HUE_COLOURS[(index + Math.floor(HUE_COLOURS.length / 2)) % HUE_COLOURS.length] ?? node.colour;
      return here({ ...node, colour }, `hue ${node.colour} → ${colour}`);
    }
    case 'orientation':
    case 'effect':
      return undefined;
    case 'not':
    case 'half':
    case 'size':
    case 'count':
    case 'height':
    case 'span': {
      const inner = changeConcept(node.arg, random);
      return inner && { ...inner, formula: { ...node, arg: inner.formula } };
    }
    case 'relation': {
      const inner = changeConcept(node.arg, random);
      return inner && { ...inner, formula: { ...node, arg: inner.formula } };
    }
    case 'or':
    case 'intersect': {
      const left = changeConcept(node.left, random);
      return left && { ...left, formula: { ...node, left: left.formula } };
    }
    case 'and': {
      // The gate is the condition of an AND: the near miss keeps what fires and gets the gate wrong.
      const right = changeConcept(node.right, random);
      return right && { ...right, formula: { ...node, right: right.formula } };
    }
  }
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
      other !== name && !isA(other, name) && ![other, ...ancestors(other)].some((c) => family.has(c)),
  );
  return options.length > 0 ? pick(random, options) : undefined;
}
