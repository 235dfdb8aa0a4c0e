import { printFormula, type Formula, type Half } from '../../../subjects/synthetic/index.ts';
import { ALL_QUADRANTS, HALF_BITS } from './quadrants.ts';
import type { LabelTable } from './label-table.ts';

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
export interface Masks {
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
export interface Candidate extends FormulaScore {
  /** Extensional identity on the probe set: equal signatures, equal scores (formulas kept once). */
  signature: string;
  masks(): Masks;
}

export class Scorer {
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

export function plain(score: Candidate): FormulaScore {
  const { formula, text, length, iou, r, precision, recall, scenes } = score;
  return { formula, text, length, iou, r, precision, recall, scenes };
}
