import { InputError } from '../../util/errors.ts';
import { KEYWORDS } from './ast.ts';
import { tokenize, type Token } from './tokenize.ts';

/**
 * The part both concept languages (scenes here, texts in subjects/synthetic-text) share: a cursor over
 * the tokens, recursive descent through binary operators from the loosest to the tightest, NOT, and
 * parentheses, with errors that name the token and its column. Each language says which operators it
 * has and how they build its tree, and parses its own atoms (concepts and calls) in `parseAtom`.
 */

/** One binary operator level: which token continues it, and the node it builds (left-associative). */
export interface BinaryLevel<F> {
  matches(token: Token): boolean;
  build(left: F, right: F): F;
}

export abstract class BooleanFormulaParser<F> {
  private readonly tokens: Token[];
  private position = 0;

  /**
   * @param source the formula text, quoted in errors
   * @param label what errors call it ("formula", "text formula")
   * @param levels binary operators, loosest first (e.g. OR, then AND)
   * @param negate the node NOT builds
   */
  protected constructor(
    protected readonly source: string,
    private readonly label: string,
    private readonly levels: readonly BinaryLevel<F>[],
    private readonly negate: (arg: F) => F,
  ) {
    this.tokens = tokenize(source);
  }

  /** A concept, a call, or whatever the language's atoms are; the cursor is on a word token. */
  protected abstract parseAtom(): F;

  /** What to say when a primary is expected and something else is found. */
  protected abstract primaryExpected(): string;

  /** What to say when the formula should end (or continue with an operator) but does not. */
  protected abstract endExpected(next: Token): string;

  /** What to say about an empty formula. */
  protected abstract emptyMessage(): string;

  parseAll(): F {
    if (this.peek().type === 'end') throw this.error(this.emptyMessage());
    const formula = this.parseFormula();
    const next = this.peek();
    if (next.type !== 'end') throw this.unexpected(next, this.endExpected(next));
    return formula;
  }

  /** A whole formula at the loosest level (also inside parentheses and call arguments). */
  protected parseFormula(): F {
    return this.parseLevel(0);
  }

  private parseLevel(index: number): F {
    const level = this.levels[index];
    if (!level) return this.parseUnary();
    let left = this.parseLevel(index + 1);
    while (level.matches(this.peek())) {
      this.next();
      left = level.build(left, this.parseLevel(index + 1));
    }
    return left;
  }

  private parseUnary(): F {
    if (this.atKeyword('NOT')) {
      this.next();
      return this.negate(this.parseUnary());
    }
    const token = this.peek();
    if (token.type === '(') {
      this.next();
      const inner = this.parseFormula();
      this.expect(')');
      return inner;
    }
    if (token.type !== 'word' || isOperatorWord(token.text))
      throw this.unexpected(token, this.primaryExpected());
    return this.parseAtom();
  }

  protected expect(type: '(' | ')' | ','): void {
    const token = this.peek();
    if (token.type !== type) throw this.unexpected(token, `'${type}'`);
    this.next();
  }

  protected atKeyword(keyword: string): boolean {
    const token = this.peek();
    return token.type === 'word' && token.text.toUpperCase() === keyword;
  }

  protected peek(ahead = 0): Token {
    return this.tokens[Math.min(this.position + ahead, this.tokens.length - 1)]!;
  }

  protected next(): Token {
    const token = this.peek();
    if (token.type !== 'end') this.position++;
    return token;
  }

  protected unexpected(token: Token, expected: string): InputError {
    const found = token.type === 'end' ? 'end of formula' : `'${token.text}'`;
    return this.error(`unexpected ${found} at column ${token.column}; expected ${expected}`);
  }

  protected error(message: string): InputError {
    return new InputError(`${this.label} "${this.source}": ${message}`);
  }
}

/** Whether a word is one of the operators both languages reserve (AND, OR, NOT), in any case. */
export function isOperatorWord(word: string): boolean {
  return (KEYWORDS as readonly string[]).includes(word.toUpperCase());
}

/** A binary level continued by one of the given keywords or token types (e.g. 'AND' or '&'). */
export function level<F>(
  continuations: { keywords?: readonly string[]; tokens?: readonly Token['type'][] },
  build: (left: F, right: F) => F,
): BinaryLevel<F> {
  return {
    matches: (token) =>
      (token.type === 'word' && (continuations.keywords ?? []).includes(token.text.toUpperCase())) ||
      (continuations.tokens ?? []).includes(token.type),
    build,
  };
}
