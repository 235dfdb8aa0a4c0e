import { InputError } from '../../../util/errors.ts';
import { BOTTOM_LEFT, BOTTOM_RIGHT, TOP_LEFT, TOP_RIGHT } from './quadrants.ts';

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
