/** Synthetic text units: ground-truth neurons over token annotations. The public surface. */
export {
  parseTextFormula,
  printTextFormula,
  describeTextFormula,
  textFormulaTerms,
  TEXT_FUNCTIONS,
  type TextFormula,
} from './formula.ts';
export { evaluateTextFormula, type TokenAnnotatedText } from './evaluate.ts';
export {
  TextUnitDefinition,
  TEXT_UNIT_FAMILIES,
  parseTextUnitDefinitions,
  textUnitTruth,
  type TextUnitFamily,
  type TextUnitTruth,
} from './definition.ts';
export { createTextUnit, textUnitActivations, type TextUnit } from './unit.ts';
export { SyntheticTextSubject, findById } from './subject.ts';
export { TEXT_UNIT_BANK } from './bank.ts';
