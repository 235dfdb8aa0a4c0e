import { parseFormula, type Formula } from '../../subjects/synthetic/index.ts';

/**
 * The conditions a unit's rule puts on what it detects — where (a half of the image), how large, in
 * which relation to another thing, how many — as keys the concept scorer compares like concepts:
 *
 *   condition:half:left        left(dog), xspan(text, 0, 0.5), "in the left half", "on the left"
 *   condition:size:large       large(shape), height(text, 0.6, 1), "large", "big"
 *   condition:relation:above   above(a, b), "a above b", "a with b below it"
 *   condition:count:>=2        count(x) >= 2, "at least 2", "two or more"
 *
 * Without them the concept scorer could not tell `left(dog)` from `dog`: both name a dog. Conditions
 * under a NOT say what must be absent and are not conditions for firing. Reading descriptions is
 * literal (patterns, no language model), like mentions.ts, so a score can be recomputed by anyone.
 */

export const CONDITION_PREFIX = 'condition:';

const key = (kind: string, value: string) => `${CONDITION_PREFIX}${kind}:${value}`;

/** Condition keys of a formula (none when it does not parse). */
export function formulaConditionKeys(text: string | undefined): string[] {
  if (text === undefined || text.trim() === '') return [];
  let tree: Formula;
  try {
    tree = parseFormula(text);
  } catch {
    return [];
  }
  const out = new Set<string>();
  const visit = (node: Formula): void => {
    switch (node.op) {
      case 'not':
        return;
      case 'half':
        out.add(key('half', node.half));
        break;
      case 'size':
      case 'height':
        if (node.band.min === 0 && node.band.max < 1) out.add(key('size', 'small'));
        else if (node.band.min > 0 && node.band.max >= 1) out.add(key('size', 'large'));
        break;
      case 'span': {
        const centre = (node.band.min + node.band.max) / 2;
        const [low, high] = node.axis === 'x' ? ['left', 'right'] : ['top', 'bottom'];
        if (centre < 0.4) out.add(key('half', low));
        else if (centre > 0.6) out.add(key('half', high));
        break;
      }
      case 'relation':
        out.add(key('relation', node.relation));
        break;
      case 'count':
        out.add(key('count', `${node.comparison}${node.count}`));
        break;
      default:
        break;
    }
    if ('left' in node) {
      visit(node.left);
      visit(node.right);
    }
    if ('arg' in node) visit(node.arg);
    if ('reference' in node) visit(node.reference);
  };
  visit(tree);
  return [...out];
}

const NUMBERS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6 };
/** A count: a number not followed by a percent sign ("at least 12% of the image" is an area). */
const NUMBER = '(\\d+|one|two|three|four|five|six)(?!\\s*%|\\d|\\s*percent)';
const toNumber = (word: string) => NUMBERS[word.toLowerCase()] ?? Number(word);

const HALF_PATTERNS: [RegExp, string][] = [
  [/\b(?:left)[\s-]+(?:half|side|part)\b|\bon the left\b/i, 'left'],
  [/\b(?:right)[\s-]+(?:half|side|part)\b|\bon the right\b/i, 'right'],
  [/\b(?:top|upper)[\s-]+(?:half|part)\b|\bat the top\b/i, 'top'],
  [/\b(?:bottom|lower)[\s-]+(?:half|part)\b|\bat the bottom\b/i, 'bottom'],
];
/** "a with b above it": the thing that fires is below. Checked before the direct forms. */
const WITH_RELATION: [RegExp, string][] = [
  [/\bwith\s+[\w\s]+?\s+above\s+it\b/i, 'below'],
  [/\bwith\s+[\w\s]+?\s+below\s+it\b/i, 'above'],
  [/\bwith\s+[\w\s]+?\s+to\s+its\s+left\b/i, 'right_of'],
  [/\bwith\s+[\w\s]+?\s+to\s+its\s+right\b/i, 'left_of'],
];
const DIRECT_RELATION: [RegExp, string][] = [
  [/\b(?:above|over)\s+(?:a|an|the|some)?\s*[a-z]/i, 'above'],
  [/\b(?:below|beneath|under(?:neath)?)\s+(?:a|an|the|some)?\s*[a-z]/i, 'below'],
  [/\b(?:left\s+of|to\s+the\s+left\s+of)\b/i, 'left_of'],
  [/\b(?:right\s+of|to\s+the\s+right\s+of)\b/i, 'right_of'],
];

/** Condition keys a description states in words. */
export function describedConditionKeys(description: string): string[] {
  // "not large", "regardless of size": a condition that is denied or waived is no condition.
  const text = description.replace(/\b(?:not|never|regardless of|whatever the|any)\s+\w+/gi, ' ');
  const out = new Set<string>();
  for (const [pattern, half] of HALF_PATTERNS) if (pattern.test(text)) out.add(key('half', half));
  const large = /\b(?:large|big|huge)\b/i.test(text);
  const small = /\b(?:small|tiny)\b/i.test(text);
  if (large !== small) out.add(key('size', large ? 'large' : 'small'));
  const withForm = WITH_RELATION.filter(([pattern]) => pattern.test(text));
  for (const [, relation] of withForm.length > 0 ? withForm : DIRECT_RELATION.filter(([p]) => p.test(text)))
    out.add(key('relation', relation));
  const exactly = new RegExp(`\\bexactly\\s+${NUMBER}\\b`, 'i').exec(text);
  const atLeast =
    new RegExp(`\\bat\\s+least\\s+${NUMBER}\\b`, 'i').exec(text) ??
    new RegExp(`\\b${NUMBER}\\s+or\\s+more\\b`, 'i').exec(text);
  const atMost = new RegExp(`\\bat\\s+most\\s+${NUMBER}\\b`, 'i').exec(text);
  if (exactly?.[1]) out.add(key('count', `=${toNumber(exactly[1])}`));
  if (atLeast?.[1]) out.add(key('count', `>=${toNumber(atLeast[1])}`));
  if (atMost?.[1]) out.add(key('count', `<=${toNumber(atMost[1])}`));
  return [...out];
}

/** Everything an answer states as a condition, in its words or its formula. */
export function answerConditionKeys(description: string, formula?: string): string[] {
  return [...new Set([...describedConditionKeys(description), ...formulaConditionKeys(formula)])];
}
