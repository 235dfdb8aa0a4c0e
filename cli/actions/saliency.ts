import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { loadSubject } from '../../subjects/load.ts';
import type { Subject } from '../../subjects/subject.ts';
import { heatmapOverlay } from '../../stimuli/overlays.ts';
import {
  BASELINES,
  DEFAULT_IG_STEPS,
  DEFAULT_SMOOTHGRAD_NOISE,
  DEFAULT_SMOOTHGRAD_SAMPLES,
  GRADIENT_METHODS,
  gradientSaliency,
} from '../../tools/analysis/saliency-gradient.ts';
import { camForLabel, type SaliencyTarget } from '../../tools/analysis/saliency-target.ts';
import { OnnxProbe } from '../../tools/probe/index.ts';
import type { SaliencyMap } from '../../tools/saliency/index.ts';
import { InputError } from '../../util/errors.ts';
import { decodeImage, encodePng, type RgbImage } from '../../util/image.ts';
import { printResult } from '../output.ts';

/**
 * The work of `aia saliency` (defined in cli/commands/saliency.ts): one image, one target, one map.
 * Options arrive as strings from commander and are checked by one zod schema.
 */

const CLI_METHODS = [...GRADIENT_METHODS, 'cam'] as const;
type CliMethod = (typeof CLI_METHODS)[number];

const Options = z.object({
  image: z.string().min(1),
  target: z.string().min(1),
  method: z.enum(CLI_METHODS).default('gradcam'),
  site: z.string().min(1).optional(),
  steps: z.coerce.number().int().min(2).max(1024).default(DEFAULT_IG_STEPS),
  baseline: z.enum(BASELINES).default('black'),
  samples: z.coerce.number().int().min(1).max(1000).default(DEFAULT_SMOOTHGRAD_SAMPLES),
  noise: z.coerce.number().min(0).max(1).default(DEFAULT_SMOOTHGRAD_NOISE),
  seed: z.coerce.number().int().min(0).default(1),
  pooling: z.enum(['mean', 'max']).default('mean'),
  out: z.string().min(1).optional(),
  json: z.boolean().optional(),
});
export type SaliencyOptions = z.input<typeof Options>;

interface Computed {
  map: SaliencyMap;
  describes: string;
  score?: number;
}

type Runner = (
  probe: OnnxProbe,
  target: SaliencyTarget,
  image: RgbImage,
  options: z.output<typeof Options>,
) => Promise<Computed>;

function gradientRunner(method: (typeof GRADIENT_METHODS)[number]): Runner {
  return (probe, target, image, o) =>
    gradientSaliency(probe, target, image, method, {
      baseline: o.baseline,
      steps: o.steps,
      noise: o.noise,
      samples: o.samples,
      seed: o.seed,
      site: o.site,
      pooling: o.pooling,
    });
}

const RUNNERS: Record<CliMethod, Runner> = {
  gradient: gradientRunner('gradient'),
  gradient_x_input: gradientRunner('gradient_x_input'),
  integrated_gradients: gradientRunner('integrated_gradients'),
  smoothgrad: gradientRunner('smoothgrad'),
  gradcam: gradientRunner('gradcam'),
  gradcam_pp: gradientRunner('gradcam_pp'),
  cam: async (probe, target, image) => {
    const cam = await camForLabel(probe, target, image);
    if (!cam.available) throw new InputError(`${cam.reason}; use --method gradcam`);
    return { map: cam.map, describes: `CAM from ${cam.features}` };
  },
};

/** A label of the subject's output, or a unit when the text is site:index of a known site. */
function parseTarget(probe: OnnxProbe, subject: Subject, text: string): SaliencyTarget {
  if ((subject.labels ?? []).includes(text)) return { kind: 'label', label: text };
  if (text.includes(':')) return { kind: 'unit', unit: probe.parseUnit(text) };
  return { kind: 'label', label: text };
}

function peakOf(map: SaliencyMap): { x: number; y: number; value: number } {
  let best = 0;
  map.map.forEach((v, i) => {
    if (v > (map.map[best] as number)) best = i;
  });
  return { x: best % map.width, y: Math.floor(best / map.width), value: map.map[best] as number };
}

export async function runSaliency(ref: string, raw: SaliencyOptions): Promise<void> {
  const parsed = Options.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`--${String(issue?.path[0] ?? 'option')}: ${issue?.message ?? 'invalid'}`);
  }
  const options = parsed.data;
  if (!existsSync(options.image)) throw new InputError(`image '${options.image}' does not exist`);
  const subject = await loadSubject(ref);
  try {
    const probe = new OnnxProbe(subject);
    const target = parseTarget(probe, subject, options.target);
    const image = await decodeImage(options.image);
    const computed = await RUNNERS[options.method](probe, target, image, options);
    if (options.out) {
      const overlay = heatmapOverlay(image, computed.map.map, computed.map.width, computed.map.height, {
        alpha: 0.55,
      });
      await writeFile(options.out, await encodePng(overlay));
    }
    const peak = peakOf(computed.map);
    let sum = 0;
    for (const v of computed.map.map) sum += v;
    const result = {
      subject: subject.name,
      method: options.method,
      target: target.kind === 'label' ? { label: target.label } : { unit: target.unit.id },
      explains: computed.describes,
      ...(computed.score !== undefined ? { score: computed.score } : {}),
      width: computed.map.width,
      height: computed.map.height,
      peak,
      mean: sum / computed.map.map.length,
      ...(options.out ? { out: options.out } : {}),
      map: Array.from(computed.map.map),
    };
    printResult(options.json ?? false, result, () =>
      [
        `${options.method} saliency of ${options.target} on ${options.image} (${computed.describes})`,
        ...(computed.score !== undefined ? [`score ${computed.score.toFixed(4)}`] : []),
        `peak ${peak.value.toPrecision(4)} at (${peak.x}, ${peak.y}) of the ${result.width}×${result.height} map, mean ${result.mean.toPrecision(4)}`,
        ...(options.out ? [`map written to ${options.out}`] : []),
      ].join('\n'),
    );
  } finally {
    await subject.dispose();
  }
}
