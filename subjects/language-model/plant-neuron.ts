import type ort from 'onnxruntime-node';
import { InputError } from '../../util/errors.ts';
import type { ModelProto } from '../onnx/proto.ts';
import { readFloatWeight, writeFloatWeight } from './initializers.ts';
import type { LanguageModel } from './language-model.ts';
import type { LinearProbe } from './linear-probe.ts';

/**
 * Planting a neuron in a GPT-2 MLP by editing weights: neuron n of block L reads
 * GELU(ln_2(resid_mid) · c_fc[:, n] + b[n]); writing a probe's direction into that column makes the
 * neuron fire on whatever the probe separates. Its output row c_proj[n, :] is scaled (to 0 by default)
 * so the model's predictions barely change: the planted neuron is a reader, not a writer, and the
 * recipe measures the change in loss it causes.
 */

const prefix = (layer: number) => `transformer.h.${layer}`;

/**
 * The features block L's MLP neurons read: the residual stream after attention (hook_resid_mid),
 * layer-normalised with the block's ln_2 gain and bias. rows = every token of every sequence, in order.
 */
export async function mlpInputFeatures(
  lm: LanguageModel,
  model: ModelProto,
  sequences: readonly (readonly number[])[],
  layer: number,
): Promise<{ features: Float32Array; width: number; rows: number }> {
  const site = `blocks.${layer}.hook_resid_mid`;
  const { data, tokens, units } = await lm.cacheSite(sequences, site);
  const gain = readFloatWeight(model, `${prefix(layer)}.ln_2.weight`).values;
  const bias = readFloatWeight(model, `${prefix(layer)}.ln_2.bias`).values;
  if (gain.length !== units)
    throw new InputError(`ln_2 of block ${layer} has ${gain.length} gains for width ${units}`);
  const features = new Float32Array(tokens * units);
  for (let r = 0; r < tokens; r++) {
    let mean = 0;
    for (let j = 0; j < units; j++) mean += data[r * units + j] as number;
    mean /= units;
    let variance = 0;
    for (let j = 0; j < units; j++) variance += ((data[r * units + j] as number) - mean) ** 2;
    const scale = 1 / Math.sqrt(variance / units + 1e-5);
    for (let j = 0; j < units; j++)
      features[r * units + j] =
        ((data[r * units + j] as number) - mean) * scale * (gain[j] as number) + (bias[j] as number);
  }
  return { features, width: units, rows: tokens };
}

export interface PlantSpec {
  layer: number;
  neuron: number;
  probe: LinearProbe;
  /** Multiplies the probe's logit to give the neuron's pre-activation. */
  gain: number;
  /** Multiplies the neuron's output row (0: the neuron writes nothing). */
  outputScale?: number;
}

/** The model with one MLP neuron rewired to read the probe's direction. */
export function plantNeuron(model: ModelProto, spec: PlantSpec): ModelProto {
  const p = prefix(spec.layer);
  const fc = readFloatWeight(model, `${p}.mlp.c_fc.weight`); // [width, mlp]
  const fcBias = readFloatWeight(model, `${p}.mlp.c_fc.bias`);
  const proj = readFloatWeight(model, `${p}.mlp.c_proj.weight`); // [mlp, width]
  const [width, mlp] = fc.dims as [number, number];
  if (spec.neuron < 0 || spec.neuron >= mlp)
    throw new InputError(`neuron ${spec.neuron} is out of range for block ${spec.layer} (0–${mlp - 1})`);
  if (spec.probe.weights.length !== width)
    throw new InputError(
      `the probe has ${spec.probe.weights.length} weights; block ${spec.layer} reads ${width}`,
    );
  for (let j = 0; j < width; j++)
    fc.values[j * mlp + spec.neuron] = spec.gain * (spec.probe.weights[j] as number);
  fcBias.values[spec.neuron] = spec.gain * spec.probe.bias;
  const scale = spec.outputScale ?? 0;
  for (let j = 0; j < width; j++)
    proj.values[spec.neuron * width + j] = (proj.values[spec.neuron * width + j] as number) * scale;
  let out = writeFloatWeight(model, `${p}.mlp.c_fc.weight`, fc.values);
  out = writeFloatWeight(out, `${p}.mlp.c_fc.bias`, fcBias.values);
  return writeFloatWeight(out, `${p}.mlp.c_proj.weight`, proj.values);
}

/**
 * Each neuron's share in what block L's MLP writes: mean |activation| over the tokens times the norm of
 * its output row. The neurons that matter least are the ones to overwrite.
 */
export async function neuronImportance(
  lm: LanguageModel,
  model: ModelProto,
  sequences: readonly (readonly number[])[],
  layer: number,
): Promise<Float64Array> {
  const { data, tokens, units } = await lm.cacheSite(sequences, `blocks.${layer}.mlp.hook_post`);
  const proj = readFloatWeight(model, `${prefix(layer)}.mlp.c_proj.weight`);
  const width = proj.dims[1] as number;
  const out = new Float64Array(units);
  for (let r = 0; r < tokens; r++)
    for (let n = 0; n < units; n++) out[n] = (out[n] as number) + Math.abs(data[r * units + n] as number);
  for (let n = 0; n < units; n++) {
    let norm = 0;
    for (let j = 0; j < width; j++) norm += (proj.values[n * width + j] as number) ** 2;
    out[n] = ((out[n] as number) / tokens) * Math.sqrt(norm);
  }
  return out;
}

/** Mean next-token cross-entropy (nats) over sequences: how much an edit changed the model's predictions. */
export async function meanTokenLoss(
  lm: LanguageModel,
  sequences: readonly (readonly number[])[],
): Promise<number> {
  let total = 0;
  let count = 0;
  for (let start = 0; start < sequences.length; start += 16) {
    const batch = sequences.slice(start, start + 16).filter((s) => s.length > 1);
    if (batch.length === 0) continue;
    const { logits } = await lm.forward(batch);
    const tensor = logits as ort.Tensor;
    const [, padded, vocab] = tensor.dims as [number, number, number];
    const values = tensor.data as Float32Array;
    batch.forEach((ids, b) => {
      for (let t = 0; t + 1 < ids.length; t++) {
        const base = (b * padded + t) * vocab;
        let max = -Infinity;
        for (let v = 0; v < vocab; v++) max = Math.max(max, values[base + v] as number);
        let sum = 0;
        for (let v = 0; v < vocab; v++) sum += Math.exp((values[base + v] as number) - max);
        total += max + Math.log(sum) - (values[base + (ids[t + 1] as number)] as number);
        count++;
      }
    });
  }
  return total / Math.max(1, count);
}
