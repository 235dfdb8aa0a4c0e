import { z } from 'zod';
import type { RgbImage } from '../../util/image.ts';

/**
 * Dataset images as stimuli. A dataset image is not drawn from a scene spec, so what the agent may
 * know about it comes from its annotation instead: its label, the annotated concepts (each with an
 * exact mask and, where it has one, its box and colour) and the exact edits the dataset can make
 * (remove a concept, recolour it, move it). An edited image is rebuilt from the annotation, not
 * painted over, so its masks stay exact — the same contract rendered scenes keep.
 *
 * The shape shared with rendered scenes is `{ image, masks }` (what saliency, alignment and the
 * ONNX probe read); `DatasetImage` adds where the image comes from and what is annotated.
 */

/** Where an annotated concept sits in the image, in pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * What a concept is to the label: `object` is what the label names (the garment of a garment
 * class); `context` is anything else the image holds. A model that relies on context concepts
 * relies on something the label does not name — what a spurious feature is.
 */
export const CONCEPT_ROLES = ['object', 'context'] as const;
export type ConceptRole = (typeof CONCEPT_ROLES)[number];

export interface AnnotatedConcept {
  name: string;
  role: ConceptRole;
  /** What the concept is, for the agent. */
  description: string;
  box?: Box;
  /** Its colour's name, when it has one colour. */
  colour?: string;
}

/** The exact edits a dataset can make; which concepts take which edit is the dataset's to say. */
export const DatasetEdit = z.discriminatedUnion('op', [
  z.strictObject({
    op: z.literal('remove'),
    concept: z.string().min(1).describe('the annotated concept to take out'),
  }),
  z.strictObject({
    op: z.literal('recolour'),
    concept: z.string().min(1),
    colour: z.string().min(1).describe("one of the dataset's colour names"),
  }),
  z.strictObject({
    op: z.literal('move'),
    concept: z.string().min(1),
    to: z.enum(['top-left', 'top-right', 'bottom-left', 'bottom-right']).describe('the corner to move it to'),
  }),
]);
export type DatasetEdit = z.infer<typeof DatasetEdit>;
export type DatasetEditOp = DatasetEdit['op'];

export interface DatasetImageAnnotation {
  /** The label's index and name. */
  labelIndex: number;
  label: string;
  concepts: AnnotatedConcept[];
  /** Edits made to the dataset's image to give this one, in order (none for the original). */
  edits: DatasetEdit[];
}

export interface DatasetImage {
  /** `dataset/set#index`, with the edits when there are any: for captions and transcripts. */
  id: string;
  dataset: string;
  set: string;
  index: number;
  image: RgbImage;
  /** Concept → 0/1 per pixel, exact. */
  masks: Map<string, Uint8Array>;
  annotation: DatasetImageAnnotation;
}

/** A set of annotated images of one dataset (a test set, a variant of it). */
export interface DatasetSetInfo {
  name: string;
  description: string;
  size: number;
}

/** What an annotated dataset offers the tools. */
export interface AnnotatedDataset {
  name: string;
  description: string;
  /** Image size every image of the dataset has. */
  width: number;
  height: number;
  labels: readonly string[];
  sets: readonly DatasetSetInfo[];
  /** The concepts its images are annotated with (not every image holds every one). */
  concepts: readonly Omit<AnnotatedConcept, 'box' | 'colour'>[];
  /** Which edits each concept takes, and the colours a recolour may name. */
  edits: { concept: string; ops: DatasetEditOp[] }[];
  colours: readonly string[];
  /** One image of a set, with the edits applied in order; InputError for a bad set, index or edit. */
  image(set: string, index: number, edits?: readonly DatasetEdit[]): DatasetImage;
}

/** Caption of a dataset image: its id and its edits in words. */
export function datasetImageId(dataset: string, set: string, index: number, edits: readonly DatasetEdit[]) {
  const base = `${dataset}/${set}#${index}`;
  if (edits.length === 0) return base;
  const words = edits.map((e) =>
    e.op === 'remove'
      ? `${e.concept} removed`
      : e.op === 'recolour'
        ? `${e.concept} ${e.colour}`
        : `${e.concept} moved ${e.to}`,
  );
  return `${base} (${words.join(', ')})`;
}
