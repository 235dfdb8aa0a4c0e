import {
  COMPARISONS,
  DEFAULT_HUE_SIGMA,
  EFFECT_KINDS,
  FUNCTION_NAMES,
  ORIENTATIONS,
  SPAN_FUNCTIONS,
  type AreaBand,
  type EffectKind,
  type Orientation,
  HALVES,
  KEYWORDS,
  RELATIONS,
  SIZE_BANDS,
  type Comparison,
  type Formula,
  type Half,
  type Relation,
  type SizeBandName,
} from './ast.ts';
import { HUE_COLOURS } from './hues.ts';
import { editDistance } from '../../util/names.ts';
import { didYouMean } from './nearest.ts';
import { BooleanFormulaParser, isOperatorWord, level } from './boolean-parser.ts';
import type { Token } from './tokenize.ts';

/** Parse a formula of the concept language (grammar: formula.ts). Throws InputError naming the bad token. */
export function parseFormula(source: string): Formula {
  return new Parser(source).parseAll();
}

/** Whether `name` can be written as a bare concept in a formula (words of letters, digits, _ ' -). */
export function isConceptName(name: string): boolean {
  const words = name.split(' ');
  return words.every(
    (word) =>
      /^[\p{L}\p{N}_][\p{L}\p{N}_'-]*$/u.test(word) &&
      !/^\d+$/.test(word) &&
      !isKeyword(word) &&
      word === word.toLowerCase(),
  );
}

const isKeyword = isOperatorWord;

const MAX_COUNT = 1000;

/** Other ways people write an orientation or an effect (keys lowercase, single spaces). */
const ORIENTATION_ALIASES: Record<string, Orientation> = {
  'upside down': 'upside-down',
  inverted: 'upside-down',
  '180': 'upside-down',
  rotated: 'upside-down',
  'right side up': 'upright',
  '0': 'upright',
};
const EFFECT_ALIASES: Record<string, EffectKind> = {
  blurred: 'blur',
  blurry: 'blur',
  noisy: 'noise',
  occluded: 'occlude',
  occlusion: 'occlude',
  flipped: 'flip',
  mirrored: 'flip',
  rotated: 'rotate',
  rotation: 'rotate',
};

class Parser extends BooleanFormulaParser<Formula> {
  constructor(source: string) {
    // OR, then AND, then & (both on the same object), loosest first.
    super(
      source,
      'formula',
      [
        level<Formula>({ keywords: ['OR'] }, (left, right) => ({ op: 'or', left, right })),
        level<Formula>({ keywords: ['AND'] }, (left, right) => ({ op: 'and', left, right })),
        level<Formula>({ tokens: ['&'] }, (left, right) => ({ op: 'intersect', left, right })),
      ],
      (arg) => ({ op: 'not', arg }),
    );
  }

  protected emptyMessage(): string {
    return 'the formula is empty; write a concept such as dog';
  }

  protected endExpected(next: Token): string {
    return next.type === 'word' ? 'AND, OR, & or the end' : 'the end of the formula';
  }

  protected primaryExpected(): string {
    return "a concept (such as dog), NOT, a function such as left(...), or '('";
  }

  protected parseAtom(): Formula {
    if (this.peek(1).type === '(') return this.parseCall();
    return { op: 'concept', name: this.readName('a concept') };
  }

  /** One or more words: a concept may have spaces ("car window"). */
  private readName(what: string): string {
    const words: string[] = [];
    while (this.peek().type === 'word' && !isKeyword(this.peek().text)) {
      const token = this.next();
      this.rejectMistypedKeyword(token);
      words.push(token.text.toLowerCase());
    }
    if (words.length === 0) throw this.unexpected(this.peek(), what);
    if (this.peek().type === '(') {
      throw this.unexpected(this.peek(), `AND, OR or & after '${words.join(' ')}'`);
    }
    return words.join(' ');
  }

  /** "dog ANDD cat" would otherwise read as the concept "dog andd cat": catch capitalised near-keywords. */
  private rejectMistypedKeyword(token: Token): void {
    if (token.text.length < 2 || token.text !== token.text.toUpperCase() || !/\p{L}/u.test(token.text))
      return;
    const keyword = KEYWORDS.find((k) => editDistance(k, token.text) <= 1);
    if (keyword) {
      throw this.error(
        `unknown operator '${token.text}' at column ${token.column} (did you mean ${keyword}?)`,
      );
    }
  }

  private parseCall(): Formula {
    const nameToken = this.next();
    const name = nameToken.text.toLowerCase();
    if (!FUNCTION_NAMES.includes(name)) {
      throw this.error(
        `unknown function '${nameToken.text}' at column ${nameToken.column}${didYouMean(name, FUNCTION_NAMES)}; ` +
          `functions are ${FUNCTION_NAMES.join(', ')}`,
      );
    }
    this.expect('(');
    let formula: Formula;
    if ((HALVES as readonly string[]).includes(name)) {
      formula = { op: 'half', half: name as Half, arg: this.parseFormula() };
    } else if (name in SIZE_BANDS) {
      formula = { op: 'size', band: { ...SIZE_BANDS[name as SizeBandName] }, arg: this.parseFormula() };
    } else if (name === 'area') {
      formula = this.parseAreaArguments();
    } else if ((RELATIONS as readonly string[]).includes(name)) {
      const arg = this.parseFormula();
      this.expect(',');
      formula = { op: 'relation', relation: name as Relation, arg, reference: this.parseFormula() };
    } else if (name === 'count') {
      const arg = this.parseFormula();
      this.expect(')');
      return this.parseCountComparison(arg);
    } else if (name === 'word') {
      formula = this.parseWordArgument();
    } else if (name === 'char') {
      formula = this.parseCharArgument();
    } else if (name === 'orientation') {
      formula = {
        op: 'orientation',
        orientation: this.parseChoice('orientation', ORIENTATIONS, ORIENTATION_ALIASES),
      };
    } else if (name === 'effect') {
      formula = { op: 'effect', effect: this.parseChoice('effect', EFFECT_KINDS, EFFECT_ALIASES) };
    } else if (name === 'height') {
      const arg = this.parseFormula();
      formula = { op: 'height', band: this.parseBand('height'), arg };
    } else if (name in SPAN_FUNCTIONS) {
      const arg = this.parseFormula();
      formula = { op: 'span', axis: SPAN_FUNCTIONS[name]!, band: this.parseBand(name), arg };
    } else {
      formula = this.parseHueArguments();
    }
    this.expect(')');
    return formula;
  }

  /** `, min, max`: a band of fractions, 0 ≤ min < max ≤ 1. */
  private parseBand(what: string): AreaBand {
    this.expect(',');
    const minToken = this.peek();
    const min = this.readNumber(`the ${what} band's lower fraction (0 to 1)`);
    this.expect(',');
    const maxToken = this.peek();
    const max = this.readNumber(`the ${what} band's upper fraction (0 to 1)`);
    if (min < 0 || min >= 1) {
      throw this.error(`${what} lower bound ${min} at column ${minToken.column} must be from 0 to below 1`);
    }
    if (max > 1 || max <= min) {
      throw this.error(
        `${what} upper bound ${max} at column ${maxToken.column} must be above ${min} and at most 1`,
      );
    }
    return { min, max };
  }

  private parseCharArgument(): Formula {
    const token = this.peek();
    if (token.type !== 'string') throw this.unexpected(token, 'a quoted character, as in char("e")');
    this.next();
    const char = token.text.trim().toLowerCase();
    if ([...char].length !== 1) {
      throw this.error(
        `char(...) at column ${token.column} needs exactly one character, got "${token.text}"`,
      );
    }
    return { op: 'char', char };
  }

  /** One of a closed set of names, quoted or bare, with accepted aliases ("upside down" → upside-down). */
  private parseChoice<T extends string>(
    what: string,
    choices: readonly T[],
    aliases: Readonly<Record<string, T>>,
  ): T {
    const token = this.peek();
    let text: string;
    if (token.type === 'string' || token.type === 'number') {
      this.next();
      text = token.text;
    } else text = this.readName(`a ${what}: ${choices.join(', ')}`);
    const key = text
      .trim()
      .toLowerCase()
      .replace(/[\s_]+/g, ' ');
    const found = choices.find((c) => c === key || c.replace(/-/g, ' ') === key) ?? aliases[key];
    if (!found) {
      throw this.error(
        `'${text}' at column ${token.column} is not a${/^[aeiou]/.test(what) ? 'n' : ''} ${what}` +
          `${didYouMean(key, choices)}; ${what}s are ${choices.join(', ')}`,
      );
    }
    return found;
  }

  private parseAreaArguments(): Formula {
    const arg = this.parseFormula();
    this.expect(',');
    const minToken = this.peek();
    const min = this.readNumber('the smallest area fraction');
    this.expect(',');
    const maxToken = this.peek();
    const max = this.readNumber('the largest area fraction');
    if (min > 1) throw this.error(`area minimum ${min} at column ${minToken.column} must be at most 1`);
    if (max > 1 || max <= min) {
      throw this.error(`area maximum ${max} at column ${maxToken.column} must be above ${min} and at most 1`);
    }
    return { op: 'size', band: { min, max }, arg };
  }

  private parseCountComparison(arg: Formula): Formula {
    const token = this.peek();
    if (token.type !== 'comparison' || !(COMPARISONS as readonly string[]).includes(token.text)) {
      throw this.unexpected(token, 'a comparison after count(...): =, >= or <=, then a number');
    }
    this.next();
    const countToken = this.peek();
    const count = this.readNumber('a whole number of items');
    if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
      throw this.error(
        `count ${countToken.text} at column ${countToken.column} must be a whole number from 1 to ${MAX_COUNT}`,
      );
    }
    return { op: 'count', comparison: token.text as Comparison, count, arg };
  }

  private parseWordArgument(): Formula {
    const token = this.peek();
    if (token.type !== 'string') throw this.unexpected(token, 'a quoted word, as in word("stop")');
    this.next();
    const text = token.text.trim().toLowerCase().replace(/\s+/g, ' ');
    if (text === '') throw this.error(`word(...) at column ${token.column} needs a non-empty word`);
    return { op: 'word', text };
  }

  private parseHueArguments(): Formula {
    const colourToken = this.peek();
    const colour = this.readName('a colour name, as in hue(red)');
    if (!HUE_COLOURS.includes(colour)) {
      throw this.error(
        `'${colour}' at column ${colourToken.column} is not a colour with a hue${didYouMean(colour, HUE_COLOURS)}; ` +
          `hue colours are ${HUE_COLOURS.join(', ')}`,
      );
    }
    let sigma = DEFAULT_HUE_SIGMA;
    if (this.peek().type === ',') {
      this.next();
      const sigmaToken = this.peek();
      sigma = this.readNumber('the tuning width in degrees');
      if (sigma < 1 || sigma > 180) {
        throw this.error(`hue width ${sigma} at column ${sigmaToken.column} must be from 1 to 180 degrees`);
      }
    }
    return { op: 'hue', colour, sigma };
  }

  private readNumber(what: string): number {
    const token = this.peek();
    if (token.type !== 'number') throw this.unexpected(token, what);
    this.next();
    return Number(token.text);
  }
}
