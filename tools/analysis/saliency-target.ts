import { OnnxSubject } from '../../subjects/onnx/onnx-subject.ts';
import type { RenderedScene } from '../../stimuli/render.ts';
import { InputError } from '../../util/errors.ts';
import type { RgbImage } from '../../util/image.ts';
import { findCamHead } from './cam-head.ts';
import { OnnxProbe, ONNX_BATCH } from '../probe/onnx-probe.ts';
import { cropToImage, rawUnitMap, unitMapOverImage } from '../probe/site-maps.ts';
import { renderedScenes, SyntheticProbe } from '../probe/synthetic-probe.ts';
import type { Probe, ProbeImage, ScoreFn, UnitAddress } from '../probe/types.ts';
import { classActivationMap, type SaliencyMap } from '../saliency/index.ts';
import { perturbForSyntheticUnit } from './perturb.ts';

/**
 * What saliency explains: a label of the subject's output, or a unit. Score functions here differ from
 * `Probe.scorer` in two deliberate ways:
 * - a unit is scored by the MEAN of its map over the image by default. Its usual scalar, the map's
 *   maximum, does not move when one of several equally strong positions is hidden, so occlusion would
 *   show nothing; the mean falls with every part of the image the unit responds to.
 * - an ONNX classifier label is scored by its LOGIT when the manifest names the logits site: a softmax
 *   probability saturates at 1, and a saturated score changes too little under occlusion to map.
 */

export type SaliencyTarget = { kind: 'label'; label: string } | { kind: 'unit'; unit: UnitAddress };
export type UnitPooling = 'mean' | 'max';

export interface TargetScorer {
  score: ScoreFn;
  /** What the score is, in words, for tool text ("logit of '0'", "mean of final_conv:3's map"). */
  describes: string;
}

/** Parse the tool's `label` / `unit` arguments (exactly one) into a target. */
export function resolveTarget(
  probe: Probe,
  args: { label?: string | undefined; unit?: string | undefined },
): SaliencyTarget {
  const { label, unit } = args;
  if ((label === undefined) === (unit === undefined)) {
    throw new InputError(
      "give exactly one target: 'label' (an output label of the subject) or 'unit' (site:index)",
    );
  }
  if (unit !== undefined) return { kind: 'unit', unit: probe.parseUnit(unit) };
  // A synthetic subject's outputs are its units: a label is a unit name.
  if (probe instanceof SyntheticProbe) return { kind: 'unit', unit: probe.parseUnit(label as string) };
  return { kind: 'label', label: label as string };
}

export function targetName(target: SaliencyTarget): string {
  return target.kind === 'label' ? `label '${target.label}'` : `unit ${target.unit.id}`;
}

/** A score function of perturbed copies of `scene.image` for the target. */
export function targetScorer(
  probe: Probe,
  target: SaliencyTarget,
  scene: ProbeImage,
  pooling: UnitPooling = 'mean',
): TargetScorer {
  if (target.kind === 'unit') {
    const { unit } = target;
    const describes = `${pooling} of ${unit.id}'s map`;
    if (probe instanceof SyntheticProbe)
      return {
        score: syntheticUnitScorer(probe, unit, renderedScenes([scene])[0] as RenderedScene, pooling),
        describes,
      };
    if (probe instanceof OnnxProbe && pooling === 'mean')
      return { score: onnxUnitMeanScorer(probe, unit), describes };
    return { score: probe.scorer({ unit }, scene), describes: `max of ${unit.id}'s map` };
  }
  if (probe instanceof OnnxProbe) {
    const logits = logitScorer(probe, target.label);
    if (logits) return { score: logits, describes: `logit of '${target.label}'` };
  }
  return { score: probe.scorer({ label: target.label }, scene), describes: `score of '${target.label}'` };
}

/** A synthetic unit on perturbed copies of the scene (see perturb.ts for what "removed" means). */
function syntheticUnitScorer(
  probe: SyntheticProbe,
  unit: UnitAddress,
  scene: RenderedScene,
  pooling: UnitPooling,
): ScoreFn {
  const definition = probe.units[unit.index];
  if (!definition) throw new InputError(`unit ${unit.id} is out of range`);
  return async (images) =>
    Float32Array.from(images, (image) => {
      const perturbed = perturbForSyntheticUnit(scene, image);
      const response = probe.subject.activations([perturbed], [definition.name])[0]?.scenes[0];
      if (!response) return 0;
      return pooling === 'mean' ? mean(response.pooled) : response.value;
    });
}

/** The mean of an ONNX unit's map over the image (padding cropped away, as unit maps are). */
function onnxUnitMeanScorer(probe: OnnxProbe, unit: UnitAddress): ScoreFn {
  const { subject } = probe;
  const site = subject.resolveSite(unit.site);
  return async (images) => {
    const out = new Float32Array(images.length);
    for (let start = 0; start < images.length; start += ONNX_BATCH) {
      const batch = images.slice(start, start + ONNX_BATCH);
      const run = await subject.read(subject.preprocess(batch), [site.name]);
      const tensor = run.sites[site.name];
      if (!tensor) throw new InputError(`site '${site.name}' was not read`);
      const placements = subject.placements(batch);
      const siteTensor = { data: tensor.data as Float32Array, dims: tensor.dims, unitAxis: site.unitAxis };
      batch.forEach((_, n) => {
        const placement = placements[n];
        if (placement) out[start + n] = mean(unitMapOverImage(siteTensor, n, unit.index, placement).map);
      });
    }
    return out;
  };
}

/** The logit of a label, read from the manifest's logits site; undefined when there is none. */
function logitScorer(probe: OnnxProbe, label: string): ScoreFn | undefined {
  const { subject } = probe;
  const logitsSite = subject.manifest.output?.logits;
  const labels = subject.labels;
  if (logitsSite === undefined || !labels) return undefined;
  const index = labels.indexOf(label);
  if (index < 0) return undefined; // probe.scorer gives the error with near labels
  const site = subject.resolveSite(logitsSite);
  if (site.units !== labels.length) return undefined;
  return async (images) => {
    const out = new Float32Array(images.length);
    for (let start = 0; start < images.length; start += ONNX_BATCH) {
      const batch = images.slice(start, start + ONNX_BATCH);
      const run = await subject.read(subject.preprocess(batch), [site.name]);
      const data = run.sites[site.name]?.data as Float32Array;
      batch.forEach((_, n) => (out[start + n] = data[n * labels.length + index] ?? 0));
    }
    return out;
  };
}

export type CamResult =
  | { available: true; map: SaliencyMap; features: string }
  | { available: false; reason: string };

/**
 * Class Activation Mapping for an ONNX classifier label: needs a GAP → linear head on the subject's
 * output (cam-head.ts). The feature maps are cropped to the image before weighting, so the map lies
 * over the image like every other map. Returns the reason when CAM does not apply.
 */
export async function camForLabel(probe: Probe, target: SaliencyTarget, image: RgbImage): Promise<CamResult> {
  if (target.kind === 'unit') {
    return {
      available: false,
      reason: 'CAM explains a class output, not a unit',
    };
  }
  if (!(probe instanceof OnnxProbe) || !(probe.subject instanceof OnnxSubject)) {
    return { available: false, reason: 'CAM needs an ONNX classifier; this subject is synthetic' };
  }
  const { subject } = probe;
  const labels = subject.labels ?? [];
  const classIndex = labels.indexOf(target.label);
  if (classIndex < 0) {
    probe.scorer({ label: target.label }); // throws the error naming near labels
    return { available: false, reason: `no output label '${target.label}'` };
  }
  const outputName = subject.manifest.output?.name ?? subject.outputNames[0];
  const search = findCamHead(subject.decodedModel(), outputName);
  if (!search.available)
    return { available: false, reason: `CAM is unavailable for ${subject.name}: ${search.reason}` };
  const { head } = search;
  if (head.weights.classes !== labels.length) {
    return {
      available: false,
      reason: `CAM is unavailable for ${subject.name}: the linear head has ${head.weights.classes} classes but the output has ${labels.length} labels`,
    };
  }
  const site = subject.resolveSite(head.features);
  if (site.shape.length !== 4 || site.unitAxis !== 1 || site.units !== head.weights.channels) {
    return {
      available: false,
      reason: `CAM is unavailable for ${subject.name}: the pooled features '${site.name}' are not [N, ${head.weights.channels}, H, W]`,
    };
  }
  const run = await subject.read(subject.preprocess([image]), [site.name]);
  const tensor = run.sites[site.name];
  const placement = subject.placements([image])[0];
  if (!tensor || !placement) throw new InputError(`could not read the features '${site.name}'`);
  const siteTensor = { data: tensor.data as Float32Array, dims: tensor.dims, unitAxis: 1 };
  const channels: Float32Array[] = [];
  let width = 1;
  let height = 1;
  for (let c = 0; c < site.units; c++) {
    const raw = rawUnitMap(siteTensor, 0, c);
    const cropped = cropToImage(raw.values, raw.width, raw.height, placement);
    channels.push(cropped.values);
    width = cropped.width;
    height = cropped.height;
  }
  const data = new Float32Array(channels.length * width * height);
  channels.forEach((values, c) => data.set(values, c * width * height));
  const map = classActivationMap(
    { data, channels: channels.length, height, width },
    head.weights,
    classIndex,
    { width: image.width, height: image.height },
  );
  return { available: true, map, features: site.aliases[0] ?? site.name };
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return values.length > 0 ? sum / values.length : 0;
}
