import type { DatasetImage } from '../../stimuli/datasets/dataset-image.ts';
import type { RenderedScene } from '../../stimuli/render.ts';
import type { RgbImage } from '../../util/image.ts';
import type { ScoreFn } from '../saliency/types.ts';

/**
 * The probe: one view of a subject that every tool uses, whether the subject is an ONNX model or a
 * set of synthetic units. Tools never touch `subjects` directly, so each tool works the same on
 * both kinds (and on any later kind that implements this interface).
 *
 * Conventions shared by both adapters:
 * - A unit is addressed `site:index`; `UnitAddress.id` is the canonical form (the site's tensor name,
 *   or `synthetic`, then the index). Aliases are accepted on input.
 * - A unit map covers the IMAGE exactly (padding or letterboxing the model added is cropped away), so
 *   upsampling `width × height` to the image size lays it over the image.
 * - A unit's scalar activation for an image is the MAXIMUM of its map (max-pooling, as MAIA and
 *   NetDissect rank exemplars); `siteValues` / `sceneValues` use the same pooling, so cached values,
 *   `UnitMap.value` and scorer outputs agree exactly.
 */

export type { ScoreFn };

/**
 * What a probe is shown: a rendered scene (spec, exact masks, annotation) or an annotated dataset
 * image. Both carry `image` and `masks`; ONNX probes read only the pixels, synthetic units read a
 * scene's annotation and so take rendered scenes only.
 */
export type ProbeImage = RenderedScene | DatasetImage;

/** A unit: `id` is canonical `site:index` (site = tensor name, or `synthetic`). */
export interface UnitAddress {
  id: string;
  site: string;
  index: number;
}

/**
 * A unit's activation map laid over the IMAGE (padding/letterboxing already cropped away): map cells
 * span the image exactly, so upsampling width×height → image size aligns it. `value` is the unit's
 * scalar activation for that image: the maximum of the map.
 */
export interface UnitMap {
  map: Float32Array;
  width: number;
  height: number;
  value: number;
}

export type UnitEditOp = 'zero' | 'mean' | 'set' | 'scale' | 'add';

/**
 * An edit of units during a run: zero; mean (set to the unit's reference mean: see
 * `Probe.setReferenceMeans`); set to `value`; scale by `value`; add `value`. `value` is required for
 * set, scale and add. Edits apply in the order given.
 */
export interface UnitEdit {
  units: UnitAddress[];
  op: UnitEditOp;
  value?: number;
}

/**
 * What the subject answers for each scene, as one score per label:
 * - 'probabilities' / 'logits': a classifier's class scores (labels = class names);
 * - 'activations': a synthetic subject's unit values (labels = unit ids), or a summary of an output
 *   that is neither (labels `mean`, `max`).
 * For a CTC text recogniser, scores are each character's peak probability over time and `text` holds
 * the greedy decoding of each scene.
 */
export interface OutputScores {
  kind: 'probabilities' | 'logits' | 'activations';
  labels: string[];
  /** One row per scene, one value per label. */
  scores: Float32Array[];
  /** Decoded text per scene, for text recognisers only. */
  text?: string[];
  /**
   * The classifier's true logits (the tensor before its softmax, named by the manifest's
   * `output.logits`), one row per scene in label order; absent where the subject names none.
   * Probabilities saturate (0.99 → 0.985 hides a real change); logits do not.
   */
  logits?: Float32Array[];
}

export interface ProbeSite {
  /** Canonical name (tensor name; `synthetic` for synthetic units). */
  name: string;
  aliases: string[];
  /** Operation producing the tensor (Conv, Relu, …; `synthetic` for synthetic units). */
  op: string;
  /** Shape for one input (batch 1), e.g. [1, 200, 2, 96]. */
  shape: number[];
  units: number;
}

/** Activations of one batch, as the activation cache stores them. */
export interface SiteBatchStats {
  /** N × units scalar values (max of each map). */
  values: Float32Array;
  /** Per unit: the sum over every position of every scene in the batch. */
  sums: Float64Array;
  /** Positions per scene per unit (cells of a map), so means = sums / (N · positions). */
  positions: number;
}

/** What a score function measures: a label of the subject's outputs, or a unit's activation. */
export type ScorerTarget = { label: string } | { unit: UnitAddress };

/** Computes each site's reference means (one per unit), used by `mean` edits. */
export type ReferenceMeans = (site: string) => Promise<Float32Array>;

export interface Probe {
  readonly kind: 'onnx' | 'synthetic';
  readonly name: string;
  /** Identifies the subject for caches (model file hash; hash of the unit definitions). */
  readonly hash: string;
  /** The size scenes for this subject are rendered at (its native input size). */
  readonly sceneSize: { width: number; height: number };
  /** A description for the agent. A synthetic probe never reveals its units' definitions. */
  describe(): { text: string; data: Record<string, unknown> };
  sites(): ProbeSite[];
  /** Parse `site:index` (site may be an alias); InputError for an unknown site (with near names) or an
   *  index out of range. */
  parseUnit(text: string): UnitAddress;
  /** Maps of each unit on each scene, edits applied: result[unit][scene]. */
  unitMaps(
    scenes: readonly ProbeImage[],
    units: readonly UnitAddress[],
    edits?: readonly UnitEdit[],
  ): Promise<UnitMap[][]>;
  /**
   * Scalar activation (max of the map) of every unit of `site` for each image: N × units, row-major.
   * ONNX probes accept any images. A synthetic probe computes from annotations, not pixels, so it
   * accepts only images of scenes it has been given before (by any method); use `sceneValues` there.
   */
  siteValues(images: readonly RgbImage[], site: string): Promise<Float32Array>;
  /** As siteValues, from scenes: works for every kind of probe. */
  sceneValues(scenes: readonly ProbeImage[], site: string): Promise<Float32Array>;
  /** The subject's outputs on each scene, edits applied. */
  outputs(scenes: readonly ProbeImage[], edits?: readonly UnitEdit[]): Promise<OutputScores>;
  /**
   * For saliency: a score function of images for a target (a label of `outputs`, or a unit; the score
   * is the label's score as `outputs` reports it, or the unit's value).
   * A synthetic probe needs `scene`: the images it scores must be perturbed copies of `scene.image`,
   * and every pixel that differs from the original is treated as removed from the scene (from every
   * concept mask and from the item map), so occluding a concept lowers a unit that detects it.
   */
  scorer(target: ScorerTarget, scene?: ProbeImage): ScoreFn;
  /**
   * Where `mean` edits take their means (one per unit of a site): the tool context wires the subject's
   * probe-set means from the activation cache. Without it, a mean edit uses the means over the scenes
   * of the call itself.
   */
  setReferenceMeans(source: ReferenceMeans): void;
  /** Mean of each unit of a site over all positions of the given scenes (what `mean` edits set). */
  unitMeans(scenes: readonly ProbeImage[], site: string): Promise<Float32Array>;
  /** Release native resources. */
  dispose(): Promise<void>;
}
