import { printFormula, type Formula, type Half } from '../../subjects/synthetic/index.ts';
import { InputError } from '../../util/errors.ts';
import { linearAxis, sampleBilinear, type AxisSamples } from '../saliency/resize.ts';
import { valueAtTopFraction } from './quantile.ts';

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

/** Quadrant bits of an image: which quarter a pixel's centre lies in (an odd middle line goes left / top). */
const TOP_LEFT = 1;
const TOP_RIGHT = 2;
const BOTTOM_LEFT = 4;
const BOTTOM_RIGHT = 8;
const ALL_QUADRANTS = 15;
const HALF_BITS: Record<Half, number> = {
  left: TOP_LEFT | BOTTOM_LEFT,
  right: TOP_RIGHT | BOTTOM_RIGHT,
  top: TOP_LEFT | TOP_RIGHT,
  bottom: BOTTOM_LEFT | BOTTOM_RIGHT,
};
const HALVES: readonly Half[] = ['left', 'right', 'top', 'bottom'];

// ---------------------------------------------------------------------------------------------------
// The unit's top region M, computed from as few maps as the threshold allows.

export interface MapLike {
  map: ArrayLike<number>;
  width: number;
  height: number;
}

export interface TopRegionOptions {
  /** Share of all map values above the threshold (NetDissect: 0.005). */
  topFraction: number;
  /** The comparison grid every map is upsampled to. */
  width: number;
  height: number;
  /** Scenes whose maps are asked for at a time. */
  batch?: number;
}

export interface TopRegion {
  threshold: number;
  topFraction: number;
  /** Σ|M| in comparison pixels, and its share of all comparison pixels. */
  activeTotal: number;
  activeFraction: number;
  /** M per scene that has any of it (comparison grid, row-major, 0/1). */
  masks: Map<number, Uint8Array>;
  /** Scenes whose maps were computed. */
  mapped: number;
  /** The side of the first map seen (a synthetic unit's grid). */
  mapSize: { width: number; height: number } | undefined;
}

/** A Float32Array that grows as values are pushed, and can be filtered in place. */
class GrowingArray {
  private data = new Float32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  keep(test: (value: number) => boolean): void {
    let kept = 0;
    for (let i = 0; i < this.length; i++) {
      const v = this.data[i] as number;
      if (test(v)) this.data[kept++] = v;
    }
    this.length = kept;
  }

  view(): Float32Array {
    return this.data.subarray(0, this.length);
  }
}

/**
 * The unit's top region over `bounds.length` scenes. `bounds[i]` must be at least every value of scene
 * i's map (its scalar activation, the map's maximum, is); `loadMaps` gives the maps of some scenes.
 * The threshold and M are exactly NetDissect's over all scenes: a scene is skipped only when its bound
 * lies below the threshold found without it, so none of its values could be in the top fraction.
 */
export async function topRegion(
  bounds: ArrayLike<number>,
  loadMaps: (indices: number[]) => Promise<MapLike[]>,
  options: TopRegionOptions,
): Promise<TopRegion> {
  const { topFraction, width, height } = options;
  if (!(topFraction > 0 && topFraction < 1))
    throw new InputError(`topFraction must be in (0, 1) (e.g. 0.005 for the top 0.5%), got ${topFraction}`);
  const n = bounds.length;
  if (n === 0) throw new InputError('a top region needs at least one scene');
  const pixels = width * height;
  const k = Math.min(n * pixels, Math.max(1, Math.round(topFraction * n * pixels)));
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (bounds[b] as number) - (bounds[a] as number) || a - b,
  );
  const batch = options.batch ?? 64;
  const values = new Map<number, Float32Array>();
  const axes = new Map<string, { rows: AxisSamples; columns: AxisSamples }>();
  let mapSize: TopRegion['mapSize'];
  // The threshold never falls as scenes are added, so values below the last one can never be in the
  // top k again: only the values at or above it are kept to select from (about k of them).
  const pool = new GrowingArray();
  let floor = -Infinity;
  let seen = 0;
  let minimum = Infinity;
  let threshold = Number.NaN;
  let next = 0;
  while (next < n) {
    const indices = order.slice(next, next + batch);
    next += indices.length;
    const maps = await loadMaps(indices);
    indices.forEach((scene, j) => {
      const map = maps[j];
      if (!map) throw new Error(`no map came back for scene ${scene}`);
      mapSize ??= { width: map.width, height: map.height };
      const key = `${map.width}x${map.height}`;
      let axis = axes.get(key);
      if (!axis) {
        axis = { rows: linearAxis(map.height, height), columns: linearAxis(map.width, width) };
        axes.set(key, axis);
      }
      const out = sampleBilinear(map.map, map.width, axis.rows, axis.columns, new Float32Array(pixels));
      for (let p = 0; p < pixels; p++) {
        const v = out[p] as number;
        if (!Number.isFinite(v)) throw new InputError(`unit map has a non-finite value (${v})`);
        if (v < minimum) minimum = v;
        if (v >= floor) pool.push(v);
      }
      values.set(scene, out);
    });
    seen += indices.length * pixels;
    if (seen < k) continue;
    threshold = valueAtTopFraction(pool.view(), k / pool.length);
    floor = threshold;
    pool.keep((v) => v >= floor);
    const bound = next < n ? (bounds[order[next] as number] as number) : -Infinity;
    // A small margin: bilinear blends may round a hair above the map's own maximum.
    if (bound < threshold - 1e-6 * Math.max(1, Math.abs(threshold))) break;
  }
  if (Number.isNaN(threshold)) threshold = valueAtTopFraction(pool.view(), k / pool.length);
  // As NetDissect: values tied at the threshold are in M, unless the threshold is the minimum of all
  // values (a mostly silent unit), when only values strictly above count. Skipped scenes lie below the
  // threshold, so it can be the minimum only when every scene was visited.
  const strict = next >= n && !(threshold > minimum);
  const masks = new Map<number, Uint8Array>();
  let activeTotal = 0;
  for (const [scene, v] of values) {
    const mask = new Uint8Array(pixels);
    let any = 0;
    for (let p = 0; p < pixels; p++) {
      const on = strict ? (v[p] as number) > threshold : (v[p] as number) >= threshold;
      if (on) {
        mask[p] = 1;
        any++;
      }
    }
    if (any > 0) masks.set(scene, mask);
    activeTotal += any;
  }
  return {
    threshold,
    topFraction,
    activeTotal,
    activeFraction: activeTotal / (n * pixels),
    masks,
    mapped: values.size,
    mapSize,
  };
}

// ---------------------------------------------------------------------------------------------------
// The label table: every scene reduced to (scene, label) entries.

/** A scene as label maps store it: one label per pixel and the concepts true at each label. */
export interface LabelledScene {
  labels: Uint8Array;
  labelConcepts: readonly (readonly string[])[];
  width: number;
  height: number;
}

/**
 * What the search needs to know about the probe set, whatever the unit: its scenes reduced to
 * (scene, label) entries. Unit-independent, so one index serves every unit on the same probe set.
 */
export interface LabelIndex {
  scenes: number;
  grid: number;
  comparison: { width: number; height: number };
  concepts: string[];
  /** Per entry: its scene and label; entries of scene s are [sceneStart[s], sceneStart[s + 1]). */
  entryScene: Int32Array;
  entryLabel: Int32Array;
  sceneStart: Int32Array;
  /** Per entry × 4 quadrants: comparison pixels. */
  quadrantArea: Float64Array;
  /** The label under each comparison pixel of each scene (scene-major), and each pixel's quadrant slot. */
  comparisonLabels: Uint8Array;
  comparisonSlot: Uint8Array;
  /** Per entry: its cells [cellStart[e], cellStart[e + 1]) as (cell, covered fraction of the cell). */
  cellStart: Int32Array;
  cellIndex: Int32Array;
  cellCover: Float32Array;
  /** Quadrant bit of each cell (by its centre). */
  cellQuadrant: Uint8Array;
  /** Per concept id: the entries whose label has it, and its position in each label's concept list. */
  conceptEntries: Int32Array[];
  conceptPositions: Int32Array[];
  /** Per concept id: 1 for scenes where it covers at least one pixel (full resolution). */
  presence: Uint8Array[];
  /** Per concept id: scenes where it is present. */
  presenceCount: Int32Array;
  /** The specificity of each concept: its smallest position in any label's concept list. */
  specificity: Int32Array;
}

/** The index with one unit's region and activations: what formulas are scored against. */
export interface LabelTable extends LabelIndex {
  /** Per entry × 4 quadrants: comparison pixels in the unit's region M. */
  quadrantHits: Float64Array;
  /** Σ|M| in comparison pixels. */
  activeTotal: number;
  /** The unit's scalar activation per scene, centred, and its sum of squares (for Pearson r). */
  unitCentred: Float64Array;
  unitSumSquares: number;
}

/** The table of one unit: the index, with the unit's region (per scene, on the comparison grid) and values. */
export function unitLabelTable(
  index: LabelIndex,
  region: ReadonlyMap<number, Uint8Array>,
  unitValues: ArrayLike<number>,
): LabelTable {
  const { scenes } = index;
  if (unitValues.length !== scenes)
    throw new InputError(`${unitValues.length} unit values for ${scenes} scenes`);
  const pixels = index.comparison.width * index.comparison.height;
  const quadrantHits = new Float64Array(index.quadrantArea.length);
  const entryOf = new Int32Array(256);
  let activeTotal = 0;
  for (const [scene, mask] of region) {
    if (scene < 0 || scene >= scenes) continue;
    entryOf.fill(-1);
    for (let e = index.sceneStart[scene] as number; e < (index.sceneStart[scene + 1] as number); e++)
      entryOf[index.entryLabel[e] as number] = e;
    const offset = scene * pixels;
    for (let p = 0; p < pixels; p++) {
      if (mask[p] !== 1) continue;
      activeTotal++;
      const e = entryOf[index.comparisonLabels[offset + p] as number] as number;
      if (e >= 0) quadrantHits[e * 4 + (index.comparisonSlot[p] as number)]! += 1;
    }
  }
  let mean = 0;
  for (let s = 0; s < scenes; s++) mean += unitValues[s] as number;
  mean /= scenes;
  const unitCentred = Float64Array.from({ length: scenes }, (_, s) => (unitValues[s] as number) - mean);
  let unitSumSquares = 0;
  for (const v of unitCentred) unitSumSquares += v * v;
  return { ...index, quadrantHits, activeTotal, unitCentred, unitSumSquares };
}

/** For each of `count` reduced pixels along an axis of `length`, the source pixel under its centre. */
function nearestIndices(length: number, count: number): Int32Array {
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.min(length - 1, Math.floor(((i + 0.5) * length) / count));
  return out;
}

/** For each comparison pixel (row-major), the image pixel under its centre. */
export function comparisonSource(
  width: number,
  height: number,
  comparison: { width: number; height: number },
): Int32Array {
  const xs = nearestIndices(width, comparison.width);
  const ys = nearestIndices(height, comparison.height);
  const out = new Int32Array(comparison.width * comparison.height);
  for (let y = 0; y < comparison.height; y++)
    for (let x = 0; x < comparison.width; x++)
      out[y * comparison.width + x] = (ys[y] as number) * width + (xs[x] as number);
  return out;
}

/** The grid cell of each pixel along an axis, by the pixel's centre. */
function cellsOfAxis(length: number, grid: number): Int32Array {
  const out = new Int32Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.min(grid - 1, Math.floor(((i + 0.5) * grid) / length));
  return out;
}

function quadrantOf(x: number, y: number, width: number, height: number): number {
  const left = x + 0.5 <= width / 2;
  const top = y + 0.5 <= height / 2;
  return top ? (left ? TOP_LEFT : TOP_RIGHT) : left ? BOTTOM_LEFT : BOTTOM_RIGHT;
}

/** Builds a LabelIndex scene by scene, so label maps need not all be held at once. */
export class LabelIndexBuilder {
  private readonly conceptIds = new Map<string, number>();
  private readonly concepts: string[] = [];
  private readonly specificity: number[] = [];
  private readonly entryScene: number[] = [];
  private readonly entryLabel: number[] = [];
  private readonly entryConcepts: number[][] = [];
  private readonly area: number[] = [];
  private readonly comparisonLabels: Uint8Array[] = [];
  private readonly cellStart: number[] = [0];
  private readonly cellIndex: number[] = [];
  private readonly cellCover: number[] = [];
  private readonly presentIn: number[][] = [];
  private readonly sceneStart: number[] = [0];
  private geometry:
    | {
        width: number;
        height: number;
        /** Per comparison pixel: the image pixel under its centre, and its quadrant slot 0–3. */
        compSource: Int32Array;
        compSlot: Uint8Array;
        /** Cell column of each pixel column, where each cell column ends, cell row of each pixel row. */
        columnCell: Int32Array;
        columnEnd: Int32Array;
        rowCell: Int32Array;
        cellPixels: Float64Array;
        cellQuadrant: Uint8Array;
      }
    | undefined;

  constructor(
    readonly comparison: { width: number; height: number },
    readonly grid: number,
  ) {}

  /** Add the next scene (scenes must come in order 0, 1, …). */
  add(scene: LabelledScene): void {
    const g = this.geometryFor(scene.width, scene.height);
    const index = this.sceneStart.length - 1;
    const labelCount = scene.labelConcepts.length;
    const cells = this.grid * this.grid;
    const area = new Float64Array(labelCount * 4);
    const sampled = new Uint8Array(g.compSource.length);
    countComparison(scene.labels, labelCount, g.compSource, g.compSlot, area, sampled);
    this.comparisonLabels.push(sampled);
    const counts = new Float64Array(labelCount * cells);
    const total = new Int32Array(labelCount);
    countCells(scene, labelCount, this.grid, g, counts, total);
    for (let label = 0; label < labelCount; label++) {
      if ((total[label] as number) === 0) continue;
      const ids = (scene.labelConcepts[label] ?? []).map((name, position) => this.conceptId(name, position));
      for (const id of ids) {
        const list = this.presentIn[id] as number[];
        if (list[list.length - 1] !== index) list.push(index);
      }
      this.entryScene.push(index);
      this.entryLabel.push(label);
      this.entryConcepts.push(ids);
      for (let q = 0; q < 4; q++) this.area.push(area[label * 4 + q] as number);
      for (let c = 0; c < cells; c++) {
        const count = counts[label * cells + c] as number;
        if (count === 0) continue;
        this.cellIndex.push(c);
        this.cellCover.push(count / (g.cellPixels[c] as number));
      }
      this.cellStart.push(this.cellIndex.length);
    }
    this.sceneStart.push(this.entryScene.length);
  }

  finish(): LabelIndex {
    const scenes = this.sceneStart.length - 1;
    if (scenes === 0) throw new InputError('formula search needs at least one scene');
    const conceptEntries: number[][] = this.concepts.map(() => []);
    const conceptPositions: number[][] = this.concepts.map(() => []);
    this.entryConcepts.forEach((ids, e) =>
      ids.forEach((id, position) => {
        (conceptEntries[id] as number[]).push(e);
        (conceptPositions[id] as number[]).push(position);
      }),
    );
    const presence = this.presentIn.map((list) => {
      const row = new Uint8Array(scenes);
      for (const s of list) row[s] = 1;
      return row;
    });
    const pixels = this.comparison.width * this.comparison.height;
    const comparisonLabels = new Uint8Array(scenes * pixels);
    this.comparisonLabels.forEach((sampled, s) => comparisonLabels.set(sampled, s * pixels));
    return {
      scenes,
      grid: this.grid,
      comparison: this.comparison,
      concepts: [...this.concepts],
      entryScene: Int32Array.from(this.entryScene),
      entryLabel: Int32Array.from(this.entryLabel),
      sceneStart: Int32Array.from(this.sceneStart),
      quadrantArea: Float64Array.from(this.area),
      comparisonLabels,
      comparisonSlot: this.geometry?.compSlot ?? new Uint8Array(pixels),
      cellStart: Int32Array.from(this.cellStart),
      cellIndex: Int32Array.from(this.cellIndex),
      cellCover: Float32Array.from(this.cellCover),
      cellQuadrant: this.geometry?.cellQuadrant ?? new Uint8Array(this.grid * this.grid),
      conceptEntries: conceptEntries.map((list) => Int32Array.from(list)),
      conceptPositions: conceptPositions.map((list) => Int32Array.from(list)),
      presence,
      presenceCount: Int32Array.from(this.presentIn, (list) => list.length),
      specificity: Int32Array.from(this.specificity),
    };
  }

  private conceptId(name: string, position: number): number {
    let id = this.conceptIds.get(name);
    if (id === undefined) {
      id = this.concepts.length;
      this.conceptIds.set(name, id);
      this.concepts.push(name);
      this.specificity.push(position);
      this.presentIn.push([]);
    } else if (position < (this.specificity[id] as number)) this.specificity[id] = position;
    return id;
  }

  private geometryFor(width: number, height: number): NonNullable<LabelIndexBuilder['geometry']> {
    if (this.geometry) {
      if (this.geometry.width !== width || this.geometry.height !== height)
        throw new InputError(
          `scenes must share one size: ${width}×${height} after ${this.geometry.width}×${this.geometry.height}`,
        );
      return this.geometry;
    }
    const { grid } = this;
    if (grid > width || grid > height)
      throw new InputError(`grid ${grid} is larger than the image (${width}×${height})`);
    const cw = this.comparison.width;
    const ch = this.comparison.height;
    const compSource = comparisonSource(width, height, this.comparison);
    const compSlot = new Uint8Array(cw * ch);
    for (let y = 0; y < ch; y++)
      for (let x = 0; x < cw; x++) compSlot[y * cw + x] = Math.log2(quadrantOf(x, y, cw, ch));
    const columns = cellsOfAxis(width, grid);
    const rows = cellsOfAxis(height, grid);
    const columnEnd = new Int32Array(grid);
    for (let x = 0; x < width; x++) columnEnd[columns[x] as number] = x + 1;
    const cellPixels = new Float64Array(grid * grid);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const c = (rows[y] as number) * grid + (columns[x] as number);
        cellPixels[c] = (cellPixels[c] as number) + 1;
      }
    }
    const cellQuadrant = new Uint8Array(grid * grid);
    for (let cy = 0; cy < grid; cy++)
      for (let cx = 0; cx < grid; cx++) cellQuadrant[cy * grid + cx] = quadrantOf(cx, cy, grid, grid);
    this.geometry = {
      width,
      height,
      compSource,
      compSlot,
      columnCell: columns,
      columnEnd,
      rowCell: rows,
      cellPixels,
      cellQuadrant,
    };
    return this.geometry;
  }
}

/** A table built scene by scene with each scene's region: an index and a unit at once (tests, one-offs). */
export class LabelTableBuilder {
  private readonly index: LabelIndexBuilder;
  private readonly region = new Map<number, Uint8Array>();
  private added = 0;

  constructor(comparison: { width: number; height: number }, grid: number) {
    this.index = new LabelIndexBuilder(comparison, grid);
  }

  add(scene: LabelledScene, active?: Uint8Array): void {
    this.index.add(scene);
    if (active) this.region.set(this.added, active);
    this.added++;
  }

  finish(unitValues: ArrayLike<number>): LabelTable {
    return unitLabelTable(this.index.finish(), this.region, unitValues);
  }
}

/**
 * Comparison grid: per label and quadrant, the pixels sampled there, and the label under each sampled
 * pixel. A separate function so the JIT optimises this hot loop on its own.
 */
function countComparison(
  labels: Uint8Array,
  labelCount: number,
  compSource: Int32Array,
  compSlot: Uint8Array,
  area: Float64Array,
  sampled: Uint8Array,
): void {
  for (let p = 0; p < compSource.length; p++) {
    const label = labels[compSource[p] as number] as number;
    sampled[p] = label;
    if (label >= labelCount) continue; // a label without concepts (an occluder)
    const q = label * 4 + (compSlot[p] as number);
    area[q] = (area[q] as number) + 1;
  }
}

/**
 * Full resolution: per label, its pixels in each grid cell (`counts`, label-major) and in all
 * (`total`); a formula's pooled map is a sum of these. Label maps are long runs of one label, so runs
 * are found four labels at a time where rows start on a 4-byte boundary, and each run is split at cell
 * borders rather than visited pixel by pixel: this scan is most of the cost of building the table.
 */
function countCells(
  scene: LabelledScene,
  labelCount: number,
  grid: number,
  g: { rowCell: Int32Array; columnCell: Int32Array; columnEnd: Int32Array },
  counts: Float64Array,
  total: Int32Array,
): void {
  const { labels, width: w, height } = scene;
  const cells = grid * grid;
  const words =
    w % 4 === 0 && labels.byteOffset % 4 === 0
      ? new Uint32Array(labels.buffer, labels.byteOffset, labels.length >> 2)
      : undefined;
  for (let y = 0; y < height; y++) {
    const rowStart = y * w;
    const cellRow = (g.rowCell[y] as number) * grid;
    let x = 0;
    while (x < w) {
      const label = labels[rowStart + x] as number;
      let end = x + 1;
      if (words) {
        while (end < w && (end & 3) !== 0 && labels[rowStart + end] === label) end++;
        if ((end & 3) === 0) {
          const pattern = (label * 0x01010101) >>> 0;
          while (end + 4 <= w && words[(rowStart + end) >> 2] === pattern) end += 4;
        }
      }
      while (end < w && labels[rowStart + end] === label) end++;
      if (label < labelCount) {
        total[label] = (total[label] as number) + end - x;
        const base = label * cells + cellRow;
        for (let a = x; a < end; ) {
          const column = g.columnCell[a] as number;
          const b = Math.min(end, g.columnEnd[column] as number);
          counts[base + column] = (counts[base + column] as number) + b - a;
          a = b;
        }
      }
      x = end;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Formulas as quadrant masks over entries, and their scores.

export interface FormulaScore {
  formula: Formula;
  /** printFormula(formula): parses back to `formula`. */
  text: string;
  /** Concepts it mentions (Mu & Andreas' formula length). */
  length: number;
  iou: number;
  /** Pearson r over scenes between the unit's activation and the formula's value (0 when either is constant). */
  r: number;
  /** |M ∩ F| / |F| and |M ∩ F| / |M|, comparison pixels over the probe set. */
  precision: number;
  recall: number;
  /** Scenes where the formula fires somewhere. */
  scenes: number;
}

/** A formula's masks: what extending it needs. Built only for formulas that enter the beam. */
interface Masks {
  /** Quadrant bits per entry (0: not in the formula). */
  zones: Uint8Array;
  /** The formula's value per scene. */
  scalar: Float32Array;
  /** Per scene: Σ|F| and Σ|M ∩ F| (comparison pixels). */
  sceneArea: Float64Array;
  sceneHits: Float64Array;
  /** Scenes where it fires (area or value above 0), ascending. */
  firing: Int32Array;
}

/** A scored formula; its masks are rebuilt from `build` when needed (most formulas never are). */
interface Candidate extends FormulaScore {
  /** Extensional identity on the probe set: equal signatures, equal scores (formulas kept once). */
  signature: string;
  masks(): Masks;
}

class Scorer {
  private readonly accumulator: Float64Array;
  private readonly touched: Int32Array;
  evaluated = 0;

  constructor(readonly table: LabelTable) {
    this.accumulator = new Float64Array(table.grid * table.grid);
    this.touched = new Int32Array(table.grid * table.grid);
  }

  /** Names of concepts a given formula mentions that the probe set never shows (ids past the table's). */
  private readonly absent: string[] = [];

  /** The id of a concept, or a fresh id past the table's for a concept never seen (never present). */
  conceptId(name: string): number {
    const id = this.table.concepts.indexOf(name);
    if (id >= 0) return id;
    let extra = this.absent.indexOf(name);
    if (extra < 0) extra = this.absent.push(name) - 1;
    return this.table.concepts.length + extra;
  }

  private conceptNameOf(id: number): string {
    return this.table.concepts[id] ?? (this.absent[id - this.table.concepts.length] as string);
  }

  /** A formula as given, scored; undefined when it uses an operator the table cannot express. */
  formula(formula: Formula): Candidate | undefined {
    switch (formula.op) {
      case 'concept':
        return this.atom(this.conceptId(formula.name));
      case 'word':
        return this.atom(this.conceptId(`word:${formula.text}`));
      case 'half': {
        const arg = this.formula(formula.arg);
        if (!arg) return undefined;
        const build = (): Masks => this.masksOf(arg.masks().zones.map((z) => z & HALF_BITS[formula.half]));
        return this.scored(formula, arg.length, build);
      }
      case 'or':
      case 'intersect': {
        const left = this.formula(formula.left);
        const right = this.formula(formula.right);
        return left && right ? this.combine(formula.op, left, right) : undefined;
      }
      case 'and': {
        const left = this.formula(formula.left);
        const negate = formula.right.op === 'not';
        const gate = formula.right.op === 'not' ? formula.right.arg : formula.right;
        const name = gate.op === 'concept' ? gate.name : gate.op === 'word' ? `word:${gate.text}` : undefined;
        if (!left || name === undefined) return undefined;
        return this.gate(left, this.conceptId(name), negate, true);
      }
      default:
        return undefined;
    }
  }

  atom(conceptId: number, half?: Half): Candidate {
    const { table } = this;
    const concept = conceptFormula(this.conceptNameOf(conceptId));
    const formula: Formula = half ? { op: 'half', half, arg: concept } : concept;
    const build = (): Masks => {
      const zones = new Uint8Array(table.entryScene.length);
      const bits = half ? HALF_BITS[half] : ALL_QUADRANTS;
      for (const e of table.conceptEntries[conceptId] ?? []) zones[e] = bits;
      return this.masksOf(zones);
    };
    return this.scored(formula, 1, build);
  }

  combine(op: 'or' | 'intersect', left: Candidate, right: Candidate): Candidate {
    const build = (): Masks => {
      const a = left.masks().zones;
      const b = right.masks().zones;
      const zones = new Uint8Array(a.length);
      if (op === 'or') for (let e = 0; e < zones.length; e++) zones[e] = (a[e] as number) | (b[e] as number);
      else for (let e = 0; e < zones.length; e++) zones[e] = (a[e] as number) & (b[e] as number);
      return this.masksOf(zones);
    };
    return this.scored({ op, left: left.formula, right: right.formula }, left.length + right.length, build);
  }

  /**
   * `left AND g` (negate: `left AND NOT g`): left in the scenes where g is present (absent). Scored from
   * left's per-scene sums alone, which is what makes trying every concept as a gate cheap. Undefined
   * when the gate changes nothing or removes everything.
   */
  gate(left: Candidate, conceptId: number, negate: boolean, always = false): Candidate | undefined {
    const { table } = this;
    const base = left.masks();
    const present = table.presence[conceptId] ?? new Uint8Array(table.scenes);
    let kept = 0;
    for (const s of base.firing) if ((present[s] === 1) !== negate) kept++;
    if (!always && (kept === 0 || kept === base.firing.length)) return undefined;
    const keep = (s: number): boolean => (present[s] === 1) !== negate;
    const g = conceptFormula(this.conceptNameOf(conceptId));
    const formula: Formula = { op: 'and', left: left.formula, right: negate ? { op: 'not', arg: g } : g };
    let area = 0;
    let hits = 0;
    const values: number[] = [];
    for (const s of base.firing) {
      if (!keep(s)) continue;
      area += base.sceneArea[s] as number;
      hits += base.sceneHits[s] as number;
      values.push(s, base.scalar[s] as number);
    }
    const build = (): Masks => {
      const zones = new Uint8Array(base.zones.length);
      for (let e = 0; e < zones.length; e++)
        if (base.zones[e] !== 0 && keep(table.entryScene[e] as number)) zones[e] = base.zones[e] as number;
      return this.masksOf(zones);
    };
    return this.withStats(formula, left.length + 1, area, hits, values, build);
  }

  private scored(formula: Formula, length: number, build: () => Masks): Candidate {
    const masks = build();
    let area = 0;
    let hits = 0;
    const values: number[] = [];
    for (const s of masks.firing) {
      area += masks.sceneArea[s] as number;
      hits += masks.sceneHits[s] as number;
      values.push(s, masks.scalar[s] as number);
    }
    // Keep the masks only while this candidate is alive as an object; the pool drops it if it loses.
    return this.withStats(formula, length, area, hits, values, () => masks);
  }

  /** Scores from sums; `values` holds (scene, value) pairs of the scenes where the formula fires. */
  private withStats(
    formula: Formula,
    length: number,
    area: number,
    hits: number,
    values: number[],
    build: () => Masks,
  ): Candidate {
    const { table } = this;
    this.evaluated++;
    let sum = 0;
    let sumSquares = 0;
    let cross = 0;
    let scenes = 0;
    for (let k = 0; k < values.length; k += 2) {
      const v = values[k + 1] as number;
      if (v === 0) continue;
      scenes++;
      sum += v;
      sumSquares += v * v;
      cross += v * (table.unitCentred[values[k] as number] as number);
    }
    const spread = sumSquares - (sum * sum) / table.scenes;
    const denominator = Math.sqrt(Math.max(0, spread) * table.unitSumSquares);
    const r = denominator > 1e-12 ? Math.max(-1, Math.min(1, cross / denominator)) : 0;
    const union = table.activeTotal + area - hits;
    let cached: Masks | undefined;
    return {
      formula,
      text: printFormula(formula),
      length,
      iou: union > 0 ? hits / union : 0,
      r,
      precision: area > 0 ? hits / area : 0,
      recall: table.activeTotal > 0 ? hits / table.activeTotal : 0,
      scenes,
      signature: `${area}|${hits}|${scenes}|${r.toFixed(9)}`,
      masks: () => (cached ??= build()),
    };
  }

  /** Per-scene sums and values of a zone assignment. */
  private masksOf(zones: Uint8Array): Masks {
    const { table, accumulator, touched } = this;
    const scalar = new Float32Array(table.scenes);
    const sceneArea = new Float64Array(table.scenes);
    const sceneHits = new Float64Array(table.scenes);
    const firing: number[] = [];
    for (let s = 0; s < table.scenes; s++) {
      let count = 0;
      let area = 0;
      let hits = 0;
      const end = table.sceneStart[s + 1] as number;
      for (let e = table.sceneStart[s] as number; e < end; e++) {
        const z = zones[e] as number;
        if (z === 0) continue;
        for (let q = 0; q < 4; q++) {
          if ((z & (1 << q)) === 0) continue;
          area += table.quadrantArea[e * 4 + q] as number;
          hits += table.quadrantHits[e * 4 + q] as number;
        }
        const cellEnd = table.cellStart[e + 1] as number;
        for (let k = table.cellStart[e] as number; k < cellEnd; k++) {
          const cell = table.cellIndex[k] as number;
          if (z !== ALL_QUADRANTS && ((table.cellQuadrant[cell] as number) & z) === 0) continue;
          if (accumulator[cell] === 0) touched[count++] = cell;
          accumulator[cell] = (accumulator[cell] as number) + (table.cellCover[k] as number);
        }
      }
      let max = 0;
      for (let t = 0; t < count; t++) {
        const cell = touched[t] as number;
        if ((accumulator[cell] as number) > max) max = accumulator[cell] as number;
        accumulator[cell] = 0;
      }
      scalar[s] = Math.min(1, max);
      sceneArea[s] = area;
      sceneHits[s] = hits;
      if (area > 0 || max > 0) firing.push(s);
    }
    return { zones, scalar, sceneArea, sceneHits, firing: Int32Array.from(firing) };
  }
}

/** A concept as a formula leaf: word concepts (`word:stop`) are the word function. */
export function conceptFormula(name: string): Formula {
  return name.startsWith('word:')
    ? { op: 'word', text: name.slice('word:'.length) }
    : { op: 'concept', name };
}

/** A concept's NetDissect score, as netdissect.ts reports it. */
export interface ConceptOverlap {
  concept: string;
  iou: number;
  intersection: number;
  union: number;
  area: number;
  scenes: number;
  specificity: number;
}

/**
 * NetDissect over the table: every concept's IoU with the unit's region, ranked as `dissectUnit`
 * ranks them, with the same numbers (scenes and specificity count labels seen on the comparison
 * grid, as it does). What concept_stats reports, from a table formula_search can share.
 */
export function conceptOverlaps(table: LabelTable): ConceptOverlap[] {
  const out: ConceptOverlap[] = [];
  table.concepts.forEach((concept, id) => {
    const entries = table.conceptEntries[id] as Int32Array;
    const positions = table.conceptPositions[id] as Int32Array;
    let intersection = 0;
    let area = 0;
    let scenes = 0;
    let lastScene = -1;
    let specificity = Infinity;
    entries.forEach((e, k) => {
      let entryArea = 0;
      for (let q = 0; q < 4; q++) {
        entryArea += table.quadrantArea[e * 4 + q] as number;
        intersection += table.quadrantHits[e * 4 + q] as number;
      }
      if (entryArea === 0) return;
      area += entryArea;
      specificity = Math.min(specificity, positions[k] as number);
      const scene = table.entryScene[e] as number;
      if (scene !== lastScene) scenes++;
      lastScene = scene;
    });
    if (area === 0) return;
    const union = table.activeTotal + area - intersection;
    out.push({
      concept,
      iou: union > 0 ? intersection / union : 0,
      intersection,
      union,
      area,
      scenes,
      specificity,
    });
  });
  return out.sort(
    (a, b) =>
      b.iou - a.iou || a.area - b.area || a.specificity - b.specificity || a.concept.localeCompare(b.concept),
  );
}

/**
 * Score given formulas on the table; undefined for a formula it cannot express (operators beyond
 * concepts, words, OR, &, AND / AND NOT a concept, and halves).
 */
export function scoreFormulas(table: LabelTable, formulas: readonly Formula[]): (FormulaScore | undefined)[] {
  const scorer = new Scorer(table);
  return formulas.map((formula) => {
    const scored = scorer.formula(formula);
    return scored ? plain(scored) : undefined;
  });
}

/** A formula's value on every scene of the table (its map pooled to the grid, maximum), or undefined. */
export function formulaValues(table: LabelTable, formula: Formula): Float32Array | undefined {
  return new Scorer(table).formula(formula)?.masks().scalar;
}

// ---------------------------------------------------------------------------------------------------
// The beam search.

export type Objective = 'iou' | 'r';

export interface SearchOptions {
  /** Concepts to combine with OR and & (default: the `candidateCount` best single concepts by IoU and
   *  half as many more by r). */
  candidates?: readonly string[];
  candidateCount?: number;
  /** Most concepts in a formula (default 3). */
  maxLength?: number;
  beam?: number;
  topK?: number;
  objective?: Objective;
  /** Also try left/right/top/bottom halves of the candidates (default true). */
  spatial?: boolean;
}

export interface SearchResult {
  objective: Objective;
  /** The best single concepts (NetDissect's ranking when the objective is IoU). */
  concepts: FormulaScore[];
  /** The concepts combined with OR and &. */
  candidates: string[];
  /** Concepts tried as gates (AND g, AND NOT g): every concept present in some but not all scenes. */
  gates: number;
  formulas: FormulaScore[];
  evaluated: number;
}

const DEFAULTS = { candidateCount: 10, maxLength: 3, beam: 5, topK: 5 };

/**
 * What ranking gives up per concept beyond the first, so a longer formula must explain clearly more
 * than a shorter one: without it, near-copies such as `dog AND NOT cake` fill the list on chance
 * differences of a few pixels. For IoU a share of it (a 3-concept formula needs 10% more), because
 * IoUs of good explanations range from 0.05 to 0.9; for r a fixed 0.01, because r near 1 is compressed
 * (0.98 → 1.00 is a real gain).
 */
const IOU_LENGTH_PENALTY = 0.05;
const R_LENGTH_PENALTY = 0.01;

function quantised(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** A score less its length penalty (to 3 decimals). */
function penalised(c: Candidate, objective: Objective): number {
  return quantised(
    objective === 'iou'
      ? c.iou * (1 - IOU_LENGTH_PENALTY * (c.length - 1))
      : c.r - R_LENGTH_PENALTY * (c.length - 1),
  );
}

/**
 * The `k` best, leaving out any formula that, with its length penalty, scores no better in IoU nor
 * in r than a shorter one already listed: `left(dog) AND NOT tool` adds nothing to `left(dog)`.
 */
function bestDistinct(sorted: readonly Candidate[], k: number): Candidate[] {
  const out: Candidate[] = [];
  for (const c of sorted) {
    if (out.length >= k) break;
    if (c.iou === 0 && c.r <= 0) continue; // explains nothing (a silent unit leaves only these)
    const dominated = out.some(
      (o) =>
        o.length < c.length &&
        penalised(o, 'iou') >= penalised(c, 'iou') &&
        penalised(o, 'r') >= penalised(c, 'r'),
    );
    if (!dominated) out.push(c);
  }
  return out;
}

function plain(score: Candidate): FormulaScore {
  const { formula, text, length, iou, r, precision, recall, scenes } = score;
  return { formula, text, length, iou, r, precision, recall, scenes };
}

/**
 * Best first: the objective less the length penalty, then the other score, then shorter. Scores are
 * compared to 3 decimals: a smaller difference is chance (a few pixels, one scene), and a formula with
 * r 0.9999 over r 0.9998 should lose to one with the clearly better IoU.
 */
function ranking(objective: Objective): (a: Candidate, b: Candidate) => number {
  const value = (c: Candidate) => penalised(c, objective);
  const other = (c: Candidate) => quantised(objective === 'iou' ? c.r : c.iou);
  return (a, b) =>
    value(b) - value(a) ||
    other(b) - other(a) ||
    a.length - b.length ||
    a.text.length - b.text.length ||
    a.text.localeCompare(b.text);
}

/**
 * Beam search (Mu & Andreas): start from the best single concepts, then repeatedly extend each formula
 * in the beam with OR / & a candidate (or a half of one) and AND / AND NOT any gate concept, keeping the
 * `beam` best formulas seen (and half as many best by the other score), up to `maxLength` concepts.
 * Formulas equal on the probe set are kept once, the shortest. Returns the `topK` best of everything
 * evaluated.
 */
export function searchFormulas(table: LabelTable, options: SearchOptions = {}): SearchResult {
  const objective = options.objective ?? 'iou';
  const maxLength = options.maxLength ?? DEFAULTS.maxLength;
  const beamWidth = options.beam ?? DEFAULTS.beam;
  const topK = options.topK ?? DEFAULTS.topK;
  const spatial = options.spatial ?? true;
  const order = ranking(objective);
  const scorer = new Scorer(table);
  const ids = new Map(table.concepts.map((name, id) => [name, id]));

  // Level 1: every concept on its own, ranked as NetDissect ranks them (then by r).
  const singles = table.concepts.map((_, id) => scorer.atom(id));
  const area = (c: Candidate) => (c.precision > 0 ? (c.iou * table.activeTotal) / c.precision : 0);
  const specificity = (c: Candidate) => table.specificity[ids.get(leafName(c.formula)) as number] as number;
  singles.sort(
    (a, b) =>
      (objective === 'iou' ? b.iou - a.iou : b.r - a.r || b.iou - a.iou) ||
      area(a) - area(b) ||
      specificity(a) - specificity(b) ||
      a.text.localeCompare(b.text),
  );
  const candidateIds = (options.candidates ?? defaultCandidates(singles, options.candidateCount))
    .filter((name) => ids.has(name))
    .map((name) => ids.get(name) as number);
  const operands: Candidate[] = candidateIds.flatMap((id) => [
    singles.find((c) => leafName(c.formula) === table.concepts[id]) ?? scorer.atom(id),
    ...(spatial ? HALVES.map((half) => scorer.atom(id, half)) : []),
  ]);
  const gateIds = table.concepts
    .map((_, id) => id)
    .filter((id) => {
      const count = table.presenceCount[id] as number;
      return count > 0 && count < table.scenes;
    });

  // The pool holds the best formula of each signature; losers are dropped, masks and all.
  const pool = new Map<string, Candidate>();
  const offer = (candidate: Candidate | undefined): void => {
    if (!candidate) return;
    const existing = pool.get(candidate.signature);
    if (!existing || order(candidate, existing) < 0) pool.set(candidate.signature, candidate);
  };
  for (const s of singles) offer(s);
  for (const o of operands) offer(o);
  const best = (k: number) => [...pool.values()].sort(order).slice(0, k);
  // The beam also keeps the best few by the other score: a gated unit's main concept may rank low by r
  // (it fires without the gate too) and high by IoU, and the gate is found only by extending it.
  const otherOrder = ranking(objective === 'iou' ? 'r' : 'iou');
  const nextBeam = (): Candidate[] => {
    const chosen = best(beamWidth);
    const extra = [...pool.values()].sort(otherOrder).slice(0, Math.ceil(beamWidth / 2));
    for (const c of extra) if (!chosen.includes(c)) chosen.push(c);
    return chosen;
  };
  let beam = nextBeam();
  const expanded = new Set<string>();
  for (let length = 2; length <= maxLength; length++) {
    for (const base of beam) {
      // A formula is extended once (it may stay in the beam for several rounds), and not past maxLength.
      if (base.length >= length || expanded.has(base.signature)) continue;
      expanded.add(base.signature);
      for (const operand of operands) {
        if (base.length + operand.length > maxLength) continue;
        offer(scorer.combine('or', base, operand));
        offer(scorer.combine('intersect', base, operand));
      }
      for (const id of gateIds) {
        offer(scorer.gate(base, id, false));
        offer(scorer.gate(base, id, true));
      }
    }
    beam = nextBeam();
    // Keep what may still be extended or reported; the rest need only their scores.
    const keep = new Set([...beam, ...operands, ...best(topK)].map((c) => c.signature));
    for (const [key, value] of pool) if (!keep.has(key)) pool.set(key, { ...value, masks: dropped });
  }
  return {
    objective,
    concepts: singles.slice(0, Math.max(topK, 10)).map(plain),
    candidates: candidateIds.map((id) => table.concepts[id] as string),
    gates: gateIds.length,
    formulas: bestDistinct([...pool.values()].sort(order), topK).map(plain),
    evaluated: scorer.evaluated,
  };
}

/**
 * The best `count` concepts by IoU, then the best `count / 2` by r not yet among them: a gated unit's
 * main concept can have a poor IoU (its region is mostly noise) yet a clear r, and the reverse.
 */
function defaultCandidates(singles: readonly Candidate[], count = DEFAULTS.candidateCount): string[] {
  const byIou = [...singles].sort((a, b) => b.iou - a.iou).slice(0, count);
  const names = byIou.map((c) => leafName(c.formula));
  const byR = [...singles].sort((a, b) => b.r - a.r);
  for (const c of byR.slice(0, Math.ceil(count / 2))) {
    const name = leafName(c.formula);
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

function dropped(): Masks {
  throw new Error('masks of a formula outside the beam were dropped');
}

/** The concept of a single-concept formula (a concept, a word, or a half of one). */
function leafName(formula: Formula): string {
  if (formula.op === 'concept') return formula.name;
  if (formula.op === 'word') return `word:${formula.text}`;
  if (formula.op === 'half') return leafName(formula.arg);
  throw new Error(`not a single concept: ${printFormula(formula)}`);
}
