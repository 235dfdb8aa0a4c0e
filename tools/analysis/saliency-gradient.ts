import ort from 'onnxruntime-node';
import { OnnxSubject } from '../../subjects/onnx/onnx-subject.ts';
import type { GradientRequest, SiteInfo, Subject } from '../../subjects/subject.ts';
import { InputError } from '../../util/errors.ts';
import type { RgbImage } from '../../util/image.ts';
import { OnnxProbe } from '../probe/onnx-probe.ts';
import { cropToImage } from '../probe/site-maps.ts';
import type { Probe } from '../probe/types.ts';
import {
  channelDot,
  gradCam,
  gradCamPlusPlus,
  gradientMap,
  integratedGradients,
  resizeBilinear,
  smoothGrad,
  type SaliencyMap,
  type TensorShape,
} from '../saliency/index.ts';
import { findCamHead } from './cam-head.ts';
import type { SaliencyTarget, UnitPooling } from './saliency-target.ts';

/**
 * Gradient saliency for ONNX subjects: the target (a label's logit, or a unit's pooled map) becomes
 * the objective of a compiled gradient graph (subjects/autodiff), and the model-agnostic methods of
 * tools/saliency/gradient.ts turn input or site gradients into a map, cropped to the image and resized
 * onto it like every other map.
 */

export const GRADIENT_METHODS = [
  'gradient',
  'gradient_x_input',
  'integrated_gradients',
  'smoothgrad',
  'gradcam',
  'gradcam_pp',
] as const;
export type GradientMethod = (typeof GRADIENT_METHODS)[number];

export const BASELINES = ['black', 'white', 'grey'] as const;
export type Baseline = (typeof BASELINES)[number];

export const DEFAULT_IG_STEPS = 32;
export const DEFAULT_SMOOTHGRAD_SAMPLES = 25;
export const DEFAULT_SMOOTHGRAD_NOISE = 0.15;

export interface GradientSettings {
  baseline: Baseline;
  steps: number;
  noise: number;
  samples: number;
  seed: number;
  /** Grad-CAM's site (default: the features a CAM head pools, else the last spatial site before the target). */
  site?: string | undefined;
  pooling: UnitPooling;
}

export interface GradientSaliency {
  map: SaliencyMap;
  describes: string;
  score: number;
}

/** The subject with gradients, or an error saying why the method does not apply. */
function gradientSubject(probe: Probe): Subject & Required<Pick<Subject, 'gradient'>> {
  if (!(probe instanceof OnnxProbe) || !probe.subject.gradient) {
    throw new InputError(
      'gradient methods need an ONNX subject (synthetic units have no gradients); use occlusion or rise',
    );
  }
  return probe.subject as Subject & Required<Pick<Subject, 'gradient'>>;
}

interface Objective {
  objective: GradientRequest['objective'];
  describes: string;
  /** The site or output the objective reads (Grad-CAM's default site lies before it). */
  tensor: string;
}

function objectiveFor(subject: Subject, target: SaliencyTarget, pooling: UnitPooling): Objective {
  if (target.kind === 'unit') {
    const site = subject.resolveSite(target.unit.site);
    const weights = new Float32Array(site.units);
    weights[target.unit.index] = 1;
    return {
      objective: { tensor: site.name, unitAxis: site.unitAxis, pool: pooling, weights },
      describes: `gradient of the ${pooling} of ${target.unit.id}'s map`,
      tensor: site.name,
    };
  }
  const labels = subject.labels ?? [];
  const index = labels.indexOf(target.label);
  if (index < 0) {
    throw new InputError(
      `no output label '${target.label}'${labels.length ? `; labels: ${labels.slice(0, 20).join(', ')}` : ''}`,
    );
  }
  const weights = new Float32Array(labels.length);
  weights[index] = 1;
  const logits = subject.manifest.output?.logits;
  const logitsSite = logits ? subject.resolveSite(logits) : undefined;
  if (logitsSite && logitsSite.units === labels.length) {
    return {
      objective: { tensor: logitsSite.name, unitAxis: 1, pool: 'mean', weights },
      describes: `gradient of the logit of '${target.label}'`,
      tensor: logitsSite.name,
    };
  }
  const output = subject.manifest.output?.name ?? subject.outputNames[0] ?? '';
  return {
    objective: { tensor: output, unitAxis: 1, pool: 'mean', weights },
    describes: `gradient of the score of '${target.label}'`,
    tensor: output,
  };
}

function imageInputName(subject: Subject): string {
  return subject.manifest.input?.name ?? subject.inputNames[0] ?? '';
}

/** A map at the input (or a site) resolution laid over the image: crop the padding, resize. */
function overImage(
  values: Float32Array,
  width: number,
  height: number,
  subject: Subject,
  image: RgbImage,
): SaliencyMap {
  const placement = subject.placements([image])[0];
  if (!placement) throw new InputError('the image has no placement in the input');
  const cropped = cropToImage(values, width, height, placement);
  return {
    map: resizeBilinear(cropped.values, cropped.width, cropped.height, image.width, image.height),
    width: image.width,
    height: image.height,
  };
}

function baselineImage(image: RgbImage, baseline: Baseline): RgbImage {
  const value = baseline === 'black' ? 0 : baseline === 'white' ? 255 : 128;
  return { width: image.width, height: image.height, data: new Uint8Array(image.data.length).fill(value) };
}

/** Whether a site holds spatial feature maps Grad-CAM can weigh: [N, K, h, w] with h·w > 1. */
function isSpatial(site: SiteInfo): boolean {
  return (
    site.shape.length === 4 &&
    site.unitAxis === 1 &&
    (site.shape[2] as number) * (site.shape[3] as number) > 1
  );
}

function gradCamSite(subject: Subject, objective: Objective, requested: string | undefined): SiteInfo {
  if (requested !== undefined) {
    const site = subject.resolveSite(requested);
    if (!isSpatial(site)) {
      throw new InputError(
        `Grad-CAM needs a convolutional site [N, K, h, w]; '${requested}' has shape [${site.shape.join(', ')}]`,
      );
    }
    return site;
  }
  if (subject instanceof OnnxSubject) {
    const head = findCamHead(subject.decodedModel(), subject.manifest.output?.name);
    if (head.available && objective.tensor !== head.head.features) {
      const site = subject.resolveSite(head.head.features);
      if (isSpatial(site)) return site;
    }
  }
  const sites = subject.sites();
  const end = sites.findIndex((s) => s.name === objective.tensor);
  const before = (end < 0 ? sites : sites.slice(0, end + 1)).filter(isSpatial);
  const last = before[before.length - 1];
  if (!last) throw new InputError(`no convolutional site precedes ${objective.tensor}; give one with 'site'`);
  return last;
}

export async function gradientSaliency(
  probe: Probe,
  target: SaliencyTarget,
  image: RgbImage,
  method: GradientMethod,
  settings: GradientSettings,
): Promise<GradientSaliency> {
  const subject = gradientSubject(probe);
  const objective = objectiveFor(subject, target, settings.pooling);
  const input = subject.preprocess([image]);
  const dims = input.dims;
  const shape: TensorShape = {
    channels: dims[1] as number,
    height: dims[2] as number,
    width: dims[3] as number,
  };
  if (dims.length !== 4)
    throw new InputError(`gradient saliency needs an image input [N, C, H, W]; got [${dims.join(', ')}]`);
  const inputName = imageInputName(subject);

  if (method === 'gradcam' || method === 'gradcam_pp') {
    const site = gradCamSite(subject, objective, settings.site);
    const run = await subject.gradient(input, {
      objective: objective.objective,
      wrt: [site.name],
      read: [site.name],
    });
    const activations = run.sites[site.name];
    const gradients = run.gradients[site.name];
    if (!activations || !gradients)
      throw new InputError(`the gradient run did not return site '${site.name}'`);
    const siteShape: TensorShape = {
      channels: activations.dims[1] as number,
      height: activations.dims[2] as number,
      width: activations.dims[3] as number,
    };
    const data = {
      activations: activations.data as Float32Array,
      gradients: gradients.data as Float32Array,
      shape: siteShape,
    };
    const low = method === 'gradcam' ? gradCam(data) : gradCamPlusPlus(data);
    const name = site.aliases[0] ?? site.name;
    return {
      map: overImage(low, siteShape.width, siteShape.height, subject, image),
      describes: `${method === 'gradcam' ? 'Grad-CAM' : 'Grad-CAM++'} at ${name}, ${objective.describes}`,
      score: run.objective[0] ?? 0,
    };
  }

  const gradientOf = async (values: Float32Array, count: number) => {
    const run = await subject.gradient(new ort.Tensor('float32', values, [count, ...dims.slice(1)]), {
      objective: objective.objective,
      wrt: [inputName],
    });
    return run.gradients[inputName]?.data as Float32Array;
  };
  const pixels = input.data as Float32Array;
  const plain = await subject.gradient(input, { objective: objective.objective, wrt: [inputName] });
  const score = plain.objective[0] ?? 0;
  const grad = plain.gradients[inputName]?.data as Float32Array;
  let low: Float32Array;
  let describes = objective.describes;
  switch (method) {
    case 'gradient':
      low = gradientMap(grad, shape);
      describes = `|${objective.describes}| (max over channels)`;
      break;
    case 'gradient_x_input':
      low = channelDot(grad, pixels, shape);
      describes = `${objective.describes} × input`;
      break;
    case 'integrated_gradients': {
      const baseline = subject.preprocess([baselineImage(image, settings.baseline)]).data as Float32Array;
      // The path's points are built, and their gradients summed, inside one run per batch of steps.
      const along = async (alphas: readonly number[]) => {
        const run = await subject.gradient(input, {
          objective: objective.objective,
          wrt: [inputName],
          path: { baseline: new ort.Tensor('float32', baseline, dims), alphas },
        });
        return run.gradients[inputName]?.data as Float32Array;
      };
      low = await integratedGradients(pixels, shape, { along }, { baseline, steps: settings.steps });
      describes = `integrated gradients (${settings.steps} steps from a ${settings.baseline} image) of ${objective.describes.replace(/^gradient of /, '')}`;
      break;
    }
    case 'smoothgrad':
      low = await smoothGrad(pixels, shape, gradientOf, {
        noise: settings.noise,
        samples: settings.samples,
        seed: settings.seed,
      });
      describes = `SmoothGrad (${settings.samples} samples, noise ${settings.noise}) of ${objective.describes}`;
      break;
  }
  return { map: overImage(low, shape.width, shape.height, subject, image), describes, score };
}
