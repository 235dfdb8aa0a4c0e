/** Synthetic units: ground-truth subjects computed from scene annotations. The public surface. */
export { normaliseName, type AnnotatedScene } from './scene.ts';
export * from './formula.ts';
export {
  NoiseSpec,
  UnitDefinition,
  parseUnitDefinitions,
  unitFormula,
  unitRestingNoise,
  unitTruth,
  type UnitDefinitionInput,
  type UnitFamily,
  type UnitTruth,
} from './definition.ts';
export { SyntheticSubject, type SyntheticSubjectOptions, type UnitResponses } from './subject.ts';
export { unitActivation, type SyntheticUnit } from './unit.ts';
export { formulaSight, type FormulaSight } from './sight.ts';
export { maiaUnitDefinitions } from './maia.ts';
export { HUE_COLOURS, colourHue } from './hues.ts';
