import {
  evaluateFormula,
  printFormula,
  formulaConcepts,
  type AnnotatedScene,
  type Formula,
} from '../../subjects/synthetic/index.ts';
import { pearson } from '../metrics/correlation.ts';
import { comparisonSource, type FormulaScore, type LabelTable } from './compositional/index.ts';

/**
 * Scoring a formula the label table cannot express (sizes, relations, counts, hues: they depend on
 * items, not labels) by evaluating it on every probe scene with the synthetic units' own evaluator.
 * The numbers mean what the table's mean: IoU, precision and recall between the unit's top region and
 * the formula's map on the comparison grid (the image pixel under each comparison pixel's centre), and
 * r over scenes between the unit's activation and the formula's value (its map pooled to the table's
 * grid, maximum). Slower than the table (every scene the formula can see into is evaluated in full),
 * so it is kept for the formulas the table refuses.
 */
export function scoreByEvaluation(
  formulas: readonly Formula[],
  table: LabelTable,
  region: ReadonlyMap<number, Uint8Array>,
  scenes: (indices: number[]) => AnnotatedScene[],
  batch = 64,
): FormulaScore[] {
  const n = table.scenes;
  const tallies = formulas.map(() => ({ values: new Float64Array(n), area: 0, hits: 0, firing: 0 }));
  let source: Int32Array | undefined;
  // Scene by scene, every formula: a scene's masks, item map and items are derived once for all.
  for (let start = 0; start < n; start += batch) {
    const indices = Array.from({ length: Math.min(batch, n - start) }, (_, k) => start + k);
    scenes(indices).forEach((scene, k) => {
      const s = start + k;
      source ??= comparisonSource(scene.image.width, scene.image.height, table.comparison);
      const mask = region.get(s);
      formulas.forEach((formula, f) => {
        const tally = tallies[f]!;
        const result = evaluateFormula(formula, scene, { grid: table.grid });
        tally.values[s] = result.value;
        let sceneArea = 0;
        if (result.value > 0)
          for (let p = 0; p < source!.length; p++) {
            if ((result.map[source![p] as number] as number) <= 0) continue;
            sceneArea++;
            if (mask && mask[p] === 1) tally.hits++;
          }
        tally.area += sceneArea;
        if (sceneArea > 0 || result.value > 0) tally.firing++;
      });
    });
  }
  return formulas.map((formula, f) => {
    const { values, area, hits, firing } = tallies[f]!;
    const union = area + table.activeTotal - hits;
    return {
      formula,
      text: printFormula(formula),
      length: Math.max(1, formulaConcepts(formula).length),
      iou: union > 0 ? hits / union : 0,
      r: pearson(values, table.unitCentred),
      precision: area > 0 ? hits / area : 0,
      recall: table.activeTotal > 0 ? hits / table.activeTotal : 0,
      scenes: firing,
    };
  });
}
