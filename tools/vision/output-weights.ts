import { z } from 'zod';
import { OnnxSubject } from '../../subjects/onnx/onnx-subject.ts';
import type { ToolContext } from '../context.ts';
import { unitHeadWeights } from '../analysis/head-weights.ts';
import { withToolErrors } from '../common/errors.ts';
import { fmt } from '../common/format.ts';
import { UnitArg, unitLabel } from '../common/unit-args.ts';
import { OnnxProbe } from '../probe/onnx-probe.ts';
import { defineTool, ToolError } from '../tool.ts';

/**
 * output_weights: a unit's weights into the subject's output layer, where the head is linear (global
 * average pooling, then one linear layer). Ablations of one unit barely move a saturated probability;
 * the weights say directly which label the unit votes for and how strongly, and how it ranks among
 * the channels the head reads.
 */

const NAME = 'output_weights';
const Input = z.strictObject({ unit: UnitArg });

export interface OutputWeightsData {
  unit: string;
  /** The pooled feature tensor the head reads, and the per-channel ops from the unit's site to it. */
  features: string;
  path: string[];
  labels: string[];
  /** w[label, unit's channel], in label order. */
  weights: number[];
  bias: number[] | null;
  /** Per label: the rank of |w| for this channel among all channels the head reads (1 = largest). */
  ranks: number[];
  channels: number;
}

export const outputWeightsTool = defineTool({
  name: NAME,
  description:
    "A unit's weights into the subject's output layer, where the output is global average pooling followed by " +
    "one linear layer (logit_k = Σ_c w[k,c]·mean(channel c) + b_k): for each label the weight of the unit's " +
    'channel (how much one unit more of its mean activation moves that logit), the difference between labels, ' +
    "and how the weight ranks among the head's channels. Works for units of the pooled features and of any site " +
    'that reaches them through per-channel steps (max pool, activation, batch norm); otherwise it says why not. ' +
    'Use it for units near the output, where single-unit ablations barely move saturated probabilities.',
  input: Input,
  async execute(args, ctx: ToolContext) {
    return withToolErrors(NAME, async () => {
      const { probe } = ctx;
      if (!(probe instanceof OnnxProbe) || !(probe.subject instanceof OnnxSubject))
        throw new ToolError(
          `${NAME}: needs an ONNX model with a linear output head; this subject is synthetic`,
          NAME,
        );
      const unit = probe.parseUnit(args.unit);
      const subject = probe.subject;
      const outputName = subject.manifest.output?.name ?? subject.outputNames[0];
      const search = unitHeadWeights(subject.decodedModel(), unit.site, unit.index, outputName);
      if (!search.available) throw new ToolError(`${NAME}: ${search.reason}`, NAME);
      const { head, path, weights } = search.result;
      const labels = Array.from({ length: head.weights.classes }, (_, k) => subject.labels?.[k] ?? String(k));
      const { data, channels } = head.weights;
      const ranks = weights.map((w, k) => {
        let larger = 0;
        for (let c = 0; c < channels; c++) if (Math.abs(data[k * channels + c] ?? 0) > Math.abs(w)) larger++;
        return larger + 1;
      });
      const name = unitLabel(ctx, unit);
      const route = path.length > 0 ? `${path.join(' → ')} → ` : '';
      const lines = [
        `${name} reaches the output through ${route}${head.pooling} → linear (channel ${unit.index} of '${head.features}', ` +
          `${channels} channels).`,
        `Weights into each logit: ${labels.map((l, k) => `${l} ${signed(weights[k] ?? 0)} (|w| rank ${ranks[k]} of ${channels})`).join(', ')}.`,
      ];
      if (labels.length === 2)
        lines.push(
          `Logit difference ${labels[0]} − ${labels[1]}: ${signed((weights[0] ?? 0) - (weights[1] ?? 0))} per unit of the ` +
            `channel's mean: the unit votes for ${(weights[0] ?? 0) >= (weights[1] ?? 0) ? labels[0] : labels[1]}.`,
        );
      if (path.length > 0)
        lines.push(
          `Between the unit and the pooled channel: ${path.join(', ')} — the sign holds through monotone steps, ` +
            'the scale does not.',
        );
      const result: OutputWeightsData = {
        unit: unit.id,
        features: head.features,
        path,
        labels,
        weights,
        bias: head.bias ? Array.from(head.bias) : null,
        ranks,
        channels,
      };
      return { text: lines.join('\n'), images: [], data: result };
    });
  },
});

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${fmt(value)}`;
}
