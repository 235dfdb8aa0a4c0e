import { parsePhrase } from '../../../stimuli/phrase.ts';
import { renderScene, type RenderedScene } from '../../../stimuli/render.ts';
import {
  evaluateFormula,
  parseFormula,
  printFormula,
  type Formula,
} from '../../../subjects/synthetic/index.ts';
import { pearson } from '../../../tools/metrics/correlation.ts';

/**
 * How tests judge an answer formula against the truth: the same formula up to the order of OR and &
 * operands, or a formula whose values on fresh scenes (never in the probe set) correlate with the
 * truth's at r ≥ 0.8.
 */

function normal(formula: Formula): Formula {
  switch (formula.op) {
    case 'or':
    case 'intersect': {
      const [left, right] = [normal(formula.left), normal(formula.right)].sort((a, b) =>
        printFormula(a).localeCompare(printFormula(b)),
      );
      return { op: formula.op, left: left as Formula, right: right as Formula };
    }
    case 'and':
      return { op: 'and', left: normal(formula.left), right: normal(formula.right) };
    case 'not':
    case 'half':
    case 'size':
    case 'count':
      return { ...formula, arg: normal(formula.arg) };
    default:
      return formula;
  }
}

/** The same formula up to the order of OR / & operands. */
export function sameFormula(a: string, b: string): boolean {
  return printFormula(normal(parseFormula(a))) === printFormula(normal(parseFormula(b)));
}

export async function renderPhrases(phrases: readonly string[]): Promise<RenderedScene[]> {
  return Promise.all(phrases.map((p, i) => renderScene(parsePhrase(p, { seed: 1000 + i }))));
}

/** Pearson r between the two formulas' values over the scenes. */
export function agreement(truth: string, answer: string, scenes: readonly RenderedScene[]): number {
  const t = scenes.map((s) => evaluateFormula(truth, s).value);
  const a = scenes.map((s) => evaluateFormula(answer, s).value);
  return pearson(t, a);
}
