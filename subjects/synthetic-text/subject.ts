import { InputError } from '../../util/errors.ts';
import { didYouMean } from '../synthetic/nearest.ts';
import { parseTextUnitDefinitions } from './definition.ts';
import { evaluateTextFormula, type TokenAnnotatedText } from './evaluate.ts';
import { parseTextFormula, type TextFormula } from './formula.ts';
import { createTextUnit, textUnitActivations, type TextUnit } from './unit.ts';

/**
 * A subject whose units are synthetic text neurons: exact, known functions of the token annotations.
 * Units are numbered in definition order (`synthetic:0`, …) and never reveal their ids to the agent.
 */
export class SyntheticTextSubject {
  readonly units: readonly TextUnit[];

  constructor(definitions: unknown) {
    const parsed = parseTextUnitDefinitions(definitions);
    if (parsed.length === 0) throw new InputError('a synthetic text subject needs at least one unit');
    this.units = parsed.map(createTextUnit);
  }

  unit(index: number): TextUnit {
    const unit = this.units[index];
    if (!unit)
      throw new InputError(
        `unit ${index} is out of range: this subject has units 0–${this.units.length - 1}`,
      );
    return unit;
  }

  /** Per unit, per text: the activation of every token. */
  activations(texts: readonly TokenAnnotatedText[], units: readonly number[]): Float32Array[][] {
    return units.map((index) => {
      const unit = this.unit(index);
      return texts.map((text) => textUnitActivations(unit, text));
    });
  }

  /** A formula's value on every token of each text, without noise: how an answer is compared with a unit. */
  formulaActivations(formula: TextFormula | string, texts: readonly TokenAnnotatedText[]): Float32Array[] {
    const tree = typeof formula === 'string' ? parseTextFormula(formula) : formula;
    return texts.map((text) => evaluateTextFormula(tree, text));
  }
}

/** A unit id of a bank, with a suggestion when it is not there. */
export function findById<T extends { id: string }>(definitions: readonly T[], id: string, what: string): T {
  const found = definitions.find((d) => d.id === id);
  if (found) return found;
  throw new InputError(
    `no ${what} '${id}'${didYouMean(
      id,
      definitions.map((d) => d.id),
    )}; there are ${definitions.length}, e.g. ${definitions
      .slice(0, 4)
      .map((d) => d.id)
      .join(', ')}`,
  );
}
