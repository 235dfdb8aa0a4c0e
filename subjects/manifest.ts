import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../util/errors.ts';

/**
 * subject.json: what the model file alone does not say — modality, how to turn images into the
 * input tensor, what the outputs mean, friendly site names, and where the model comes from under
 * which licence. Every field is optional except the modality, so a bare model still loads.
 */

/** A file named relative to the manifest, or inside an installed npm package. */
export const FileRef = z.union([
  z.string().min(1),
  z.strictObject({ package: z.string().min(1), path: z.string().min(1) }),
]);
export type FileRef = z.infer<typeof FileRef>;

const positiveInt = z.number().int().positive();

/**
 * The largest input tensor a subject may declare (3 × 1024 × 1024 values: scenes are at most 1024 px
 * a side). Site discovery runs the model once at the declared shape and holds every intermediate
 * tensor, so a manifest declaring 1×3×4000×4000 would have the process killed for memory, silently.
 */
export const MAX_INPUT_VALUES = 3 * 1024 * 1024;
/** The longest any one input side (or resize target) may be. */
export const MAX_INPUT_SIDE = 4096;
const side = positiveInt.max(
  MAX_INPUT_SIDE,
  `at most ${MAX_INPUT_SIDE} (a side of the input image, in pixels)`,
);

/** How an image is brought to the input size. Modes follow the exporters whose models we load. */
export const ResizeSpec = z.discriminatedUnion('mode', [
  /** The image must already have the input's size. */
  z.strictObject({ mode: z.literal('none') }),
  /** Stretch to exactly height × width. */
  z.strictObject({ mode: z.literal('stretch'), height: side, width: side }),
  /**
   * PaddleOCR text-line style: scale to `height` keeping the aspect ratio (width rounded up, capped
   * at `width`), then pad on the right to `width`. With dynamicWidth the batch width grows to fit its
   * widest image (as PaddleOCR's recogniser batches do) instead of squeezing it.
   */
  z.strictObject({
    mode: z.literal('keep-ratio-pad'),
    height: side,
    width: side,
    dynamicWidth: z.boolean().default(false),
  }),
  /**
   * PaddleOCR detector style: scale so the longer (limitType max) or shorter (min) side is
   * `limitSide`, only shrinking for max and only growing for min, then round each side to a
   * multiple of `multiple` (at least one multiple).
   */
  z.strictObject({
    mode: z.literal('limit-side'),
    limitSide: side,
    limitType: z.enum(['max', 'min']).default('max'),
    multiple: positiveInt.default(32),
  }),
]);
export type ResizeSpec = z.infer<typeof ResizeSpec>;

/** The most pixels a resize can produce (its target, or the limit side squared). */
function resizedPixels(resize: ResizeSpec): number {
  if (resize.mode === 'none') return 0;
  if (resize.mode === 'limit-side') return resize.limitSide * resize.limitSide;
  return resize.height * resize.width;
}

/** A resize whose output fits MAX_INPUT_VALUES (three channels). */
const BoundedResize = ResizeSpec.refine((resize) => 3 * resizedPixels(resize) <= MAX_INPUT_VALUES, {
  error: (issue) =>
    `resizing to ${describeResize(issue.input as ResizeSpec)} ` +
    `makes an input of more than ${MAX_INPUT_VALUES.toLocaleString('en-US')} values (3 × 1024 × 1024); resize to at most 1024×1024 px`,
});

function describeResize(resize: ResizeSpec): string {
  if (resize.mode === 'limit-side') return `a ${resize.limitSide} px side`;
  if (resize.mode === 'none') return 'the image size';
  return `${resize.height}×${resize.width} px`;
}

export const PreprocessSpec = z.strictObject({
  /** Channel order of the tensor. PaddleOCR models read OpenCV images, so they expect BGR. */
  channelOrder: z.enum(['RGB', 'BGR', 'GRAY']).default('RGB'),
  resize: BoundedResize.default({ mode: 'none' }),
  /** Pixel bytes are multiplied by scale, then `(value - mean[c]) / std[c]` per tensor channel c. */
  scale: z
    .number()
    .positive()
    .default(1 / 255),
  mean: z.array(z.number()).min(1).default([0, 0, 0]),
  std: z.array(z.number().positive()).min(1).default([1, 1, 1]),
  /** Tensor value written where the image does not cover the input (after normalisation). */
  padValue: z.number().default(0),
});
export type PreprocessSpec = z.infer<typeof PreprocessSpec>;

export const LabelsSpec = z.union([
  z.array(z.string()).min(1),
  /** One label a line from a file, with labels added before and after (e.g. a CTC blank). */
  z.strictObject({
    file: FileRef,
    prepend: z.array(z.string()).default([]),
    append: z.array(z.string()).default([]),
  }),
]);

/** What a language model needs beside its graph: the tokenizer and how text enters the graph. */
export const TextSpec = z.strictObject({
  /** The Hugging Face tokenizer.json (default: tokenizer.json beside the model). */
  tokenizer: FileRef.optional(),
  /** tokenizer_config.json (default: the one beside tokenizer.json, when present). */
  tokenizerConfig: FileRef.optional(),
  /** Longest input in tokens (default: the rows of the position embedding). */
  contextLength: positiveInt.optional(),
  /** Graph inputs by role, when the export named them differently. */
  inputIds: z.string().default('input_ids'),
  attentionMask: z.string().default('attention_mask'),
  positionIds: z.string().default('position_ids'),
  /** The graph output holding next-token logits [batch, sequence, vocab] (default: logits, else the first). */
  logits: z.string().optional(),
});
export type TextSpec = z.infer<typeof TextSpec>;

export const SubjectManifest = z.strictObject({
  /** The subject's name (defaults to the model file name). */
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  modality: z.enum(['image', 'text', 'other']),
  /** What the model does, in a few words (e.g. 'text orientation classifier'). */
  task: z.string().optional(),
  /** The ONNX file, when the manifest is loaded on its own or from the zoo. */
  model: FileRef.optional(),
  input: z
    .strictObject({
      /** The graph input images go to (default: the first input). */
      name: z.string().optional(),
      /** Input shape used to discover site shapes, e.g. [1, 3, 48, 192]; batch 1 is used. */
      exampleShape: z
        .array(positiveInt)
        .min(1)
        .max(8)
        .refine((shape) => shape.reduce((a, b) => a * b, 1) <= MAX_INPUT_VALUES, {
          error: (issue) =>
            `shape [${(issue.input as number[]).join(', ')}] has ${(issue.input as number[])
              .reduce((a, b) => a * b, 1)
              .toLocaleString('en-US')} values, more than the ${MAX_INPUT_VALUES.toLocaleString('en-US')} ` +
            '(3 × 1024 × 1024) a subject may take; declare a smaller example input',
        })
        .optional(),
      preprocess: PreprocessSpec.optional(),
    })
    .optional(),
  output: z
    .strictObject({
      /** The graph output that carries the answer (default: the first output). */
      name: z.string().optional(),
      /** What it holds: class probabilities, logits, per-timestep CTC probabilities, or a map. */
      kind: z.enum(['probabilities', 'logits', 'ctc-probabilities', 'map', 'other']).default('other'),
      /** Site holding the pre-softmax logits, when the output is probabilities. */
      logits: z.string().optional(),
      labels: LabelsSpec.optional(),
    })
    .optional(),
  /** Language models: tokenizer and input names (modality text). */
  text: TextSpec.optional(),
  sites: z
    .strictObject({
      /** Friendly names: alias → tensor name. */
      aliases: z.record(z.string(), z.string()).default({}),
      /** Unit axis per site (tensor name or alias) where the default rule is wrong. */
      unitAxis: z.record(z.string(), z.number().int().min(0)).default({}),
    })
    .optional(),
  source: z
    .strictObject({
      url: z.string().min(1),
      /** Licence of the model weights (SPDX id). */
      licence: z.string().min(1),
      /** Where the file was obtained, when that differs from the origin (e.g. an npm package). */
      distribution: z.string().optional(),
      citation: z.string().optional(),
    })
    .optional(),
});
export type SubjectManifest = z.infer<typeof SubjectManifest>;
export type SubjectManifestInput = z.input<typeof SubjectManifest>;

/** Validate a manifest object; `source` names it in the error. */
export function parseManifest(value: unknown, source = 'subject manifest'): SubjectManifest {
  const result = SubjectManifest.safeParse(value);
  if (!result.success) {
    throw new InputError(`${source} is invalid:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/** Read and validate a subject.json file. */
export function readManifest(path: string): SubjectManifest {
  if (!existsSync(path)) throw new InputError(`manifest '${path}' does not exist`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(`manifest '${path}' is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseManifest(value, `manifest '${path}'`);
}
