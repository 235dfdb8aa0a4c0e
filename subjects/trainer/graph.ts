import { z } from 'zod';
import { InputError } from '../../util/errors.ts';
import { GraphBuilder } from '../autodiff/builder.ts';
import { ElemType, type ModelProto, type ValueInfoProto } from '../onnx/proto.ts';
import { LOSSES, VALUE_LOSS_NAMES, type LossName } from './losses.ts';

/**
 * The training model: the forward graph with its trainable weights turned into graph inputs (so one
 * compiled session serves every step, the weights being fed), and the loss appended as forward
 * nodes — the main loss against a fed target, L1 on chosen activations, auxiliary losses on chosen
 * units against their own fed targets — summed into one number per example that the autodiff
 * differentiates against the weights.
 */

export const ActivationL1 = z.strictObject({
  /** Tensor whose absolute values are penalised (summed over its non-batch axes). */
  site: z.string().min(1),
  weight: z.number().nonnegative(),
});
export type ActivationL1 = z.output<typeof ActivationL1>;

export const AuxiliaryLoss = z.strictObject({
  /** Names the target input (`aia.train.aux.<name>`) and the loss in the history. */
  name: z.string().regex(/^[A-Za-z0-9_-]+$/),
  site: z.string().min(1),
  /** Units (indices along axis 1) the loss trains. */
  units: z.array(z.number().int().nonnegative()).min(1),
  /** mean: one value per unit (spatial mean), target [N, units]; none: the whole map, target [N, units, …]. */
  pool: z.enum(['mean', 'none']).default('mean'),
  loss: z.enum(VALUE_LOSS_NAMES as [LossName, ...LossName[]]).default('mse'),
  weight: z.number().nonnegative().default(1),
});
export type AuxiliaryLoss = z.output<typeof AuxiliaryLoss>;

export interface TrainingModelSpec {
  /** Initializers trained (they become graph inputs). */
  params: readonly string[];
  loss: LossName;
  /** The tensor the main loss reads (the model's logits or prediction). */
  output: string;
  activationL1: readonly ActivationL1[];
  auxiliary: readonly AuxiliaryLoss[];
  /** Shapes of the sites the extra terms read, measured beforehand (rank matters). */
  ranks: ReadonlyMap<string, number>;
}

export interface TrainingModel {
  model: ModelProto;
  /** The per-example total loss [N] the gradient is taken of. */
  total: string;
  /** The per-example main loss [N]. */
  mainLoss: string;
  /** The main target input: float values shaped like the output, or int64 token ids (see the loss). */
  target: string;
  /** Target input of each auxiliary loss, and its per-example term. */
  auxiliary: Map<string, { input: string; term: string }>;
}

export const TARGET_INPUT = 'aia.train.target';
export const AUX_TARGET_PREFIX = 'aia.train.aux.';

function floatInput(name: string): ValueInfoProto {
  return { name, type: { tensor_type: { elem_type: ElemType.FLOAT } } };
}

function int64Input(name: string): ValueInfoProto {
  return { name, type: { tensor_type: { elem_type: ElemType.INT64 } } };
}

function rankOf(spec: TrainingModelSpec, site: string): number {
  const rank = spec.ranks.get(site);
  if (rank === undefined) throw new InputError(`the model has no tensor '${site}'`);
  return rank;
}

export function buildTrainingModel(source: ModelProto, spec: TrainingModelSpec): TrainingModel {
  const graph = source.graph ?? {};
  const initializers = graph.initializer ?? [];
  const byName = new Map(initializers.map((t) => [t.name ?? '', t]));
  for (const name of spec.params) {
    const t = byName.get(name);
    if (!t) throw new InputError(`'${name}' is not a weight (initializer) of the model`);
    if (t.data_type !== ElemType.FLOAT)
      throw new InputError(`weight '${name}' is not float32; only float32 weights train`);
  }
  const trained = new Set(spec.params);
  const b = new GraphBuilder(17, 'aia.train');
  const outputRank = rankOf(spec, spec.output);
  const main = LOSSES[spec.loss];
  const mainLoss = main.emit({ b, prediction: spec.output, target: TARGET_INPUT, rank: outputRank });
  const terms = [mainLoss];
  for (const { site, weight } of spec.activationL1) {
    const rank = rankOf(spec, site);
    const axes = Array.from({ length: rank - 1 }, (_, i) => i + 1);
    const absolute = b.op('Abs', [site]);
    const summed = axes.length > 0 ? b.reduceSum(absolute, axes, false) : absolute;
    terms.push(b.mul(summed, b.scalar(weight)));
  }
  const auxiliary = new Map<string, { input: string; term: string }>();
  for (const aux of spec.auxiliary) {
    if (auxiliary.has(aux.name)) throw new InputError(`two auxiliary losses are named '${aux.name}'`);
    const rank = rankOf(spec, aux.site);
    if (rank < 2) throw new InputError(`auxiliary loss '${aux.name}': site '${aux.site}' has no unit axis`);
    const input = `${AUX_TARGET_PREFIX}${aux.name}`;
    const chosen = b.op('Gather', [aux.site, b.int64(aux.units)], [{ name: 'axis', type: 2, i: 1 }], 'units');
    const spatial = Array.from({ length: rank - 2 }, (_, i) => i + 2);
    const pooled = aux.pool === 'mean' && spatial.length > 0 ? b.reduceMean(chosen, spatial, false) : chosen;
    const pooledRank = aux.pool === 'mean' ? 2 : rank;
    const term = LOSSES[aux.loss].emit({ b, prediction: pooled, target: input, rank: pooledRank });
    terms.push(b.mul(term, b.scalar(aux.weight)));
    auxiliary.set(aux.name, { input, term });
  }
  const total = terms.length > 1 ? b.sum(terms) : b.op('Identity', [mainLoss], [], 'total');
  return {
    model: {
      ...source,
      graph: {
        ...graph,
        node: [...(graph.node ?? []), ...b.nodes],
        initializer: [...initializers.filter((t) => !trained.has(t.name ?? '')), ...b.initializers],
        input: [
          ...(graph.input ?? []).filter((v) => !trained.has(v.name ?? '')),
          ...spec.params.map((name) => ({
            name,
            type: {
              tensor_type: {
                elem_type: ElemType.FLOAT,
                shape: { dim: (byName.get(name)?.dims ?? []).map((d) => ({ dim_value: d })) },
              },
            },
          })),
          main.targets === 'token-ids' ? int64Input(TARGET_INPUT) : floatInput(TARGET_INPUT),
          ...[...auxiliary.values()].map(({ input }) => floatInput(input)),
        ],
        output: [...(graph.output ?? []), floatInput(total), floatInput(mainLoss)],
      },
    },
    total,
    mainLoss,
    target: TARGET_INPUT,
    auxiliary,
  };
}
