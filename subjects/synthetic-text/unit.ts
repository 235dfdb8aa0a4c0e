import { hashString, hashUnit } from '../../util/random.ts';
import type { TextUnitDefinition, TextUnitTruth } from './definition.ts';
import { textUnitTruth } from './definition.ts';
import { evaluateTextFormula, type TokenAnnotatedText } from './evaluate.ts';
import { parseTextFormula, type TextFormula } from './formula.ts';

export interface TextUnit {
  definition: TextUnitDefinition;
  formula: TextFormula;
  truth: TextUnitTruth;
  /** Seeds the unit's noise. */
  noiseSeed: number;
}

export function createTextUnit(definition: TextUnitDefinition): TextUnit {
  return {
    definition,
    formula: parseTextFormula(definition.formula),
    truth: textUnitTruth(definition),
    noiseSeed: hashString(definition.id),
  };
}

/**
 * A unit's activation on every token: its formula's value plus noise, floored at 0 (post-ReLU).
 * Noise is a function of the unit, the text's id and the token's index, so the same token of the same
 * text always reads the same.
 */
export function textUnitActivations(unit: TextUnit, text: TokenAnnotatedText): Float32Array {
  const values = evaluateTextFormula(unit.formula, text);
  const { noise } = unit.definition;
  if (!noise) return values;
  const textSeed = hashString(text.id);
  for (let i = 0; i < values.length; i++) {
    const a = hashUnit(unit.noiseSeed, textSeed, 2 * i);
    const b = hashUnit(unit.noiseSeed, textSeed, 2 * i + 1);
    const draw =
      noise.kind === 'uniform'
        ? noise.level * a
        : noise.level * Math.sqrt(-2 * Math.log(1 - a)) * Math.cos(2 * Math.PI * b);
    values[i] = Math.max(0, values[i]! + draw);
  }
  return values;
}
