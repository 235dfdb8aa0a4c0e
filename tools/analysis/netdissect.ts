import { InputError } from '../../util/errors.ts';
import { linearAxis, sampleBilinear } from '../saliency/resize.ts';
import { valueAtTopFraction } from './quantile.ts';

/**
 * Network Dissection (Bau et al., CVPR 2017): how well a unit's high-activation region matches each
 * concept's segmentation over a whole probe set.
 *
 *   T_k       = the activation level exceeded by the top `topFraction` (default 0.5%) of all map values
 *               of unit k over the whole probe set (every spatial position of every scene);
 *   M_k(x)    = the pixels where the unit's map, bilinearly upsampled, is ≥ T_k;
 *   IoU_k,c   = Σ_x |M_k(x) ∩ L_c(x)| / Σ_x |M_k(x) ∪ L_c(x)|, summed over scenes x.
 *
 * Maps and concept masks are compared at a reduced resolution for speed (the paper also works below
 * image resolution): about `resolutionPixels` pixels (default 56×56 = 3,136), the image's aspect kept
 * (224×224 → 56×56, 48×192 → 28×112), never above the image's own size. Masks are sampled at the reduced
 * pixels' centres (nearest), which keeps them exact 0/1 masks.
 *
 * Masks come from scene labels (one label per pixel, the concepts true at each label), the form scenes
 * and probe sets store, so the cost per scene is one pass over its pixels whatever the number of concepts.
 * A concept absent from a scene adds |M_k| to the union, as in the paper.
 */

export interface DissectionScene {
  /** The unit's map over the image (cells span the image), row-major. */
  map: ArrayLike<number>;
  mapWidth: number;
  mapHeight: number;
  /** Image size: the size of `labels`. */
  width: number;
  height: number;
  /** Label per pixel (width·height) and the concepts true at each label (ancestors included). */
  labels: Uint8Array;
  labelConcepts: readonly (readonly string[])[];
}

export interface DissectionOptions {
  /** Share of all map values above the threshold. Default 0.005 (the paper's top 0.5%). */
  topFraction?: number;
  /** Pixels of the comparison grid. Default 3,136 (56×56). */
  resolutionPixels?: number;
}

export const DEFAULT_TOP_FRACTION = 0.005;
export const DEFAULT_RESOLUTION_PIXELS = 56 * 56;
/** Bau et al. call a unit a detector of a concept when IoU > 0.04. */
export const DETECTOR_IOU = 0.04;

export interface ConceptIoU {
  concept: string;
  iou: number;
  /** Σ |M ∩ L_c| and Σ |M ∪ L_c| in comparison-grid pixels. */
  intersection: number;
  union: number;
  /** Σ |L_c|: the concept's total area. */
  area: number;
  /** Scenes where the concept is present. */
  scenes: number;
  /** Smallest position of the concept in any label's concept list: scenes list an item's own concepts
   *  before their ancestors, so a lower rank is a more specific concept. Breaks ties in the ranking. */
  specificity: number;
}

export interface Dissection {
  threshold: number;
  topFraction: number;
  /** Share of all comparison pixels in M (≥ topFraction when values tie at the threshold). */
  activeFraction: number;
  scenes: number;
  /** Every concept seen, best first: IoU descending, then the more specific concept (smaller area, then
   *  lower `specificity`: 'dog' before 'animal' when they cover the same pixels), then name. */
  concepts: ConceptIoU[];
}

/** The reduced comparison size for an image: about `pixels` pixels, aspect kept, at most the image. */
export function comparisonSize(
  width: number,
  height: number,
  pixels = DEFAULT_RESOLUTION_PIXELS,
): { width: number; height: number } {
  if (width * height <= pixels) return { width, height };
  const scale = Math.sqrt(pixels / (width * height));
  return {
    width: Math.max(1, Math.min(width, Math.round(width * scale))),
    height: Math.max(1, Math.min(height, Math.round(height * scale))),
  };
}

export function dissectUnit(scenes: readonly DissectionScene[], options: DissectionOptions = {}): Dissection {
  const topFraction = options.topFraction ?? DEFAULT_TOP_FRACTION;
  if (!(topFraction > 0 && topFraction < 1)) {
    throw new InputError(`topFraction must be in (0, 1) (e.g. 0.005 for the top 0.5%), got ${topFraction}`);
  }
  const resolutionPixels = options.resolutionPixels ?? DEFAULT_RESOLUTION_PIXELS;
  if (!Number.isInteger(resolutionPixels) || resolutionPixels < 1) {
    throw new InputError(`resolutionPixels must be a positive integer, got ${resolutionPixels}`);
  }
  if (scenes.length === 0) throw new InputError('dissection needs at least one scene');

  // Pass 1: upsample every map to its comparison grid and keep the values (the threshold needs them all).
  const sizes = scenes.map((scene, i) => {
    checkScene(scene, i);
    return comparisonSize(scene.width, scene.height, resolutionPixels);
  });
  const offsets: number[] = [];
  let total = 0;
  for (const size of sizes) {
    offsets.push(total);
    total += size.width * size.height;
  }
  const values = new Float32Array(total);
  scenes.forEach((scene, i) => {
    const size = sizes[i] as { width: number; height: number };
    sampleBilinear(
      scene.map,
      scene.mapWidth,
      linearAxis(scene.mapHeight, size.height),
      linearAxis(scene.mapWidth, size.width),
      values.subarray(offsets[i], (offsets[i] as number) + size.width * size.height),
    );
  });
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new InputError(`unit map has a non-finite value (${values[i]})`);
  }
  const threshold = valueAtTopFraction(values, topFraction);
  // Values tied at the threshold are in M, unless the threshold is the minimum (a mostly silent unit):
  // then "≥" would select every pixel, so only values strictly above count.
  const minimum = values.reduce((a, b) => Math.min(a, b), Infinity);
  const inM = threshold > minimum ? (v: number) => v >= threshold : (v: number) => v > threshold;

  // Pass 2: per scene, count M and M ∩ label per label, then add each label's counts to its concepts.
  const stats = new Map<
    string,
    { intersection: number; area: number; scenes: number; specificity: number }
  >();
  let activeTotal = 0;
  scenes.forEach((scene, i) => {
    const size = sizes[i] as { width: number; height: number };
    const offset = offsets[i] as number;
    const labelCount = scene.labelConcepts.length;
    const area = new Float64Array(labelCount);
    const hits = new Float64Array(labelCount);
    const xs = nearestIndices(scene.width, size.width);
    const ys = nearestIndices(scene.height, size.height);
    let active = 0;
    for (let y = 0; y < size.height; y++) {
      const row = (ys[y] as number) * scene.width;
      for (let x = 0; x < size.width; x++) {
        const label = scene.labels[row + (xs[x] as number)] as number;
        const on = inM(values[offset + y * size.width + x] as number);
        if (on) active++;
        if (label >= labelCount) continue; // a label without concepts
        area[label] = (area[label] as number) + 1;
        if (on) hits[label] = (hits[label] as number) + 1;
      }
    }
    activeTotal += active;
    const perConcept = new Map<string, { intersection: number; area: number; specificity: number }>();
    scene.labelConcepts.forEach((concepts, label) => {
      if ((area[label] as number) === 0) return;
      concepts.forEach((concept, position) => {
        const entry = perConcept.get(concept) ?? { intersection: 0, area: 0, specificity: position };
        entry.intersection += hits[label] as number;
        entry.area += area[label] as number;
        entry.specificity = Math.min(entry.specificity, position);
        perConcept.set(concept, entry);
      });
    });
    for (const [concept, entry] of perConcept) {
      const total = stats.get(concept) ?? {
        intersection: 0,
        area: 0,
        scenes: 0,
        specificity: entry.specificity,
      };
      total.intersection += entry.intersection;
      total.area += entry.area;
      total.scenes += 1;
      total.specificity = Math.min(total.specificity, entry.specificity);
      stats.set(concept, total);
    }
  });

  const concepts: ConceptIoU[] = [...stats].map(([concept, s]) => {
    // Σ|M ∪ L| = Σ|M| + Σ|L| − Σ|M ∩ L|, scenes without the concept included through Σ|M|.
    const union = activeTotal + s.area - s.intersection;
    return {
      concept,
      iou: union > 0 ? s.intersection / union : 0,
      intersection: s.intersection,
      union,
      area: s.area,
      scenes: s.scenes,
      specificity: s.specificity,
    };
  });
  concepts.sort(
    (a, b) =>
      b.iou - a.iou || a.area - b.area || a.specificity - b.specificity || a.concept.localeCompare(b.concept),
  );
  return {
    threshold,
    topFraction,
    activeFraction: total > 0 ? activeTotal / total : 0,
    scenes: scenes.length,
    concepts,
  };
}

/** For each of `count` reduced pixels along an axis of `length`, the source pixel under its centre. */
function nearestIndices(length: number, count: number): Int32Array {
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.min(length - 1, Math.floor(((i + 0.5) * length) / count));
  return out;
}

function checkScene(scene: DissectionScene, index: number): void {
  const { width, height, mapWidth, mapHeight } = scene;
  if (![width, height, mapWidth, mapHeight].every((n) => Number.isInteger(n) && n >= 1)) {
    throw new InputError(
      `scene ${index}: sizes must be positive integers, got image ${width}×${height}, map ${mapWidth}×${mapHeight}`,
    );
  }
  if (scene.map.length !== mapWidth * mapHeight) {
    throw new InputError(
      `scene ${index}: the map has ${scene.map.length} values but its size ${mapWidth}×${mapHeight} needs ${mapWidth * mapHeight}`,
    );
  }
  if (scene.labels.length !== width * height) {
    throw new InputError(
      `scene ${index}: the label map has ${scene.labels.length} pixels but the image is ${width}×${height}`,
    );
  }
}
