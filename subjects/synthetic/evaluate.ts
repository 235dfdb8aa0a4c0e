import { inBand, type AreaBand, type Axis, type Formula, type Half, type Relation } from './ast.ts';
import { colourHue, hueDistance } from './hues.ts';
import { parseFormula } from './parse.ts';
import { blindTo, formulaSight } from './sight.ts';
import { maxOf, poolArea } from './pool.ts';
import {
  checkImageSize,
  checkScene,
  isSceneUpsideDown,
  sceneEffectKinds,
  normaliseName,
  sceneItems,
  sceneMask,
  type AnnotatedScene,
  type SceneItem,
} from './scene.ts';

/** Default side of the coarse map: 14 × 14, like a mid-level conv layer on a 224 px input. */
export const DEFAULT_GRID = 14;

/** A unit's (or a formula's) response to one scene. */
export interface ActivationMap {
  width: number;
  height: number;
  /** Full resolution, row-major, ≥ 0: 1 on the pixels where the rule holds, 0 elsewhere (hue: 0..1). */
  map: Float32Array;
  /** Side of the coarse map. */
  grid: number;
  /** `map` area-averaged to grid × grid. */
  pooled: Float32Array;
  /** The scalar activation: the maximum of the coarse map. */
  value: number;
}

export interface EvaluateOptions {
  grid?: number;
}

/**
 * Evaluate a formula (text or tree) on an annotated scene: the full-resolution map, its pooled map and
 * the scalar value (the pooled map's maximum, so a concept covering a whole cell gives 1 and a sliver
 * gives less, as a conv unit would). Meaning of each operator: formula.ts.
 */
export function evaluateFormula(
  formula: Formula | string,
  scene: AnnotatedScene,
  options: EvaluateOptions = {},
): ActivationMap {
  const tree = typeof formula === 'string' ? parseFormula(formula) : formula;
  const grid = options.grid ?? DEFAULT_GRID;
  const { width, height } = scene.image;
  if (blindTo(formulaSight(tree), scene)) {
    checkImageSize(scene); // the item map and masks are not read
    const blind = blindMap(tree, width, height, grid);
    return { ...blind, map: blind.map.slice(), pooled: blind.pooled.slice() };
  }
  return activationOf(formulaMap(tree, scene), width, height, grid);
}

/** A full-resolution map with its pooled map and scalar value. */
function activationOf(map: Float32Array, width: number, height: number, grid: number): ActivationMap {
  const pooled = poolArea(map, width, height, grid);
  return { width, height, map, grid, pooled, value: maxOf(pooled) };
}

const blindMaps = new WeakMap<Formula, Map<string, ActivationMap>>();

/** The formula's map on an empty scene of this size: its map on every scene it cannot see into. */
function blindMap(formula: Formula, width: number, height: number, grid: number): ActivationMap {
  let bySize = blindMaps.get(formula);
  if (!bySize) blindMaps.set(formula, (bySize = new Map()));
  const key = `${width}x${height}/${grid}`;
  let blind = bySize.get(key);
  if (!blind) {
    const empty: AnnotatedScene = {
      image: { width, height },
      masks: new Map(),
      itemMap: new Uint8Array(width * height),
      annotation: { items: [], background: '' },
    };
    blind = activationOf(formulaMap(formula, empty), width, height, grid);
    bySize.set(key, blind);
  }
  return blind;
}

/** The full-resolution map of a formula on a scene (no pooling). */
export function formulaMap(formula: Formula, scene: AnnotatedScene): Float32Array {
  checkScene(scene);
  return evaluate(formula, new Context(scene));
}

/** What evaluation reads: the scene, and its items, found only when an item-level operator asks. */
class Context {
  readonly size: number;
  private found: SceneItem[] | undefined;

  constructor(readonly scene: AnnotatedScene) {
    this.size = scene.image.width * scene.image.height;
  }

  get items(): SceneItem[] {
    return (this.found ??= sceneItems(this.scene));
  }
}

function evaluate(formula: Formula, context: Context): Float32Array {
  const { size } = context;
  switch (formula.op) {
    case 'concept': {
      // Masks are 0/1, so a plain typed-array conversion (native, fast) is the map.
      const mask = sceneMask(context.scene, formula.name);
      return mask ? new Float32Array(mask) : new Float32Array(size);
    }
    case 'or': {
      const map = evaluate(formula.left, context);
      const right = evaluate(formula.right, context);
      for (let p = 0; p < size; p++) map[p] = Math.max(map[p]!, right[p]!);
      return map;
    }
    case 'intersect': {
      const map = evaluate(formula.left, context);
      const right = evaluate(formula.right, context);
      for (let p = 0; p < size; p++) map[p] = Math.min(map[p]!, right[p]!);
      return map;
    }
    case 'and': {
      const map = evaluate(formula.left, context);
      return isPresent(evaluate(formula.right, context)) ? map : map.fill(0);
    }
    case 'not':
      return new Float32Array(size).fill(isPresent(evaluate(formula.arg, context)) ? 0 : 1);
    case 'half':
      return keepHalf(evaluate(formula.arg, context), formula.half, context.scene.image);
    case 'size': {
      const map = evaluate(formula.arg, context);
      const { band } = formula;
      return keepItems(
        map,
        itemsThatAre(formula.arg, map, context).filter((item) => inBand(item.areaFraction, band)),
      );
    }
    case 'relation': {
      const map = evaluate(formula.arg, context);
      const subjects = itemsThatAre(formula.arg, map, context);
      const references = itemsThatAre(formula.reference, evaluate(formula.reference, context), context);
      const relation = formula.relation;
      const related = subjects.filter((item) =>
        references.some((other) => other !== item && liesTowards(other, item, relation)),
      );
      return keepItems(map, related);
    }
    case 'count': {
      const map = evaluate(formula.arg, context);
      const counted = itemsThatAre(formula.arg, map, context);
      const n = counted.length;
      const holds =
        formula.comparison === '='
          ? n === formula.count
          : formula.comparison === '>='
            ? n >= formula.count
            : n <= formula.count;
      return holds ? keepItems(map, counted) : map.fill(0);
    }
    case 'word':
      return wordMap(formula.text, context);
    case 'hue':
      return hueMap(formula.colour, formula.sigma, context);
    case 'char':
      return charMap(formula.char, context);
    case 'orientation': {
      const upsideDown = isSceneUpsideDown(context.scene);
      const holds = formula.orientation === 'upside-down' ? upsideDown : !upsideDown;
      return new Float32Array(size).fill(holds ? 1 : 0);
    }
    case 'effect':
      return new Float32Array(size).fill(sceneEffectKinds(context.scene).has(formula.effect) ? 1 : 0);
    case 'height': {
      const map = evaluate(formula.arg, context);
      const { band } = formula;
      return keepItems(
        map,
        itemsThatAre(formula.arg, map, context).filter((item) => inBand(item.heightFraction, band)),
      );
    }
    case 'span':
      return keepSpan(evaluate(formula.arg, context), formula.axis, formula.band, context.scene.image);
  }
}

/** Zero outside the band of the width (x) or height (y); a pixel is inside when its centre is. */
function keepSpan(
  map: Float32Array,
  axis: Axis,
  band: AreaBand,
  { width, height }: { width: number; height: number },
): Float32Array {
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = axis === 'x' ? (x + 0.5) / width : (y + 0.5) / height;
      if (!inBand(at, band)) map[y * width + x] = 0;
    }
  }
  return map;
}

/** 1 on the glyph pixels of word items whose text contains the character (any case). */
function charMap(char: string, context: Context): Float32Array {
  const map = new Float32Array(context.size);
  const glyphs = sceneMask(context.scene, 'text');
  for (const item of context.items) {
    if (item.kind !== 'word' || !item.name.includes(char)) continue;
    for (const p of item.pixels) if (!glyphs || glyphs[p]! > 0) map[p] = 1;
  }
  return map;
}

function isPresent(map: Float32Array): boolean {
  for (let p = 0; p < map.length; p++) if (map[p]! > 0) return true;
  return false;
}

/** Zero outside the half; a pixel belongs to a half when its centre does (an odd middle line: both). */
function keepHalf(
  map: Float32Array,
  half: Half,
  { width, height }: { width: number; height: number },
): Float32Array {
  for (let y = 0; y < height; y++) {
    const cy = y + 0.5;
    for (let x = 0; x < width; x++) {
      const cx = x + 0.5;
      const inside =
        half === 'left'
          ? cx <= width / 2
          : half === 'right'
            ? cx >= width / 2
            : half === 'top'
              ? cy <= height / 2
              : cy >= height / 2;
      if (!inside) map[y * width + x] = 0;
    }
  }
  return map;
}

/**
 * The visible items that "are" the formula: for a bare concept, items listing it among their own
 * concepts; for any formula, items with at least half of their visible pixels on its map (which is how
 * ancestors such as 'animal' and compound formulas such as `red & circle` reach items).
 */
function itemsThatAre(formula: Formula, map: Float32Array, context: Context): SceneItem[] {
  const name = formula.op === 'concept' ? formula.name : undefined;
  return context.items.filter((item) => {
    if (item.pixels.length === 0) return false;
    if (name !== undefined && item.concepts.has(name)) return true;
    let on = 0;
    for (const p of item.pixels) if (map[p]! > 0) on++;
    return on * 2 >= item.pixels.length;
  });
}

/** The map, kept only on the visible pixels of the given items. */
function keepItems(map: Float32Array, items: SceneItem[]): Float32Array {
  const kept = new Float32Array(map.length);
  for (const item of items) for (const p of item.pixels) kept[p] = map[p]!;
  return kept;
}

/**
 * Whether `other` lies in the direction `relation` names, seen from `item`: `above(X, Y)` holds for an
 * X item with a Y item below it. Directions are judged between visible-pixel centroids, and the
 * dominant axis decides (a Y far to the side and a little lower is "right of", not "below"); an exact
 * diagonal counts for both axes.
 */
function liesTowards(other: SceneItem, item: SceneItem, relation: Relation): boolean {
  const dx = other.cx - item.cx; // > 0: other is to the right of item
  const dy = other.cy - item.cy; // > 0: other is below item (image y grows downwards)
  switch (relation) {
    case 'above':
      return dy > 0 && dy >= Math.abs(dx);
    case 'below':
      return -dy > 0 && -dy >= Math.abs(dx);
    case 'left_of':
      return dx > 0 && dx >= Math.abs(dy);
    case 'right_of':
      return -dx > 0 && -dx >= Math.abs(dy);
  }
}

/**
 * 1 on the visible pixels of word items whose text is `text` (case and spacing ignored), kept to the
 * 'text' mask (the glyphs) when the scene has one.
 */
function wordMap(text: string, context: Context): Float32Array {
  const map = new Float32Array(context.size);
  const glyphs = sceneMask(context.scene, 'text');
  for (const item of context.items) {
    if (item.kind !== 'word' || item.name !== normaliseName(text)) continue;
    for (const p of item.pixels) if (!glyphs || glyphs[p]! > 0) map[p] = 1;
  }
  return map;
}

/**
 * On each item with a chromatic colour among its own concepts: exp(-d² / 2σ²), d = the hue distance
 * (degrees) from the target colour's hue. Items with no colour, or a neutral one, give 0.
 */
function hueMap(colour: string, sigma: number, context: Context): Float32Array {
  const map = new Float32Array(context.size);
  const target = colourHue(colour);
  if (target === undefined) return map;
  for (const item of context.items) {
    const hue = itemHue(item);
    if (hue === undefined) continue;
    const d = hueDistance(hue, target);
    const activation = Math.exp(-(d * d) / (2 * sigma * sigma));
    for (const p of item.pixels) map[p] = activation;
  }
  return map;
}

function itemHue(item: SceneItem): number | undefined {
  for (const concept of item.concepts) {
    const hue = colourHue(concept);
    if (hue !== undefined) return hue;
  }
  return undefined;
}
