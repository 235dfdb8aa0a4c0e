import { bandName, type Formula } from './ast.ts';

const RELATION_WORDS = {
  above: 'below it',
  below: 'above it',
  left_of: 'to its right',
  right_of: 'to its left',
} as const;

const COMPARISON_WORDS = { '=': 'exactly', '>=': 'at least', '<=': 'at most' } as const;

/**
 * A formula in plain words, for the ground-truth description of a unit: `cup AND handle` →
 * "cup, only when handle is also present". Written for people and for a judge model comparing an
 * agent's description with the truth, so it names the concepts exactly as the formula does.
 */
export function describeFormula(formula: Formula): string {
  switch (formula.op) {
    case 'concept':
      return formula.name;
    case 'or':
      return `${describeFormula(formula.left)} or ${describeFormula(formula.right)}`;
    case 'and':
      if (formula.right.op === 'orientation' || formula.right.op === 'effect')
        return `${describeFormula(formula.left)}, only when ${sceneCondition(formula.right)}`;
      return formula.right.op === 'not'
        ? `${describeFormula(formula.left)}, only when there is no ${describeFormula(formula.right.arg)} in the image`
        : `${describeFormula(formula.left)}, only when ${describeFormula(formula.right)} is also present`;
    case 'intersect':
      return `what is both ${describeFormula(formula.left)} and ${describeFormula(formula.right)}`;
    case 'not':
      return `the whole image when there is no ${describeFormula(formula.arg)}`;
    case 'half':
      return `${describeFormula(formula.arg)} in the ${formula.half} half of the image`;
    case 'size': {
      const percent = (x: number) => `${Math.round(x * 1000) / 10}%`;
      const { min, max } = formula.band;
      const named = bandName(formula.band);
      const range =
        min === 0
          ? `under ${percent(max)}`
          : max >= 1
            ? `at least ${percent(min)}`
            : `from ${percent(min)} to ${percent(max)}`;
      return `${named ? `${named} ` : ''}${describeFormula(formula.arg)} (visible area ${range} of the image)`;
    }
    case 'relation':
      return `${describeFormula(formula.arg)} with ${describeFormula(formula.reference)} ${RELATION_WORDS[formula.relation]}`;
    case 'count':
      return `${describeFormula(formula.arg)}, when there are ${COMPARISON_WORDS[formula.comparison]} ${formula.count} of them`;
    case 'word':
      return `the word "${formula.text}"`;
    case 'hue':
      return `coloured items, more strongly the closer their hue is to ${formula.colour} (Gaussian tuning, σ ${formula.sigma}°)`;
    case 'char':
      return `words containing the letter "${formula.char}"`;
    case 'orientation':
    case 'effect':
      return `the whole image when ${sceneCondition(formula)}`;
    case 'height': {
      const percent = (x: number) => `${Math.round(x * 1000) / 10}%`;
      return `${describeFormula(formula.arg)} whose height is ${percent(formula.band.min)} to ${percent(formula.band.max)} of the image's`;
    }
    case 'span': {
      const percent = (x: number) => `${Math.round(x * 1000) / 10}%`;
      const side = formula.axis === 'x' ? 'from the left' : 'from the top';
      return `${describeFormula(formula.arg)} between ${percent(formula.band.min)} and ${percent(formula.band.max)} of the image ${side}`;
    }
  }
}

function sceneCondition(formula: Extract<Formula, { op: 'orientation' | 'effect' }>): string {
  if (formula.op === 'effect') return `the image has a ${formula.effect} effect`;
  return formula.orientation === 'upright'
    ? 'the image is upright'
    : 'the image is upside down (rotated 180°)';
}
