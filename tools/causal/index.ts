/** Pure computation behind the causal tools (ablate_units, steer_units): effect summaries and their text. */
export {
  klDivergence,
  softmaxRow,
  summarizeOutputEffects,
  type FlipTransition,
  type LabelShift,
  type OutputEffects,
  type SceneOutcome,
  type ScoreTable,
} from './output-effects.ts';
export { summarizeUnitChange, type UnitChange } from './unit-changes.ts';
export {
  describeTextChanges,
  summarizeTextChanges,
  type TextChange,
  type TextChanges,
} from './text-changes.ts';
export { doseRow, mostResponsiveLabels, type DoseResponse, type DoseRow } from './dose-response.ts';
export { describeDoseResponse, describeOutputEffects, describeUnitChanges } from './describe.ts';
export { formatNumber, renderLinePlot, type LinePlotOptions, type PlotSeries } from './line-plot.ts';
