import { bandName, DEFAULT_HUE_SIGMA, type Formula } from './ast.ts';

/** Binding strength, loosest first; a child binding looser than its slot needs parentheses. */
const PRECEDENCE = { or: 1, and: 2, intersect: 3, not: 4, atom: 5 } as const;

function precedence(formula: Formula): number {
  switch (formula.op) {
    case 'or':
    case 'and':
    case 'intersect':
    case 'not':
      return PRECEDENCE[formula.op];
    default:
      return PRECEDENCE.atom;
  }
}

/**
 * The canonical text of a formula: operators in capitals, single spaces, `, ` between arguments, and
 * only the parentheses the tree needs, so `parseFormula(printFormula(f))` gives back `f` exactly.
 */
export function printFormula(formula: Formula): string {
  return print(formula, PRECEDENCE.or);
}

function print(formula: Formula, slot: number): string {
  const text = printNode(formula);
  return precedence(formula) < slot ? `(${text})` : text;
}

function printNode(formula: Formula): string {
  switch (formula.op) {
    case 'concept':
      return formula.name;
    case 'or':
    case 'and':
    case 'intersect': {
      // Left-associative: the right operand must bind tighter to print without parentheses.
      const level = PRECEDENCE[formula.op];
      const symbol = formula.op === 'intersect' ? '&' : formula.op.toUpperCase();
      return `${print(formula.left, level)} ${symbol} ${print(formula.right, level + 1)}`;
    }
    case 'not':
      return `NOT ${print(formula.arg, PRECEDENCE.not)}`;
    case 'half':
      return `${formula.half}(${printFormula(formula.arg)})`;
    case 'size': {
      const named = bandName(formula.band);
      return named
        ? `${named}(${printFormula(formula.arg)})`
        : `area(${printFormula(formula.arg)}, ${formula.band.min}, ${formula.band.max})`;
    }
    case 'relation':
      return `${formula.relation}(${printFormula(formula.arg)}, ${printFormula(formula.reference)})`;
    case 'count':
      return `count(${printFormula(formula.arg)}) ${formula.comparison} ${formula.count}`;
    case 'word':
      return `word("${formula.text.replace(/[\\"]/g, '\\$&')}")`;
    case 'hue':
      return formula.sigma === DEFAULT_HUE_SIGMA
        ? `hue(${formula.colour})`
        : `hue(${formula.colour}, ${formula.sigma})`;
    case 'char':
      return `char("${formula.char.replace(/[\\"]/g, '\\$&')}")`;
    case 'orientation':
      return `orientation(${formula.orientation})`;
    case 'effect':
      return `effect(${formula.effect})`;
    case 'height':
      return `height(${printFormula(formula.arg)}, ${formula.band.min}, ${formula.band.max})`;
    case 'span':
      return `${formula.axis}span(${printFormula(formula.arg)}, ${formula.band.min}, ${formula.band.max})`;
  }
}

/**
 * The concept names a formula mentions, in first-use order, including the colour of `hue(colour)`
 * (for validating against a vocabulary; a word's text is not a concept name).
 */
export function formulaConcepts(formula: Formula): string[] {
  const names: string[] = [];
  const visit = (node: Formula): void => {
    switch (node.op) {
      case 'concept':
        if (!names.includes(node.name)) names.push(node.name);
        return;
      case 'or':
      case 'and':
      case 'intersect':
        visit(node.left);
        visit(node.right);
        return;
      case 'not':
      case 'half':
      case 'size':
      case 'count':
      case 'height':
      case 'span':
        visit(node.arg);
        return;
      case 'relation':
        visit(node.arg);
        visit(node.reference);
        return;
      case 'hue':
        if (!names.includes(node.colour)) names.push(node.colour);
        return;
      case 'word':
      case 'char':
      case 'orientation':
      case 'effect':
        return;
    }
  };
  visit(formula);
  return names;
}
