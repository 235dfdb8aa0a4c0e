import { z } from 'zod';
import type { AnnotatedDataset } from '../../stimuli/datasets/dataset-image.ts';
import { datasetsForSize, parseSetRef } from '../../stimuli/datasets/registry.ts';
import { measureReliance, RELIANCE_METHODS, type RelianceReport } from '../analysis/reliance.ts';
import { saliencySettings } from '../analysis/saliency-run.ts';
import { withToolErrors } from '../common/errors.ts';
import type { ToolContext } from '../context.ts';
import { defineTool, ToolError } from '../tool.ts';
import { errorMessage } from '../../util/errors.ts';
import { POINTING_GAME_PAPER_TOLERANCE_PX } from '../metrics/index.ts';

/**
 * model_reliance: what a whole classifier relies on, over annotated dataset sets — the question
 * "does this model rely on a spurious feature?" as one experiment (tools/analysis/reliance.ts).
 */

/** Most images per set one call measures (the committed sets hold 1,000). */
export const MAX_RELIANCE_IMAGES = 1000;

/**
 * Images per set by default: every set of a dataset fits the per-call budget (20,000 forward passes) and,
 * on a busy 2-core machine, the per-call time limit (60 s); 250 images separate the spurious pair clearly.
 */
export const DEFAULT_RELIANCE_IMAGES = 250;

const Input = z.strictObject({
  sets: z
    .array(z.string().min(1))
    .min(1)
    .max(8)
    .optional()
    .describe(
      "dataset sets, written dataset/set (e.g. 'fashion-mnist-square/broken'); default: every set of the annotated datasets that fit the subject (describe_subject lists them)",
    ),
  method: z
    .enum(RELIANCE_METHODS)
    .default('gradient')
    .describe('saliency of the predicted class: gradient (default), gradient_x_input, gradcam, gradcam_pp'),
  site: z.string().min(1).optional().describe('Grad-CAM site (default: the features before the head)'),
  tolerance_px: z
    .number()
    .int()
    .min(0)
    .max(100)
    .optional()
    .describe('Pointing Game tolerance in pixels (default 15 px at 224 px, scaled to the image: 2 px at 28)'),
  images: z
    .number()
    .int()
    .min(10)
    .max(MAX_RELIANCE_IMAGES)
    .default(DEFAULT_RELIANCE_IMAGES)
    .describe(`images per set (the first ones; default ${DEFAULT_RELIANCE_IMAGES})`),
});

export interface ModelRelianceData {
  reports: RelianceReport[];
}

function setsOf(args: { sets?: string[] | undefined }, ctx: ToolContext) {
  if (args.sets) {
    try {
      return args.sets.map(parseSetRef);
    } catch (error) {
      throw new ToolError(errorMessage(error), 'model_reliance');
    }
  }
  const { width, height } = ctx.probe.sceneSize;
  const datasets: AnnotatedDataset[] = datasetsForSize(width, height);
  if (datasets.length === 0) {
    throw new ToolError(
      `no annotated dataset has ${width}×${height} images, the size ${ctx.probe.name} takes; model_reliance needs one`,
      'model_reliance',
    );
  }
  return datasets.flatMap((dataset) => dataset.sets.map((s) => ({ dataset, set: s.name })));
}

export const modelRelianceTool = defineTool({
  name: 'model_reliance',
  description:
    'What a classifier relies on, over annotated dataset sets (for questions about the whole model: "what ' +
    'does class X rely on?", "does it rely on a spurious feature?"). On every image of each set: the ' +
    "prediction, the saliency of the predicted class and how it aligns with each annotated concept's exact " +
    'mask — EA_IoU (IoU of the saliency region, the map at mean + 1 std, with the mask) and EA_PG (pointing ' +
    'game: the peak falls in the mask), Shared Interest pattern counts — over the set and per class; then ' +
    'counterfactual edits of every image (remove, recolour, move each editable concept) with the accuracy ' +
    'after, the share of predictions that change and the drop in the predicted class probability. An ' +
    "'object' concept is what the label names; a 'context' concept is anything else — reliance on context " +
    'is reliance on a spurious feature. Returns a table per set; data holds every figure.',
  input: Input,
  cost: (args, ctx: ToolContext) => {
    const sets = setsOf(args, ctx);
    const images = sets.length * args.images;
    // One forward+backward (≈ 3 forward passes) per image, and one forward pass per image per edit.
    const edits = Math.max(...sets.map((s) => s.dataset.edits.reduce((n, e) => n + e.ops.length, 0)));
    const pixels = ctx.probe.sceneSize.width * ctx.probe.sceneSize.height;
    const forwardPasses = images * (4 + edits);
    return {
      pixelOps: forwardPasses * pixels,
      forwardPasses,
      detail: `${sets.length} set(s) of ${args.images} images, ${edits} edits each`,
      shrink: 'fewer sets, fewer images',
    };
  },
  async execute(args: z.output<typeof Input>, ctx: ToolContext, { signal }) {
    return withToolErrors('model_reliance', async () => {
      const settings = saliencySettings({ ...args, unit_pooling: 'mean' }, ctx.seed);
      const { width, height } = ctx.probe.sceneSize;
      // As the alignment tool: Zhang et al.'s 15 px at 224 px, scaled to the image.
      const tolerancePx =
        args.tolerance_px ?? Math.round((POINTING_GAME_PAPER_TOLERANCE_PX * Math.min(width, height)) / 224);
      const reports: RelianceReport[] = [];
      for (const { dataset, set } of setsOf(args, ctx)) {
        signal?.throwIfAborted();
        reports.push(
          await measureReliance(ctx.probe, dataset, set, {
            settings,
            limit: args.images,
            tolerancePx,
            ...(signal ? { signal } : {}),
          }),
        );
      }
      const data: ModelRelianceData = { reports };
      return { text: describeReliance(data), images: [], data };
    });
  },
});

const f = (v: number) => v.toFixed(2);

export function describeReliance(data: ModelRelianceData): string {
  const lines: string[] = [];
  for (const r of data.reports) {
    lines.push(
      `${r.dataset}/${r.set} (${r.setDescription}; ${r.images} images, ${r.method} saliency of the predicted class, pointing tolerance ${r.tolerancePx} px): accuracy ${f(r.accuracy)}.`,
    );
    for (const c of r.concepts) {
      const patterns = Object.entries(c.patterns)
        .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
        .map(([p, n]) => `${p} ${n}`)
        .join(', ');
      lines.push(
        `  ${c.concept} (${c.role}): EA_IoU ${f(c.iou)}, EA_PG ${f(c.pointing)} over ${c.images} images; patterns: ${patterns || 'none'}.`,
      );
    }
    for (const e of r.edits) {
      lines.push(
        `  edit "${e.describes}" on ${e.images} images: accuracy ${f(e.accuracy)}, predictions changed ${f(e.changed)}, predicted-class probability drop ${f(e.probabilityDrop)}.`,
      );
    }
    const perClass = r.classes
      .filter((c) => c.images > 0)
      .map((c) => {
        const best = [...c.concepts].sort((a, b) => b.pointing - a.pointing)[0];
        return `${c.label} acc ${f(c.accuracy)}${best ? `, peak on ${best.concept} ${f(best.pointing)}` : ''}`;
      });
    lines.push(`  per class: ${perClass.join('; ')}.`);
  }
  return lines.join('\n');
}
