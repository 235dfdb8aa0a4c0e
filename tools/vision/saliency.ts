import { z } from 'zod';
import { heatmapOverlay } from '../../stimuli/overlays.ts';
import { encodePng } from '../../util/image.ts';
import {
  compactMap,
  meanOf,
  roundTo,
  summarizeSaliency,
  type CompactMap,
  type SaliencySummary,
} from '../analysis/saliency-summary.ts';
import type { ToolContext } from '../context.ts';
import { defineTool, type ToolImage } from '../tool.ts';
import { ImageStimulusArg, resolveImageStimuli } from '../scenes/stimulus-arg.ts';
import {
  computeSaliency,
  SaliencyArgs,
  saliencySettings,
  type SaliencyMethod,
} from '../analysis/saliency-run.ts';
import { resolveTarget, targetName } from '../analysis/saliency-target.ts';
import { saliencyCost } from '../scenes/cost.ts';

/** Stimuli per saliency call: each costs a few hundred forward passes. */
export const MAX_SALIENCY_STIMULI = 6;

const SaliencyInput = z.strictObject({
  stimuli: z
    .array(ImageStimulusArg)
    .min(1)
    .max(MAX_SALIENCY_STIMULI)
    .describe(
      `1–${MAX_SALIENCY_STIMULI} stimuli: phrases, scene specs, {"probe_scene": i} or dataset images {"dataset", "set", "index", "edits"?}`,
    ),
  ...SaliencyArgs,
});

export interface SaliencyStimulusResult {
  stimulus: string;
  probeScene?: number;
  /** The target's score on the unperturbed stimulus (absent for CAM). */
  score?: number;
  /** The map, area-averaged to at most 64 px on its longer side. For occlusion: the drop in score when
   *  the region is hidden; RISE: the expected score when the region is shown; CAM: the class evidence;
   *  gradient methods: the attribution (signed for gradient × input and integrated gradients). */
  map: CompactMap;
  summary: SaliencySummary;
}

export interface SaliencyData {
  method: SaliencyMethod;
  target: string;
  /** What the map explains: e.g. "logit of '0'", "mean of synthetic:3's map", "CAM from features". */
  explains: string;
  stimuli: SaliencyStimulusResult[];
}

/** saliency: where in each stimulus the evidence for a label or a unit lies. */
export const saliencyTool = defineTool({
  name: 'saliency',
  description:
    'Saliency map: which parts of each stimulus drive a target, either an output label (label) or a unit ' +
    "(unit, 'site:index'). Methods: occlusion (default; hides patches and measures the drop in the " +
    "target's score), rise (random masks, seeded), cam (class activation map; only for classifier labels " +
    'whose head is global average pooling + linear, otherwise an error says why), and on ONNX subjects ' +
    'the gradient methods: gradient (|∂score/∂pixel|), gradient_x_input, integrated_gradients (baseline, ' +
    'steps), smoothgrad (noise, samples, seed), gradcam and gradcam_pp (at a convolutional site; default the ' +
    'features before the head) — one forward+backward pass each except integrated_gradients and smoothgrad. ' +
    'A unit is scored by the mean of its map (unit_pooling max for its peak); a classifier label by its logit ' +
    'when available. Use it to see what a unit or class looks at, then check a guess with alignment. Returns ' +
    'per stimulus a heatmap overlay, the peak and the concepts it lies on, and how the positive saliency ' +
    'divides among concepts (share of saliency vs share of image area); data holds each map (≤ 64 px side).',
  input: SaliencyInput,
  cost: (args, ctx: ToolContext) => saliencyCost(args.stimuli, ctx, saliencySettings(args, ctx.seed)),
  async execute(args: z.output<typeof SaliencyInput>, ctx: ToolContext, { signal }) {
    const target = resolveTarget(ctx.probe, args);
    const stimuli = await resolveImageStimuli(args.stimuli, ctx, 'saliency', signal);
    const settings = saliencySettings(args, ctx.seed);
    const results: SaliencyStimulusResult[] = [];
    const images: ToolImage[] = [];
    let explains = '';
    for (const [i, stimulus] of stimuli.entries()) {
      const { scene } = stimulus;
      const computed = await computeSaliency(ctx.probe, target, scene, settings, 'saliency', signal);
      explains = computed.describes;
      const { map, width, height } = computed.map;
      // RISE maps are expected scores: what stands above the map's own mean is what matters.
      const offset = args.method === 'rise' ? meanOf(map) : 0;
      const summary = summarizeSaliency(map, width, height, scene.masks, { offset });
      results.push({
        stimulus: stimulus.label,
        ...(stimulus.probeScene !== undefined ? { probeScene: stimulus.probeScene } : {}),
        ...(computed.score !== undefined ? { score: roundTo(computed.score, 4) } : {}),
        map: compactMap(map, width, height),
        summary,
      });
      images.push({
        png: await encodePng(heatmapOverlay(scene.image, map, width, height, { alpha: 0.55 })),
        caption: `#${i} ${stimulus.label}: ${args.method} saliency of ${targetName(target)} (red = high)`,
      });
    }
    const data: SaliencyData = {
      method: args.method,
      target: targetName(target),
      explains,
      stimuli: results,
    };
    return { text: describeResults(data), images, data };
  },
});

function describeResults(data: SaliencyData): string {
  const lines = [`${data.method} saliency of ${data.target} (${data.explains}):`];
  data.stimuli.forEach((result, i) => {
    const { summary } = result;
    const score = result.score !== undefined ? `score ${formatNumber(result.score)}; ` : '';
    if (summary.positiveMass === 0) {
      lines.push(`#${i} ${result.stimulus}: ${score}no positive saliency (${NOTHING_FOUND[data.method]}).`);
      return;
    }
    const at =
      summary.peakConcepts.length > 0 ? summary.peakConcepts.slice(0, 4).join(', ') : 'nothing annotated';
    const shares = summary.shares
      .map((s) => `${s.concept} ${percent(s.share)} (area ${percent(s.area)})`)
      .join(', ');
    lines.push(
      `#${i} ${result.stimulus}: ${score}peak at (${summary.peak.x}, ${summary.peak.y}) on ${at}; ` +
        `saliency share by concept: ${shares}.`,
    );
  });
  return lines.join('\n');
}

const NOTHING_FOUND: Record<SaliencyMethod, string> = {
  occlusion: 'hiding no region lowered the score',
  rise: 'the map is flat',
  cam: 'no region carries evidence for the label',
  gradient: 'the gradient is zero everywhere',
  gradient_x_input: 'no pixel pushes the score up',
  integrated_gradients: 'no pixel adds to the score along the path',
  smoothgrad: 'the gradient is zero everywhere',
  gradcam: 'no feature map with a positive weight is active',
  gradcam_pp: 'no feature map with a positive weight is active',
};

function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}

function formatNumber(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : String(roundTo(value, 3));
}
