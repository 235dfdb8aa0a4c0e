import { parseTextFormula, type TextFormula } from './formula.ts';

/**
 * What a text unit reads of a text: its word-level tokens, each with its concepts and bracket depth.
 * The stimuli layer's AnnotatedText satisfies it (subjects and stimuli do not import each other).
 */
export interface TokenAnnotatedText {
  id: string;
  tokens: readonly { text: string; concepts: readonly string[]; bracketDepth: number }[];
}

/** A formula's value on every token of a text (1 where it holds, 0 where not). */
export function evaluateTextFormula(formula: TextFormula | string, text: TokenAnnotatedText): Float32Array {
  const tree = typeof formula === 'string' ? parseTextFormula(formula) : formula;
  return evaluate(tree, text);
}

function evaluate(formula: TextFormula, text: TokenAnnotatedText): Float32Array {
  const n = text.tokens.length;
  switch (formula.op) {
    case 'concept':
      return Float32Array.from(text.tokens, (token) => (token.concepts.includes(formula.name) ? 1 : 0));
    case 'word':
      return Float32Array.from(text.tokens, (token) => (token.text.toLowerCase() === formula.text ? 1 : 0));
    case 'depth':
      return Float32Array.from(text.tokens, (token) => (token.bracketDepth >= formula.depth ? 1 : 0));
    case 'or': {
      const left = evaluate(formula.left, text);
      const right = evaluate(formula.right, text);
      for (let i = 0; i < n; i++) left[i] = Math.max(left[i]!, right[i]!);
      return left;
    }
    case 'and': {
      const left = evaluate(formula.left, text);
      const right = evaluate(formula.right, text);
      for (let i = 0; i < n; i++) left[i] = Math.min(left[i]!, right[i]!);
      return left;
    }
    case 'not': {
      const values = evaluate(formula.arg, text);
      for (let i = 0; i < n; i++) values[i] = 1 - values[i]!;
      return values;
    }
    case 'after': {
      const values = evaluate(formula.arg, text);
      const previous = evaluate(formula.previous, text);
      for (let i = 0; i < n; i++) values[i] = i === 0 ? 0 : Math.min(values[i]!, previous[i - 1]!);
      return values;
    }
  }
}
