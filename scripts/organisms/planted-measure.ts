import { auroc } from '../../benchmarks/scorers/auroc.ts';

/**
 * How well a planted unit learned its concept, on held-out scenes:
 * - `iou`: NetDissect's dataset-wide IoU (Bau et al. 2017) of the unit's map — its grid upsampled
 *   to the image (nearest), binarised at `PLANTED_KEEP.threshold` — with the concept's exact map
 *   (pixels where its formula holds): Σ|unit ∩ concept| / Σ|unit ∪ concept| over the scenes;
 * - `auroc`: the unit's maximum ranking the scenes where the concept fires (its formula's pooled map
 *   reaches 0.5 somewhere) above the rest;
 * - `selectivity`: (mean max on those scenes − mean max on the others) / (their sum), 1 for a unit
 *   silent everywhere else (Morcos et al. 2018's selectivity index, over concept vs no concept).
 */

/** Threshold on the unit's map (its targets were area fractions 0..1), and what a kept unit reaches. */
export const PLANTED_KEEP = { threshold: 0.5, iou: 0.3, auroc: 0.9 } as const;

/** The formula's response on one scene: full-resolution map (≥ 0) and its scalar value. */
export interface TruthMap {
  width: number;
  height: number;
  map: Float32Array;
  value: number;
}

export interface PlantedUnitMeasure {
  iou: number;
  auroc: number;
  selectivity: number;
  /** Held-out scenes where the concept fires. */
  scenes: number;
  meanOn: number;
  meanOff: number;
}

export function measurePlantedUnit(input: {
  /** The site's activations over the held-out scenes, [N, channels, grid, grid]. */
  maps: Float32Array;
  channels: number;
  channel: number;
  grid: number;
  truth: readonly TruthMap[];
}): PlantedUnitMeasure {
  const { maps, channels, channel, grid, truth } = input;
  const cells = grid * grid;
  let intersection = 0;
  let union = 0;
  const values: number[] = [];
  const fires: boolean[] = [];
  truth.forEach((t, n) => {
    const base = (n * channels + channel) * cells;
    let max = 0;
    for (let c = 0; c < cells; c++) max = Math.max(max, maps[base + c] as number);
    values.push(max);
    fires.push(t.value >= 0.5);
    for (let y = 0; y < t.height; y++) {
      const row = Math.floor((y * grid) / t.height);
      for (let x = 0; x < t.width; x++) {
        const on =
          (maps[base + row * grid + Math.floor((x * grid) / t.width)] as number) >= PLANTED_KEEP.threshold;
        const concept = (t.map[y * t.width + x] as number) > 0;
        if (on && concept) intersection++;
        if (on || concept) union++;
      }
    }
  });
  const mean = (list: number[]) => (list.length ? list.reduce((a, b) => a + b, 0) / list.length : 0);
  const meanOn = mean(values.filter((_, n) => fires[n]));
  const meanOff = mean(values.filter((_, n) => !fires[n]));
  return {
    iou: union > 0 ? intersection / union : 0,
    auroc: auroc(values, fires),
    selectivity: meanOn + meanOff > 0 ? (meanOn - meanOff) / (meanOn + meanOff) : 0,
    scenes: fires.filter(Boolean).length,
    meanOn,
    meanOff,
  };
}
