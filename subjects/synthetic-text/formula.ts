import { didYouMean } from '../synthetic/nearest.ts';
import { BooleanFormulaParser, isOperatorWord, level } from '../synthetic/boolean-parser.ts';
import type { Token } from '../synthetic/tokenize.ts';

/**
 * The text concept language: what a text unit fires on, token by token. Synthetic text units are
 * formulas, and an agent may answer with one, so one evaluator gives a unit's activations and scores
 * an answer (the same design as the scene language in subjects/synthetic, whose tokenizer it shares).
 *
 *   formula  := and ( 'OR' and )*
 *   and      := unary ( ( 'AND' | '&' ) unary )*
 *   unary    := 'NOT' unary | primary
 *   primary  := '(' formula ')' | call | concept
 *   concept  := word                        noun · colour · sentence_start · in_quotes · repeated
 *   call     := 'word' '(' string ')'       word("the"): the token, case ignored
 *            |  'after' '(' formula ',' formula ')'   after(noun, colour): a noun right after a colour word
 *            |  'depth' '(' integer ')'     depth(2): inside at least two brackets
 *
 * Meaning: every formula gives each token a value, 1 where it holds and 0 where not. A concept holds
 * on tokens annotated with it; OR is the larger value, AND (or &) the smaller: both hold on the same
 * token; NOT is 1 minus the value, token by token. after(A, B) is A on tokens whose previous token
 * has B. Binding, tightest first: calls and parentheses, NOT, AND, OR; left-associative.
 */
export type TextFormula =
  | { op: 'concept'; name: string }
  | { op: 'word'; text: string }
  | { op: 'or'; left: TextFormula; right: TextFormula }
  | { op: 'and'; left: TextFormula; right: TextFormula }
  | { op: 'not'; arg: TextFormula }
  | { op: 'after'; arg: TextFormula; previous: TextFormula }
  | { op: 'depth'; depth: number };

export const TEXT_FUNCTIONS = ['word', 'after', 'depth'] as const;
const MAX_DEPTH = 10;

export function parseTextFormula(source: string): TextFormula {
  return new Parser(source).parseAll();
}

class Parser extends BooleanFormulaParser<TextFormula> {
  constructor(source: string) {
    // OR, then AND (or &: a token has no parts, so both mean the same), loosest first.
    super(
      source,
      'text formula',
      [
        level<TextFormula>({ keywords: ['OR'] }, (left, right) => ({ op: 'or', left, right })),
        level<TextFormula>({ keywords: ['AND'], tokens: ['&'] }, (left, right) => ({
          op: 'and',
          left,
          right,
        })),
      ],
      (arg) => ({ op: 'not', arg }),
    );
  }

  protected emptyMessage(): string {
    return 'the formula is empty; write a concept such as noun';
  }

  protected endExpected(): string {
    return 'AND, OR or the end of the formula';
  }

  protected primaryExpected(): string {
    return "a concept (such as noun), NOT, a function such as word(...), or '('";
  }

  protected parseAtom(): TextFormula {
    const token = this.next();
    if (this.peek().type === '(') return this.parseCall(token);
    if (this.peek().type === 'word' && !isOperatorWord(this.peek().text))
      throw this.unexpected(
        this.peek(),
        `AND, OR or ')' after '${token.text}' (concepts are one word: in_quotes)`,
      );
    return { op: 'concept', name: token.text.toLowerCase() };
  }

  private parseCall(name: Token): TextFormula {
    const fn = name.text.toLowerCase();
    this.expect('(');
    let formula: TextFormula;
    if (fn === 'word') {
      const token = this.peek();
      if (token.type !== 'string') throw this.unexpected(token, 'a quoted word, as in word("the")');
      this.next();
      const text = token.text.trim().toLowerCase();
      if (text === '' || /\s/.test(text))
        throw this.error(`word(...) at column ${token.column} needs one word without spaces`);
      formula = { op: 'word', text };
    } else if (fn === 'after') {
      const arg = this.parseFormula();
      this.expect(',');
      formula = { op: 'after', arg, previous: this.parseFormula() };
    } else if (fn === 'depth') {
      const token = this.peek();
      const depth = Number(token.text);
      if (token.type !== 'number' || !Number.isInteger(depth) || depth < 1 || depth > MAX_DEPTH)
        throw this.error(`depth(...) at column ${token.column} takes a whole number from 1 to ${MAX_DEPTH}`);
      this.next();
      formula = { op: 'depth', depth };
    } else {
      throw this.error(
        `unknown function '${name.text}' at column ${name.column}${didYouMean(fn, TEXT_FUNCTIONS)}; ` +
          `functions are ${TEXT_FUNCTIONS.join(', ')}`,
      );
    }
    this.expect(')');
    return formula;
  }
}

const PRECEDENCE = { or: 1, and: 2, not: 3, atom: 4 } as const;

function precedence(formula: TextFormula): number {
  return formula.op === 'or' || formula.op === 'and' || formula.op === 'not'
    ? PRECEDENCE[formula.op]
    : PRECEDENCE.atom;
}

/** Canonical text: operators in capitals, only needed parentheses; parse(print(f)) equals f. */
export function printTextFormula(formula: TextFormula): string {
  return print(formula, PRECEDENCE.or);
}

function print(formula: TextFormula, slot: number): string {
  const text = printNode(formula);
  return precedence(formula) < slot ? `(${text})` : text;
}

function printNode(formula: TextFormula): string {
  switch (formula.op) {
    case 'concept':
      return formula.name;
    case 'word':
      return `word("${formula.text.replace(/[\\"]/g, '\\$&')}")`;
    case 'or':
    case 'and': {
      const level = PRECEDENCE[formula.op];
      return `${print(formula.left, level)} ${formula.op.toUpperCase()} ${print(formula.right, level + 1)}`;
    }
    case 'not':
      return `NOT ${print(formula.arg, PRECEDENCE.not)}`;
    case 'after':
      return `after(${printTextFormula(formula.arg)}, ${printTextFormula(formula.previous)})`;
    case 'depth':
      return `depth(${formula.depth})`;
  }
}

/** Concept names and words a formula mentions (`word:the` for words), in first-use order. */
export function textFormulaTerms(formula: TextFormula): string[] {
  const terms: string[] = [];
  const add = (term: string) => {
    if (!terms.includes(term)) terms.push(term);
  };
  const visit = (node: TextFormula): void => {
    switch (node.op) {
      case 'concept':
        return add(node.name);
      case 'word':
        return add(`word:${node.text}`);
      case 'or':
      case 'and':
        visit(node.left);
        return visit(node.right);
      case 'not':
        return visit(node.arg);
      case 'after':
        visit(node.arg);
        return visit(node.previous);
      case 'depth':
        return add('in_brackets');
    }
  };
  visit(formula);
  return terms;
}

/** The formula in words, for generated unit descriptions. */
export function describeTextFormula(formula: TextFormula): string {
  switch (formula.op) {
    case 'concept':
      return `${formula.name.replace(/_/g, ' ')} tokens`;
    case 'word':
      return `the word "${formula.text}"`;
    case 'or':
      return `${describeTextFormula(formula.left)} or ${describeTextFormula(formula.right)}`;
    case 'and':
      return formula.right.op === 'not'
        ? `${describeTextFormula(formula.left)} that are not ${describeTextFormula(formula.right.arg)}`
        : `${describeTextFormula(formula.left)} that are also ${describeTextFormula(formula.right)}`;
    case 'not':
      return `tokens other than ${describeTextFormula(formula.arg)}`;
    case 'after':
      return `${describeTextFormula(formula.arg)} right after ${describeTextFormula(formula.previous)}`;
    case 'depth':
      return `tokens inside at least ${formula.depth} brackets`;
  }
}
