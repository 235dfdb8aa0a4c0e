import { parseFormula, type Formula } from '../../subjects/synthetic/index.ts';
import { lookupConcept } from '../../stimuli/vocabulary.ts';

/**
 * The conditions a description (and its formula) puts on what drives a unit, beside the things it
 * names (mentions.ts): how large, where along the image, on what background. The predictive scorer
 * draws its scenes under these conditions and, on some trials, breaks one of them, so "large upright
 * words with an e on the left" is tested as stated, not as "an e somewhere".
 */
export interface Conditions {
  size?: 'small' | 'large';
  position?: 'left' | 'right';
  /** A plain background colour the description names ("on a yellow background"). */
  background?: string;
}

const LARGE = /\b(?:large|big|bigger|larger|tall|taller|huge|wide|bold|fills? the (?:line|height|image))\b/i;
const SMALL = /\b(?:small|smaller|tiny|short|little|thin)\b/i;
/**
 * A side named as a position: "on the left", "in the right half", "left side", "start of the line". "right"
 * alone also means correct ("the right letters"), so a bare side word does not count.
 */
function sidePattern(side: 'left' | 'right'): RegExp {
  const ends = side === 'left' ? 'start|beginning' : 'end';
  return new RegExp(
    `\\b(?:on|in|at|toward|towards)\\s+the\\s+${side}\\b|\\bto\\s+the\\s+${side}(?=\\s+(?:side|half|part|end|edge)\\b|\\s*[.,;)]|\\s*$)` +
      `|\\b${side}[\\s-]+(?:half|side|part|end|edge|hand)\\b|\\b(?:${ends})\\s+of\\s+the\\s+(?:line|image|word)\\b`,
    'i',
  );
}
const LEFT = sidePattern('left');
const RIGHT = sidePattern('right');
const BACKGROUND = /\b([a-z]+(?:\s[a-z]+)?)\s+background\b/gi;
/** Words that sit before "background" without naming one ("plain background", "the background"). */
const NOT_A_BACKGROUND = new Set(['the', 'a', 'plain', 'any', 'its', 'same', 'whatever']);

export function extractConditions(description: string, formula?: string): Conditions {
  const conditions: Conditions = {};
  // "not large", "regardless of size": a size that is denied or waived is no condition.
  const text = description.replace(/\b(?:not|never|regardless of|whatever the|any)\s+\w+/gi, ' ');
  const large = LARGE.test(text);
  const small = SMALL.test(text);
  if (large !== small) conditions.size = large ? 'large' : 'small';
  const left = LEFT.test(text);
  const right = RIGHT.test(text);
  if (left !== right) conditions.position = left ? 'left' : 'right';
  for (const match of text.matchAll(BACKGROUND)) {
    const words = (match[1] ?? '')
      .toLowerCase()
      .split(/\s+/)
      .filter((w) => !NOT_A_BACKGROUND.has(w));
    const concept = lookupConcept(words.join(' ')) ?? lookupConcept(words[words.length - 1] ?? '');
    if (concept && (concept.kind === 'colour' || concept.roles.includes('background'))) {
      conditions.background = concept.name;
      break;
    }
  }
  if (formula !== undefined) Object.assign(conditions, formulaConditions(formula), stated(conditions));
  return conditions;
}

/** The conditions already taken from the words win over the formula's. */
function stated(conditions: Conditions): Conditions {
  return Object.fromEntries(Object.entries(conditions).filter(([, v]) => v !== undefined)) as Conditions;
}

/** Conditions a formula states: a height band (size), a half or an x band (position). */
export function formulaConditions(text: string): Conditions {
  let tree: Formula;
  try {
    tree = parseFormula(text);
  } catch {
    return {};
  }
  const conditions: Conditions = {};
  const visit = (node: Formula): void => {
    if (node.op === 'not') return; // what a NOT says is not a condition for the unit to fire
    const open = node.op === 'height' || node.op === 'size';
    if (open && node.band.min === 0 && node.band.max < 1) conditions.size ??= 'small';
    if (open && node.band.min > 0 && node.band.max >= 1) conditions.size ??= 'large';
    if (node.op === 'half' && (node.half === 'left' || node.half === 'right'))
      conditions.position ??= node.half;
    if (node.op === 'span' && node.axis === 'x') {
      const centre = (node.band.min + node.band.max) / 2;
      if (centre < 0.4) conditions.position ??= 'left';
      else if (centre > 0.6) conditions.position ??= 'right';
    }
    if ('left' in node) {
      visit(node.left);
      visit(node.right);
    }
    if ('arg' in node) visit(node.arg);
    if ('reference' in node) visit(node.reference);
  };
  visit(tree);
  return conditions;
}

/** Concept names a formula says must be absent (under a NOT), through the vocabulary. */
export function absentConcepts(text: string | undefined): string[] {
  if (text === undefined) return [];
  let tree: Formula;
  try {
    tree = parseFormula(text);
  } catch {
    return [];
  }
  const out: string[] = [];
  const visit = (node: Formula, negated: boolean): void => {
    if (node.op === 'concept' && negated) out.push(lookupConcept(node.name)?.name ?? node.name);
    if (node.op === 'not') visit(node.arg, !negated);
    if ('left' in node) {
      visit(node.left, negated);
      visit(node.right, negated);
    }
    if ('arg' in node && node.op !== 'not') visit(node.arg, negated);
    if ('reference' in node) visit(node.reference, negated);
  };
  visit(tree, false);
  return out;
}
