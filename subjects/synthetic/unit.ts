import type { Formula } from './ast.ts';
import {
  unitFormula,
  unitRestingNoise,
  unitTruth,
  type UnitDefinition,
  type UnitTruth,
} from './definition.ts';
import { evaluateFormula, type ActivationMap } from './evaluate.ts';
import { gaussian, sceneRandom } from './noise.ts';
import { cellOfPixel, maxOf } from './pool.ts';
import type { AnnotatedScene } from './scene.ts';

/** A synthetic unit: its definition, the formula that implements it, and its ground truth. */
export interface SyntheticUnit {
  /** `synthetic:<id>`. */
  name: string;
  definition: UnitDefinition;
  formula: Formula;
  truth: UnitTruth;
}

export function createUnit(definition: UnitDefinition): SyntheticUnit {
  const truth = unitTruth(definition);
  return { name: truth.unit, definition, formula: unitFormula(definition), truth };
}

/**
 * A unit's response to one scene: its formula's map, plus noise. Noise is drawn per coarse cell (as
 * a conv unit's output is noisy per position, not per input pixel) from a generator seeded by the
 * scene's content and the unit's id, so it is the same every time the unit sees the same scene. It is
 * added to the pooled map and to every pixel of that cell in the full map, then floored at 0
 * (activations are post-ReLU). Resting noise is added only when the rule does not fire anywhere.
 * The scalar is the maximum of the noisy coarse map.
 */
export function unitActivation(unit: SyntheticUnit, scene: AnnotatedScene, grid: number): ActivationMap {
  const clean = evaluateFormula(unit.formula, scene, { grid });
  const resting = clean.value === 0 ? unitRestingNoise(unit.definition) : 0;
  const { noise } = unit.definition;
  if (resting === 0 && !noise) return clean;

  const random = sceneRandom(scene, unit.definition.id);
  const cellNoise = new Float32Array(grid * grid);
  for (let c = 0; c < cellNoise.length; c++) {
    let value = resting * random();
    if (noise) value += noise.kind === 'uniform' ? noise.level * random() : noise.level * gaussian(random);
    cellNoise[c] = value;
  }
  const pooled = clean.pooled.map((value, c) => Math.max(0, value + cellNoise[c]!));
  const { width, height } = clean;
  let map: Float32Array | undefined;
  // Most readers want the pooled map and the value; the full-resolution map is spread out on demand.
  return {
    width,
    height,
    grid,
    pooled,
    value: maxOf(pooled),
    get map() {
      return (map ??= spreadNoise(clean.map, width, height, grid, cellNoise));
    },
  };
}

/** The clean full-resolution map plus each cell's noise on that cell's pixels, floored at 0. */
function spreadNoise(
  clean: Float32Array,
  width: number,
  height: number,
  grid: number,
  cellNoise: Float32Array,
): Float32Array {
  const rowCell = cellOfPixel(height, grid);
  const columnCell = cellOfPixel(width, grid);
  const map = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = rowCell[y]! * grid;
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      map[p] = Math.max(0, clean[p]! + cellNoise[row + columnCell[x]!]!);
    }
  }
  return map;
}
