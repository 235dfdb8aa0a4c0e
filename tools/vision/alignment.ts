import { z } from 'zod';
import { maskOutline, heatmapOverlay } from '../../stimuli/overlays.ts';
import { encodePng } from '../../util/image.ts';
import {
  alignStimulus,
  summarizeAlignment,
  type AlignmentSummary,
  type StimulusAlignment,
} from '../analysis/alignment.ts';
import { roundTo } from '../analysis/saliency-summary.ts';
import type { ToolContext } from '../context.ts';
import type { SharedInterestBinarization } from '../metrics/index.ts';
import { POINTING_GAME_PAPER_TOLERANCE_PX } from '../metrics/index.ts';
import { defineTool, ToolError, type ToolImage } from '../tool.ts';
import { ImageStimulusArg, resolveImageStimuli, type ImageStimulus } from '../scenes/stimulus-arg.ts';
import { canonicalConcept } from '../analysis/concept-args.ts';
import { saliencyCost } from '../scenes/cost.ts';
import {
  computeSaliency,
  SaliencyArgs,
  saliencySettings,
  type SaliencyMethod,
} from '../analysis/saliency-run.ts';
import { resolveTarget, targetName, type SaliencyTarget } from '../analysis/saliency-target.ts';

/** Stimuli per alignment call: each needs one saliency map (a few hundred forward passes). */
export const MAX_ALIGNMENT_STIMULI = 12;

/** Without fires_above, a unit "fires" on a stimulus at ≥ this share of its maximum over the probe set. */
export const DEFAULT_FIRING_SHARE = 0.5;

const AlignmentInput = z.strictObject({
  stimuli: z
    .array(ImageStimulusArg)
    .min(1)
    .max(MAX_ALIGNMENT_STIMULI)
    .describe(
      `1–${MAX_ALIGNMENT_STIMULI} stimuli: phrases, scene specs, {"probe_scene": i} or dataset images {"dataset", "set", "index", "edits"?}`,
    ),
  concept: z
    .string()
    .min(1)
    .describe("the concept whose exact masks the saliency is compared with, e.g. 'dog'"),
  ...SaliencyArgs,
  expected: z
    .string()
    .min(1)
    .optional()
    .describe('for a label target: the label a correct prediction has (default: the target label)'),
  fires_above: z
    .number()
    .optional()
    .describe(
      `for a unit target: the activation at which it counts as firing (default ${DEFAULT_FIRING_SHARE} × its max over the probe set)`,
    ),
  binarization: z
    .enum(['mean-std', 'ground-truth-area', 'top-fraction'])
    .default('mean-std')
    .describe(
      'how the map becomes a region: mean-std (pixels ≥ mean + 1 std of the normalised map; the Shared ' +
        'Interest rule), ground-truth-area (the top pixels, as many as the mask has), top-fraction',
    ),
  top_fraction: z
    .number()
    .gt(0)
    .lt(1)
    .optional()
    .describe('share of pixels kept for binarization top-fraction'),
  tolerance_px: z
    .number()
    .min(0)
    .max(100)
    .optional()
    .describe('Pointing Game tolerance in pixels (default 15 px at 224 px, scaled with the shorter side)'),
});

export interface AlignmentStimulusResult extends StimulusAlignment {
  stimulus: string;
  probeScene?: number;
  /** The prediction (label target) or the unit's activation (unit target). */
  prediction: string | number;
}

export interface AlignmentData {
  method: SaliencyMethod;
  target: string;
  concept: string;
  binarization: SharedInterestBinarization;
  tolerancePx: number;
  /** What correct means here. */
  correctness: string;
  summary: AlignmentSummary;
  stimuli: AlignmentStimulusResult[];
}

/** alignment: does the saliency for a label or unit lie on a named concept? */
export const alignmentTool = defineTool({
  name: 'alignment',
  description:
    'Test whether a label or unit relies on a concept: computes saliency (as the saliency tool, any of its ' +
    'methods: occlusion, rise, cam, or on ONNX subjects gradient, gradient_x_input, integrated_gradients, ' +
    'smoothgrad, gradcam, gradcam_pp — Grad-CAM is the method of the Shared Interest paper) on each ' +
    'stimulus and compares it with the exact mask of the concept you name. Reports Shared Interest scores ' +
    '(IoU, ground-truth coverage GTC = share of the concept the saliency covers, saliency coverage SC = ' +
    'share of the saliency on the concept; binary and continuous), the Shared Interest pattern per stimulus ' +
    '(e.g. Human Aligned, Sufficient Subset, Context Dependent, Distractor; low ≤ 0.2, high ≥ 0.65), and ' +
    'the Pointing Game (does the saliency peak hit the concept) against a centre-point baseline. ' +
    "Correct means the prediction equals 'expected' (default: the target label), or for a unit that it " +
    'fires. Use stimuli that contain the concept (stimuli without it are reported and left out of the means).',
  input: AlignmentInput,
  cost: (args, ctx: ToolContext) => saliencyCost(args.stimuli, ctx, saliencySettings(args, ctx.seed)),
  async execute(args: z.output<typeof AlignmentInput>, ctx: ToolContext, { signal }) {
    const target = resolveTarget(ctx.probe, args);
    const stimuli = await resolveImageStimuli(args.stimuli, ctx, 'alignment', signal);
    // Dataset images name their own annotated concepts ('garment', 'square'); scenes use the vocabulary.
    const concept = stimuli.some((s) => s.scene.masks.has(args.concept))
      ? args.concept
      : canonicalConcept(args.concept, 'alignment');
    const binarization = binarizationOf(args);
    const { width, height } = stimuli[0]?.scene.image ?? ctx.probe.sceneSize;
    const tolerancePx =
      args.tolerance_px ?? Math.round((POINTING_GAME_PAPER_TOLERANCE_PX * Math.min(width, height)) / 224);
    const correctness = await judgeCorrectness(ctx, target, stimuli, args);
    const settings = saliencySettings(args, ctx.seed);

    const results: AlignmentStimulusResult[] = [];
    const images: ToolImage[] = [];
    for (const [i, stimulus] of stimuli.entries()) {
      const { scene } = stimulus;
      const computed = await computeSaliency(ctx.probe, target, scene, settings, 'alignment', signal);
      const { map, width: w, height: h } = computed.map;
      const mask = scene.masks.get(concept) ?? new Uint8Array(w * h);
      const verdict = correctness.verdicts[i] as { correct: boolean; prediction: string | number };
      const aligned = alignStimulus(map, mask, w, h, verdict.correct, { binarization, tolerancePx });
      results.push({
        stimulus: stimulus.label,
        ...(stimulus.probeScene !== undefined ? { probeScene: stimulus.probeScene } : {}),
        prediction: verdict.prediction,
        ...aligned,
      });
      const overlay = heatmapOverlay(scene.image, map, w, h, { alpha: 0.55 });
      images.push({
        png: await encodePng(maskOutline(overlay, mask, [0, 255, 0], { thickness: 2 })),
        caption: `#${i} ${stimulus.label}: ${args.method} saliency of ${targetName(target)}, '${concept}' outlined in green`,
      });
    }
    const data: AlignmentData = {
      method: args.method,
      target: targetName(target),
      concept,
      binarization,
      tolerancePx,
      correctness: correctness.meaning,
      summary: summarizeAlignment(results),
      stimuli: results,
    };
    return { text: describeAlignment(data), images, data };
  },
});

function binarizationOf(args: {
  binarization: string;
  top_fraction?: number | undefined;
}): SharedInterestBinarization {
  if (args.binarization === 'ground-truth-area') return { method: 'ground-truth-area' };
  if (args.binarization === 'top-fraction') {
    if (args.top_fraction === undefined) {
      throw new ToolError("binarization 'top-fraction' needs top_fraction (e.g. 0.1)", 'alignment');
    }
    return { method: 'top-fraction', fraction: args.top_fraction };
  }
  return { method: 'mean-std', numStd: 1 };
}

interface Correctness {
  meaning: string;
  verdicts: { correct: boolean; prediction: string | number }[];
}

/** Per stimulus: was the subject right (label target) or did the unit fire (unit target)? */
async function judgeCorrectness(
  ctx: ToolContext,
  target: SaliencyTarget,
  stimuli: readonly ImageStimulus[],
  args: { expected?: string | undefined; fires_above?: number | undefined },
): Promise<Correctness> {
  const scenes = stimuli.map((s) => s.scene);
  if (target.kind === 'unit') {
    const maps = (await ctx.probe.unitMaps(scenes, [target.unit]))[0] ?? [];
    let threshold = args.fires_above;
    if (threshold === undefined) {
      const activations = await ctx.activations(target.unit.site);
      let max = -Infinity;
      for (let n = 0; n < activations.n; n++) {
        max = Math.max(max, activations.values[n * activations.units + target.unit.index] as number);
      }
      threshold = DEFAULT_FIRING_SHARE * max;
    }
    const limit = threshold;
    return {
      meaning: `the unit fires: activation (max of its map) ≥ ${roundTo(limit, 4)}`,
      verdicts: maps.map((m) => ({ correct: m.value >= limit, prediction: roundTo(m.value, 4) })),
    };
  }
  const outputs = await ctx.probe.outputs(scenes);
  const expected = args.expected ?? target.label;
  if (!outputs.labels.includes(expected)) {
    throw new ToolError(
      `expected label '${expected}' is not an output label of ${ctx.probe.name}` +
        (outputs.labels.length <= 20 ? ` (labels: ${outputs.labels.join(', ')})` : ''),
      'alignment',
    );
  }
  return {
    meaning: `the top output label is '${expected}'`,
    verdicts: outputs.scores.map((row) => {
      let best = 0;
      for (let k = 1; k < row.length; k++) if ((row[k] as number) > (row[best] as number)) best = k;
      const prediction = outputs.labels[best] ?? '';
      return { correct: prediction === expected, prediction };
    }),
  };
}

function describeAlignment(data: AlignmentData): string {
  const { summary } = data;
  const r = (v: number) => roundTo(v, 2);
  const n = data.stimuli.length;
  const lines = [
    `Alignment of ${data.method} saliency for ${data.target} with '${data.concept}' over ${n} stimul${n === 1 ? 'us' : 'i'} ` +
      `(${summary.scored} scored${summary.skipped.emptyMask ? `, ${summary.skipped.emptyMask} without the concept` : ''}` +
      `${summary.skipped.emptySaliency ? `, ${summary.skipped.emptySaliency} with a flat map` : ''}). Correct = ${data.correctness}.`,
  ];
  if (summary.scored > 0) {
    const b = summary.meanBinary;
    const c = summary.meanContinuous;
    lines.push(
      `Mean binary (${data.binarization.method}): IoU ${r(b.iou)}, GTC ${r(b.gtc)}, SC ${r(b.sc)}; ` +
        `continuous: IoU ${r(c.iou)}, GTC ${r(c.gtc)}, SC ${r(c.sc)}.`,
    );
    const patterns = Object.entries(summary.patterns).map(([p, count]) => `${p} ${count}`);
    if (summary.unpatterned) patterns.push(`no pattern ${summary.unpatterned}`);
    lines.push(`Patterns: ${patterns.join(', ')}.`);
  }
  const { pointing, centerBaseline } = summary;
  if (pointing.evaluated > 0) {
    lines.push(
      `Pointing Game (tolerance ${data.tolerancePx} px): ${pointing.hits}/${pointing.evaluated} hits ` +
        `(${Math.round(pointing.accuracy * 100)}%) vs centre-point baseline ${centerBaseline.hits}/${pointing.evaluated} ` +
        `(${Math.round(centerBaseline.accuracy * 100)}%).`,
    );
  }
  data.stimuli.forEach((s, i) => {
    const scores =
      s.binary.empty === undefined
        ? `IoU ${r(s.binary.iou)} GTC ${r(s.binary.gtc)} SC ${r(s.binary.sc)} → ${s.pattern ?? 'no pattern'}`
        : s.binary.empty === 'saliency'
          ? 'flat saliency map (no scores)'
          : `no '${data.concept}' in this stimulus (no scores)`;
    const pointed = s.pointing.skipped ? '' : `; peak ${s.pointing.hit ? 'hits' : 'misses'}`;
    lines.push(
      `#${i} ${s.stimulus}: ${s.correct ? 'correct' : 'incorrect'} (${s.prediction}); ${scores}${pointed}.`,
    );
  });
  return lines.join('\n');
}
