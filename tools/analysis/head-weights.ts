import type { ModelProto } from '../../subjects/onnx/proto.ts';
import { findCamHead, type CamHead } from './cam-head.ts';
import { ConstantReader } from './onnx-constants.ts';

/**
 * A unit's weights into a linear output head: where the output is global average pooling of a feature
 * tensor followed by one linear layer (cam-head.ts), logit_k = Σ_c w[k,c]·mean(F_c) + b_k, so channel
 * c's column w[·,c] says how much one unit more of its mean moves each logit. A unit one or more
 * per-channel steps before F (a max pool, an activation, a batch norm, a scale by a constant) reaches
 * the head through channel c alone, so its weights are the same column; the steps are named, since
 * they change the scale (and a non-monotone one could change the sign) of the unit's effect.
 */

/** Operations that act on each channel alone (same channel count in and out, no mixing). */
const PER_CHANNEL = new Set([
  'MaxPool', 'AveragePool', 'Relu', 'LeakyRelu', 'HardSwish', 'HardSigmoid', 'Sigmoid', 'Tanh', 'Clip',
  'Identity', 'Dropout', 'BatchNormalization', 'Mul', 'Div', 'Add', 'Sub',
]); // prettier-ignore
/** Arithmetic ops count as per-channel only with one dynamic input (the rest constants). */
const ARITHMETIC = new Set(['Mul', 'Div', 'Add', 'Sub']);

export interface HeadWeights {
  head: CamHead;
  /** The channel of the pooled features the unit reaches, and the ops between the unit's site and them. */
  channel: number;
  path: string[];
  /** w[k, channel] per class, in the head's class order. */
  weights: number[];
}

export type HeadWeightsSearch =
  | { available: true; result: HeadWeights }
  | { available: false; reason: string };

/**
 * The weights of unit `index` of tensor `site` into the model's linear head, or why there are none.
 * `outputName`: the graph output the head ends in (default: the first).
 */
export function unitHeadWeights(
  model: ModelProto,
  site: string,
  index: number,
  outputName?: string,
): HeadWeightsSearch {
  const search = findCamHead(model, outputName);
  if (!search.available)
    return { available: false, reason: `the output head is not linear: ${search.reason}` };
  const { head } = search;
  if (index < 0 || index >= head.weights.channels)
    return {
      available: false,
      reason: `the head reads ${head.weights.channels} channels of '${head.features}'; unit ${index} is not one`,
    };
  const path = perChannelPath(model, site, head.features);
  if (!path)
    return {
      available: false,
      reason:
        `the head is linear from '${head.features}' (${head.pooling} → linear), and '${site}' reaches it through ` +
        'operations that mix channels, so no single column of weights belongs to this unit',
    };
  const { data, channels, classes } = head.weights;
  const weights = Array.from({ length: classes }, (_, k) => data[k * channels + index] ?? 0);
  return { available: true, result: { head, channel: index, path, weights } };
}

/** Ops from `site` forward to `features` when every step is per-channel; undefined when not so. */
function perChannelPath(model: ModelProto, site: string, features: string): string[] | undefined {
  const reader = new ConstantReader(model);
  const { producers } = reader.index;
  const ops: string[] = [];
  let current = features;
  for (let step = 0; step < 64; step++) {
    if (current === site) return ops.reverse();
    const node = producers.get(current);
    const op = node?.op_type ?? '';
    if (!node || !PER_CHANNEL.has(op)) return undefined;
    const dynamic = (node.input ?? []).filter((name) => name !== '' && !reader.isConstant(name));
    // BatchNormalization's scale, bias, mean and variance are constants; its data input is the first.
    const next =
      op === 'BatchNormalization' ? node.input?.[0] : dynamic.length === 1 ? dynamic[0] : undefined;
    if (next === undefined || (ARITHMETIC.has(op) && dynamic.length !== 1)) return undefined;
    ops.push(op);
    current = next;
  }
  return undefined;
}
