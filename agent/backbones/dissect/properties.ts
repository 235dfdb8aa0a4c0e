import { TEXT_CONCEPT_NAME, WORD_PREFIX } from '../../../stimuli/vocabulary.ts';
import type { SubmitAnswerArgs } from '../../../tools/investigation/submit-answer.ts';
import { conceptsOf, parsed } from './hypotheses.ts';
import { ok, type State } from './state.ts';
import type { PropertyScoreView } from './views.ts';

/**
 * When dissect answers with a property of the text rather than a concept formula. Units of text-reading
 * models answer to which letters a line holds and which way up it is: a formula of whole words (the best
 * formula_search can do) fits the probe set only partly and does not generalise. property_stats ranks
 * those properties; a letter wins when it fits the unit and the best formula does not track it closely,
 * either by fitting clearly better or by being in every word the formula names (the words were
 * instances of the letter); the orientation wins when it fits clearly better than any formula.
 */

/** Share of top exemplars showing text for dissect to ask about text properties. */
const TEXT_EXEMPLARS = 0.5;
/** A letter must correlate at least this well (within each orientation) to be the answer. */
const LETTER_R = 0.3;
/** The orientation must correlate at least this well to be the answer. */
const ORIENTATION_R = 0.5;
/** How much better than the best formula a property must fit when nothing else argues for it. */
const MARGIN = 0.1;
/** How far a letter must lead the next one when both are in every word the formula names (or neither). */
const DISTINCT = 0.05;
/** A formula with r this high tracks the unit; no property replaces it. */
const TRACKS_R = 0.8;

const num = (x: number) => String(Math.round(x * 100) / 100);

/** Whether most top exemplars are (or hold) text, so text properties are worth ranking. */
export function readsText(state: State): boolean {
  const top = ok(state.exemplars)?.data.exemplars.filter((e) => e.rank === 'top') ?? [];
  const withText = top.filter((e) =>
    e.concepts.some((c) => c.concept === TEXT_CONCEPT_NAME || c.concept.startsWith(WORD_PREFIX)),
  );
  return top.length > 0 && withText.length >= TEXT_EXEMPLARS * top.length;
}

/** The words a formula names (its word("…") terms), lowercased. */
function wordsOf(formula: string): string[] {
  const tree = parsed(formula);
  return (tree ? conceptsOf(tree) : [])
    .filter((name) => name.startsWith(WORD_PREFIX))
    .map((name) => name.slice(WORD_PREFIX.length).toLowerCase());
}

/** Confidence from a property's r: a correlation alone, never tested by counterfactuals, stays below 0.85. */
function confidenceOf(r: number): number {
  return Math.round(Math.min(0.85, 0.3 + r * 0.6) * 100) / 100;
}

/** A property as a formula of the concept language (char("e"), orientation(upside-down), effect(blur)). */
export function propertyFormula(property: string): string | undefined {
  const colon = property.indexOf(':');
  const kind = property.slice(0, colon);
  const value = property.slice(colon + 1);
  const quoted = JSON.stringify(value);
  switch (kind) {
    case 'char':
      return `char(${quoted})`;
    case 'word':
      return `word(${quoted})`;
    case 'orientation':
      return `orientation(${value})`;
    case 'effect':
      return `effect(${value})`;
    default:
      return undefined;
  }
}

/** The answer a text property gives, or undefined when the formula (or nothing) should answer. */
export function propertyAnswer(state: State): SubmitAnswerArgs | undefined {
  const properties = ok(state.properties);
  const unit = state.unit;
  if (!properties || unit === undefined) return undefined;
  const search = ok(state.search);
  const best = search?.data.formulas[0];
  const formulaR = best?.r ?? 0;
  if (formulaR >= TRACKS_R) return undefined;
  const { top } = properties.data;
  const letters = top.filter((p) => p.kind === 'char');
  const letter = letters[0];
  const orientation = top.find((p) => p.kind === 'orientation' && p.r > 0);
  const refs = [ok(state.exemplars)?.ref, ok(state.stats)?.ref, search?.ref, properties.ref].filter(
    (r): r is string => r !== undefined,
  );
  const scenes = properties.data.scenes;
  const stat = (p: PropertyScoreView) =>
    `r ${num(p.r)}${p.score !== p.r ? ` (${num(p.score)} within each orientation)` : ''} over ${scenes} probe scenes`;
  // The description names only what the unit is claimed to detect: scorers read every concept it names.
  const formulaPart = best
    ? `the best concept formula (${search.ref}) reaches r ${num(formulaR)}`
    : 'no concept formula was found';

  // On a small probe set a weak r is noise: ask for three standard errors as well.
  const floor = (r: number) => Math.max(r, 3 / Math.sqrt(scenes));
  if (letter && letter.score >= floor(LETTER_R)) {
    const words = best ? wordsOf(best.formula) : [];
    const inEveryWord = (p: PropertyScoreView) => {
      const char = p.property.slice('char:'.length);
      return words.length > 0 && words.every((w) => w.includes(char));
    };
    const next = letters[1];
    // The letter must stand out from the next one, by r or by being the one every word shares.
    const distinct =
      !next || letter.score >= next.score + DISTINCT || (inEveryWord(letter) && !inEveryWord(next));
    if (distinct && (letter.score >= formulaR + MARGIN || inEveryWord(letter))) {
      // A text model reads upright lines: when the unit also goes with upright text, the formula says so.
      const upright = orientation?.property === 'orientation:upright' && orientation.r >= ORIENTATION_R / 2;
      const formula = `${propertyFormula(letter.property) ?? ''}${upright ? ' AND orientation(upright)' : ''}`;
      return {
        description:
          `${unit} fires on ${upright ? 'upright ' : ''}text containing ${letter.label}. ` +
          `Evidence: its activation goes with ${letter.label} (${stat(letter)})` +
          (next ? `, more than with any other letter (the next best reaches ${num(next.score)})` : '') +
          `; ${formulaPart}${inEveryWord(letter) ? `, and every word it names contains this letter` : ''}. ` +
          'It was not tested by counterfactuals.',
        formula,
        confidence: confidenceOf(letter.score),
        evidence: refs,
        unit,
      };
    }
  }
  if (orientation && orientation.r >= floor(ORIENTATION_R) && orientation.r >= formulaR + MARGIN) {
    return {
      description:
        `${unit} fires on ${orientation.label}. Evidence: its activation goes with the orientation of the ` +
        `text (${stat(orientation)}); ${formulaPart}. It was not tested by counterfactuals.`,
      formula: propertyFormula(orientation.property) ?? '',
      confidence: confidenceOf(orientation.r),
      evidence: refs,
      unit,
    };
  }
  // Any other property (an effect, a weaker orientation or letter) that fits clearly better than every
  // concept formula: a real unit with no clean concept is still better described by it.
  const other = top.find((p) => p.r > 0 && propertyFormula(p.property) !== undefined);
  if (other && other.r >= floor(LETTER_R) && other.r >= formulaR + MARGIN) {
    return {
      description:
        `${unit} fires on ${other.label}. Evidence: its activation goes with it (${stat(other)}); ${formulaPart}. ` +
        'It is a weak, statistical description, not tested by counterfactuals.',
      formula: propertyFormula(other.property) ?? '',
      confidence: confidenceOf(other.r) * 0.8,
      evidence: refs,
      unit,
    };
  }
  return undefined;
}
