/**
 * Compositional explanations of units (Mu & Andreas, NeurIPS 2020, "Compositional Explanations of
 * Neurons"): beam search over logical formulas of concepts, each scored by the IoU between the unit's
 * thresholded map M (its top `topFraction` of map values over the probe set, exactly as NetDissect:
 * netdissect.ts) and the formula's mask, summed over the probe set. Each formula is also scored by the
 * Pearson r over scenes between the unit's scalar activation and the formula's scalar value (its map
 * area-pooled to grid × grid, maximum: what evaluateFormula computes), because that is how a formula
 * is compared with a unit elsewhere.
 *
 * Operators, as the concept language has them: `A OR B`, `A & B` (pixel-wise both), `A AND g` (A, in
 * scenes where concept g is present), `A AND NOT g` (A, in scenes without g), and halves `left(c)` …
 * of single concepts.
 *
 * Why it is fast. Every formula built from these operators is, in each scene, a union of whole label
 * regions (a scene's pixels are partitioned into labels, each with a fixed concept set), each cut to
 * some image quadrants, gated per scene. So a scene reduces to a few (scene, label) entries holding
 * per-quadrant areas and hits of M at the comparison resolution and per-cell coverage at full
 * resolution; a formula is one 4-bit quadrant mask per entry. Scoring a formula then costs O(entries)
 * for IoU and O(covered cells) for r, instead of a pass over every pixel of every scene. The region M
 * itself needs the unit's maps only of scenes whose scalar activation (an upper bound of every value of
 * their upsampled map) can reach the threshold: `topRegion` visits scenes by decreasing activation and
 * stops when no later scene can, so a selective unit costs maps of a few dozen scenes, not all.
 */

export {
  restingFloor,
  topRegion,
  type MapLike,
  type TopRegion,
  type TopRegionOptions,
} from './top-region.ts';
export {
  comparisonSource,
  LabelIndexBuilder,
  LabelTableBuilder,
  unitLabelTable,
  type LabelIndex,
  type LabelledScene,
  type LabelTable,
} from './label-table.ts';
export {
  conceptFormula,
  conceptOverlaps,
  formulaValues,
  scoreFormulas,
  type ConceptOverlap,
  type FormulaScore,
} from './formula-scorer.ts';
export { searchFormulas, type Objective, type SearchOptions, type SearchResult } from './beam-search.ts';
