import { softmax } from '../../subjects/index.ts';
import type {
  AnnotatedDataset,
  ConceptRole,
  DatasetEdit,
  DatasetImage,
} from '../../stimuli/datasets/dataset-image.ts';
import { InputError } from '../../util/errors.ts';
import {
  classifyPattern,
  IMAGE_PATTERN_THRESHOLDS,
  pointingGameHit,
  sharedInterest,
  type SharedInterestPattern,
} from '../metrics/index.ts';
import type { Probe } from '../probe/types.ts';
import { computeSaliency, type SaliencySettings } from './saliency-run.ts';

/**
 * What a classifier relies on, measured on an annotated dataset set: the Explanation Alignment
 * measures (Bang, Boggust & Satyanarayan 2024) and counterfactual edits.
 *
 * - Accuracy, and per annotated concept EA_IoU (IoU of the saliency region — the map binarised at
 *   mean + 1 std of the normalised map — with the concept's mask) and EA_PG (the map's peak falls in
 *   the mask, no tolerance), for the saliency of the predicted class; both per class (by the true
 *   label) and over the set; the Shared Interest pattern counts (Boggust et al. 2022) per concept.
 * - Counterfactuals: every edit the dataset makes on its concepts (remove, recolour, move), applied to
 *   every image; reported are the accuracy after the edit, the share of predictions that change and
 *   the mean drop in the probability of the class predicted before.
 *
 * Images where a concept is absent leave that concept's means; a constant map leaves every mean.
 * Used by the model_reliance tool (what the agent calls) and by `aia compare` (several models).
 */

/** Saliency methods cheap enough to run on every image of a set: one forward+backward pass each. */
export const RELIANCE_METHODS = ['gradient', 'gradient_x_input', 'gradcam', 'gradcam_pp'] as const;
export type RelianceMethod = (typeof RELIANCE_METHODS)[number];

export interface ConceptAlignment {
  concept: string;
  role: ConceptRole;
  /** Images that hold the concept and have a non-constant map: what the means average over. */
  images: number;
  iou: number;
  pointing: number;
}

export interface ClassReliance {
  label: string;
  images: number;
  /** The first few images of the class in the set (indices), for a closer look. */
  examples: number[];
  accuracy: number;
  concepts: ConceptAlignment[];
}

export interface EditEffect {
  edit: DatasetEdit;
  /** The edit in words ("square removed"). */
  describes: string;
  /** Images the edit applied to (an image without the concept is left out). */
  images: number;
  accuracy: number;
  /** Share of images whose predicted class changed. */
  changed: number;
  /** Mean drop in the probability of the class predicted before the edit (negative: it rose). */
  probabilityDrop: number;
}

export interface RelianceReport {
  subject: string;
  dataset: string;
  set: string;
  setDescription: string;
  method: SaliencySettings['method'];
  /** The Pointing Game's tolerance in pixels. */
  tolerancePx: number;
  images: number;
  accuracy: number;
  concepts: (ConceptAlignment & { patterns: Partial<Record<SharedInterestPattern, number>> })[];
  classes: ClassReliance[];
  edits: EditEffect[];
}

export interface RelianceOptions {
  settings: SaliencySettings;
  /** Images of the set to use: the first `limit` (default all). */
  limit?: number;
  /** The counterfactual edits (default: one per edit the dataset offers; see defaultEdits). */
  edits?: readonly DatasetEdit[];
  signal?: AbortSignal;
  /**
   * Pointing Game tolerance in pixels (default 0: the peak itself must lie in the mask). Zhang et al.
   * count a hit within 15 px at 224 px; on 28-px garments a vanilla-gradient peak often sits on the
   * background pixel next to the outline (docs/organisms.md), which 1 px of tolerance counts.
   */
  tolerancePx?: number;
  /** Called after each image's saliency, for progress. */
  onImage?: (done: number, total: number) => void;
}

/**
 * One edit per operation the dataset offers on each concept: remove it; recolour it with the
 * dataset's first colour that is not its own (per image, so the colour always changes — see
 * editsFor); move it to the opposite corner.
 */
export function defaultEdits(dataset: AnnotatedDataset): DatasetEdit[] {
  const out: DatasetEdit[] = [];
  for (const { concept, ops } of dataset.edits) {
    for (const op of ops) {
      if (op === 'remove') out.push({ op, concept });
      else if (op === 'recolour') out.push({ op, concept, colour: 'another' });
      else out.push({ op, concept, to: 'bottom-right' });
    }
  }
  return out;
}

/** The edit for one image: 'another' colour becomes the next colour after the concept's own. */
function editFor(
  edit: DatasetEdit,
  image: DatasetImage,
  colours: readonly string[],
): DatasetEdit | undefined {
  const concept = image.annotation.concepts.find((c) => c.name === edit.concept);
  if (!concept) return undefined;
  if (edit.op !== 'recolour' || edit.colour !== 'another') return edit;
  const own = concept.colour !== undefined ? colours.indexOf(concept.colour) : -1;
  return { ...edit, colour: colours[(own + 1) % colours.length] as string };
}

function describeEdit(edit: DatasetEdit): string {
  if (edit.op === 'remove') return `${edit.concept} removed`;
  if (edit.op === 'recolour')
    return `${edit.concept} recoloured (${edit.colour === 'another' ? 'another colour' : edit.colour})`;
  return `${edit.concept} moved to the ${edit.to} corner`;
}

function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < row.length; k++) if ((row[k] as number) > (row[best] as number)) best = k;
  return best;
}

/** Class probabilities per image (softmax of logits; probabilities as they are). */
async function probabilities(
  probe: Probe,
  images: readonly DatasetImage[],
): Promise<{ labels: string[]; rows: number[][] }> {
  const outputs = await probe.outputs(images);
  if (outputs.kind === 'activations')
    throw new InputError(`${probe.name} is not a classifier (its outputs are activations, not class scores)`);
  const rows = outputs.scores.map((row) => (outputs.kind === 'logits' ? softmax(row) : Array.from(row)));
  return { labels: outputs.labels, rows };
}

/** Example images kept per class. */
const EXAMPLES = 4;

const mean = (sum: number, n: number) => (n > 0 ? sum / n : 0);

export async function measureReliance(
  probe: Probe,
  dataset: AnnotatedDataset,
  set: string,
  options: RelianceOptions,
): Promise<RelianceReport> {
  const info = dataset.sets.find((s) => s.name === set);
  if (!info) throw new InputError(`${dataset.name} has no set '${set}'`);
  const count = Math.min(info.size, options.limit ?? info.size);
  const images = Array.from({ length: count }, (_, i) => dataset.image(set, i));
  const { labels, rows } = await probabilities(probe, images);
  const labelIndex = (name: string) => labels.indexOf(name);
  for (const name of dataset.labels) {
    if (labelIndex(name) < 0)
      throw new InputError(
        `${probe.name}'s outputs have no label '${name}' of ${dataset.name}: it does not classify this dataset`,
      );
  }
  const predicted = rows.map(argmax);
  const truth = images.map((img) => labelIndex(img.annotation.label));
  const correct = predicted.map((p, n) => p === truth[n]);

  // Per image and concept: IoU and pointing hit; per concept: pattern counts.
  const conceptNames = dataset.concepts.map((c) => c.name);
  type Sums = { images: number; iou: number; pointing: number };
  const zero = (): Sums => ({ images: 0, iou: 0, pointing: 0 });
  const overall = conceptNames.map(zero);
  const patterns = conceptNames.map((): Partial<Record<SharedInterestPattern, number>> => ({}));
  const perClass = dataset.labels.map(() => ({
    images: 0,
    correct: 0,
    examples: [] as number[],
    concepts: conceptNames.map(zero),
  }));
  for (const [n, image] of images.entries()) {
    options.signal?.throwIfAborted();
    const target = { kind: 'label' as const, label: labels[predicted[n] as number] as string };
    const { map } = await computeSaliency(
      probe,
      target,
      image,
      options.settings,
      'model_reliance',
      options.signal,
    );
    const { width, height } = map;
    const cls = perClass[image.annotation.labelIndex];
    if (cls) {
      cls.images++;
      if (cls.examples.length < EXAMPLES) cls.examples.push(image.index);
      if (correct[n]) cls.correct++;
    }
    conceptNames.forEach((name, c) => {
      const mask = image.masks.get(name);
      if (!mask || !mask.some((v) => v)) return;
      const scores = sharedInterest(map.map, mask);
      if (scores.empty) return;
      const hit = pointingGameHit(
        { map: map.map, groundTruth: mask, width, height },
        { tolerancePx: options.tolerancePx ?? 0 },
      ).hit
        ? 1
        : 0;
      for (const sums of [overall[c], cls?.concepts[c]]) {
        if (!sums) continue;
        sums.images++;
        sums.iou += scores.iou;
        sums.pointing += hit;
      }
      const pattern = classifyPattern(scores, correct[n] as boolean, IMAGE_PATTERN_THRESHOLDS);
      const counts = patterns[c] as Partial<Record<SharedInterestPattern, number>>;
      if (pattern) counts[pattern] = (counts[pattern] ?? 0) + 1;
    });
    options.onImage?.(n + 1, count);
  }
  const alignment = (sums: Sums, c: number): ConceptAlignment => ({
    concept: conceptNames[c] as string,
    role: (dataset.concepts[c] as { role: ConceptRole }).role,
    images: sums.images,
    iou: mean(sums.iou, sums.images),
    pointing: mean(sums.pointing, sums.images),
  });

  const edits: EditEffect[] = [];
  for (const edit of options.edits ?? defaultEdits(dataset)) {
    const kept: number[] = [];
    const edited: DatasetImage[] = [];
    images.forEach((image, n) => {
      const one = editFor(edit, image, dataset.colours);
      if (!one) return;
      kept.push(n);
      edited.push(dataset.image(set, image.index, [one]));
    });
    if (edited.length === 0) continue;
    const after = await probabilities(probe, edited);
    let right = 0;
    let changed = 0;
    let drop = 0;
    kept.forEach((n, k) => {
      const row = after.rows[k] as number[];
      const now = argmax(row);
      const before = predicted[n] as number;
      if (now === truth[n]) right++;
      if (now !== before) changed++;
      drop += ((rows[n] as number[])[before] as number) - (row[before] as number);
    });
    edits.push({
      edit,
      describes: describeEdit(edit),
      images: kept.length,
      accuracy: mean(right, kept.length),
      changed: mean(changed, kept.length),
      probabilityDrop: mean(drop, kept.length),
    });
  }

  return {
    subject: probe.name,
    dataset: dataset.name,
    set,
    setDescription: info.description,
    method: options.settings.method,
    tolerancePx: options.tolerancePx ?? 0,
    images: count,
    accuracy: mean(correct.filter(Boolean).length, count),
    concepts: overall.map((sums, c) => ({ ...alignment(sums, c), patterns: patterns[c] ?? {} })),
    classes: perClass.map((cls, k) => ({
      label: dataset.labels[k] as string,
      images: cls.images,
      examples: cls.examples,
      accuracy: mean(cls.correct, cls.images),
      concepts: cls.concepts.map(alignment),
    })),
    edits,
  };
}
