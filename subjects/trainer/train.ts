import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { z } from 'zod';
import { InputError } from '../../util/errors.ts';
import { Progress } from '../../util/progress.ts';
import { createRandom, hash32 } from '../../util/random.ts';
import { buildGradientGraph } from '../autodiff/compile.ts';
import { decodeModel, encodeModel, type ModelProto } from '../onnx/proto.ts';
import { createSession, defaultSessionOptions, transformerSessionOptions } from '../onnx/session.ts';
import { ActivationL1, AuxiliaryLoss, buildTrainingModel } from './graph.ts';
import { LOSS_NAMES, LOSSES, type LossName } from './losses.ts';
import { createOptimiser, OptimiserConfig } from './optimisers.ts';
import { magnitudeMasks } from './prune.ts';
import { batchSource, type TrainingSet } from './sets.ts';
import { readWeights, withWeights, type Weight } from './weights.ts';

/**
 * Training a model whose weights are ONNX initializers: each step feeds a batch and the current
 * weights to one compiled forward+backward graph (the autodiff's), reads the loss and the weights'
 * gradients, and updates the weights in place with the optimiser. The loss is the mean over the
 * batch of the per-example total (main loss + L1 on activations + auxiliary losses); L1 on weights
 * and pruning masks act on the weights directly. Everything random (the order of examples) comes
 * from the seed, and onnxruntime's kernels are deterministic at a fixed thread count, so a config
 * and a seed give the same weights.
 */

export const TrainConfig = z.strictObject({
  seed: z.number().int(),
  epochs: z.number().int().positive(),
  /** Examples per step; a last partial batch is dropped (one compiled graph serves one batch shape). */
  batchSize: z.number().int().positive(),
  optimiser: OptimiserConfig,
  loss: z.enum(LOSS_NAMES as [LossName, ...LossName[]]),
  /** The tensor the main loss reads (default: the model's first output). */
  output: z.string().optional(),
  /** Weights to train (default: every float32 initializer). */
  params: z.array(z.string()).optional(),
  /** λ·Σ|w| added to the loss, over the listed weights (default: every trained weight). */
  weightL1: z
    .strictObject({ weight: z.number().nonnegative(), params: z.array(z.string()).optional() })
    .optional(),
  activationL1: z.array(ActivationL1).default([]),
  auxiliary: z.array(AuxiliaryLoss).default([]),
  /** After the given epoch, zero the smallest |w| of each listed weight and keep them zero. */
  prune: z
    .strictObject({
      fraction: z.number().min(0).max(1),
      afterEpoch: z.number().int().positive(),
      params: z.array(z.string()).optional(),
    })
    .optional(),
  /**
   * Learning-rate schedule: a linear warm-up over the first steps, then constant or a cosine decay
   * to `floor` × the rate at the last step (what small GPTs are usually trained with).
   */
  schedule: z
    .strictObject({
      warmupSteps: z.number().int().nonnegative().default(0),
      decay: z.enum(['constant', 'cosine']).default('constant'),
      floor: z.number().min(0).max(1).default(0.1),
    })
    .optional(),
  /** Scale the gradients so their global L2 norm is at most this (after averaging over the batch). */
  clipNorm: z.number().positive().optional(),
  /** Folder for `epoch-<k>.onnx` (the model) and `epoch-<k>.json` (optimiser state, masks). */
  checkpointDir: z.string().optional(),
  /** A checkpoint's `epoch-<k>.json` to continue from. */
  resume: z.string().optional(),
  /** Write the epoch's running mean loss to stderr every this many steps (long epochs). */
  logEvery: z.number().int().positive().optional(),
  /**
   * onnxruntime's graph optimisation for the training sessions. Transformers need 'basic': the
   * 'extended' fusions (attention, LayerNorm) crash onnxruntime 1.30 when a fused tensor is also an
   * output, which forward tensors the backward pass reads are (see transformerSessionOptions).
   */
  graphOptimization: z.enum(['basic', 'all']).default('all'),
  /** Name on progress lines. */
  label: z.string().default('train'),
  /** No epoch lines on stderr. */
  quiet: z.boolean().default(false),
});
export type TrainConfig = z.output<typeof TrainConfig>;
export type TrainConfigInput = z.input<typeof TrainConfig>;

export type { TokenSet, TrainingSet, ValueSet } from './sets.ts';

export interface EpochRecord {
  epoch: number;
  /** Mean main loss over the epoch's steps. */
  loss: number;
  /** Mean total loss (with activation L1 and auxiliary terms). */
  total: number;
  /** Fraction of examples (tokens, for next-token) whose arg-max output matched the target (cross-entropies only). */
  accuracy?: number;
  seconds: number;
}

export interface TrainResult {
  /** The source model with the trained weights as its initializers. */
  model: ModelProto;
  weights: Map<string, Weight>;
  history: EpochRecord[];
}

interface CheckpointState {
  epoch: number;
  optimiser: ReturnType<ReturnType<typeof createOptimiser>['state']>;
  masks: Record<string, number[]>;
  history: EpochRecord[];
}

function inputName(model: ModelProto): string {
  const initializers = new Set((model.graph?.initializer ?? []).map((t) => t.name));
  const input = (model.graph?.input ?? []).find((v) => !initializers.has(v.name));
  if (!input?.name) throw new InputError('the model has no input to feed');
  return input.name;
}

/** Ranks of tensors, measured by running the model on one example. */
async function measureRanks(
  sessionOptions: ort.InferenceSession.SessionOptions,
  model: ModelProto,
  input: string,
  example: ort.Tensor,
  names: readonly string[],
): Promise<Map<string, number>> {
  const known = new Set((model.graph?.node ?? []).flatMap((n) => n.output ?? []));
  for (const name of names) if (!known.has(name)) throw new InputError(`the model has no tensor '${name}'`);
  const probe = { ...model, graph: { ...model.graph, output: names.map((name) => ({ name })) } };
  const session = await createSession(probe, sessionOptions, '.', 'the model to train');
  try {
    const out = await session.run({ [input]: example }, [...names]);
    return new Map(names.map((name) => [name, (out[name] as ort.Tensor).dims.length]));
  } finally {
    await session.release();
  }
}

function shuffled(count: number, seed: number, epoch: number): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  // One stream per epoch, derived from the seed, so a resumed run shuffles as an unbroken one.
  const random = createRandom(hash32(seed, epoch));
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return order;
}

export async function train(
  source: ModelProto,
  set: TrainingSet,
  configInput: TrainConfigInput,
): Promise<TrainResult> {
  const config = TrainConfig.parse(configInput);
  const sessionOptions =
    config.graphOptimization === 'basic' ? transformerSessionOptions() : defaultSessionOptions();
  const batches = batchSource(set);
  if (batches.count < config.batchSize)
    throw new InputError(`${batches.count} examples do not fill one batch of ${config.batchSize}`);
  if (LOSSES[config.loss].targets !== batches.targets) {
    throw new InputError(
      `loss '${config.loss}' needs ${LOSSES[config.loss].targets === 'token-ids' ? 'a token set (kind: tokens)' : 'float targets'}, ` +
        `but the training set has ${batches.targets === 'token-ids' ? 'token windows' : 'float targets'}`,
    );
  }
  const input = inputName(source);
  const output = config.output ?? source.graph?.output?.[0]?.name;
  if (!output) throw new InputError('the model has no output to train');
  const weights = readWeights(source, config.params);
  const params = [...weights.keys()];
  if (params.length === 0) throw new InputError('the model has no float32 weights to train');

  const sites = [
    ...new Set([output, ...config.activationL1.map((a) => a.site), ...config.auxiliary.map((a) => a.site)]),
  ];
  const ranks = await measureRanks(sessionOptions, source, input, batches.example(), sites);
  const training = buildTrainingModel(source, {
    params,
    loss: config.loss,
    output,
    activationL1: config.activationL1,
    auxiliary: config.auxiliary,
    ranks,
  });
  const probeOrder = Uint32Array.of(0);
  for (const aux of config.auxiliary) {
    if (!batches.auxiliary(aux.name, probeOrder, 0, 1))
      throw new InputError(`no targets were given for auxiliary loss '${aux.name}'`);
  }

  const batch = config.batchSize;
  const weightFeeds = () =>
    Object.fromEntries(
      params.map((name) => {
        const w = weights.get(name) as Weight;
        return [name, new ort.Tensor('float32', w.values, w.dims)];
      }),
    );
  const batchFeeds = (order: Uint32Array, from: number): Record<string, ort.Tensor> => {
    const feeds: Record<string, ort.Tensor> = {
      ...weightFeeds(),
      [input]: batches.input(order, from, batch),
      [training.target]: batches.target(order, from, batch),
    };
    for (const [name, { input: auxInput }] of training.auxiliary)
      feeds[auxInput] = batches.auxiliary(name, order, from, batch) as ort.Tensor;
    return feeds;
  };

  const first = batchFeeds(shuffled(batches.count, config.seed, 0), 0);
  const compiled = await buildGradientGraph(
    training.model,
    first,
    {
      objective: { tensor: training.total, unitAxis: -1, pool: 'sum' },
      wrt: params,
      read: [output, training.mainLoss],
    },
    async (model, fetches) => {
      const session = await createSession(model, sessionOptions, '.', 'the training graph');
      try {
        return await session.run(first, fetches);
      } finally {
        await session.release();
      }
    },
  );
  const session = await createSession(compiled.model, sessionOptions, '.', 'the training graph');
  const optimiser = createOptimiser(config.optimiser);
  const masks = new Map<string, Uint8Array>();
  const l1 = config.weightL1 ? new Set(config.weightL1.params ?? params) : new Set<string>();
  for (const name of l1)
    if (!weights.has(name)) throw new InputError(`weightL1 names '${name}', which is not trained`);
  let history: EpochRecord[] = [];
  let startEpoch = 1;
  if (config.resume) {
    const modelPath = config.resume.replace(/\.json$/, '.onnx');
    for (const path of [config.resume, modelPath]) {
      if (!existsSync(path)) throw new InputError(`cannot resume: checkpoint file '${path}' does not exist`);
    }
    const state = JSON.parse(readFileSync(config.resume, 'utf8')) as CheckpointState;
    const model = decodeModel(readFileSync(modelPath), modelPath);
    for (const [name, w] of readWeights(model, params)) (weights.get(name) as Weight).values.set(w.values);
    optimiser.restore(state.optimiser);
    for (const [name, kept] of Object.entries(state.masks)) masks.set(name, Uint8Array.from(kept));
    history = state.history;
    startEpoch = state.epoch + 1;
  }

  const fetches = [compiled.objectiveOutput, training.mainLoss, output, ...compiled.gradientOutputs.values()];
  const steps = Math.floor(batches.count / batch);
  const classification = config.loss === 'cross-entropy' || config.loss === 'next-token';
  const learningRateScale = schedule(config, steps);
  try {
    for (let epoch = startEpoch; epoch <= config.epochs; epoch++) {
      const started = performance.now();
      const order = shuffled(batches.count, config.seed, epoch);
      const progress = new Progress(`${config.label} epoch ${epoch}/${config.epochs}`, steps);
      let lossSum = 0;
      let totalSum = 0;
      let correct = 0;
      let scored = 0;
      for (let step = 0; step < steps; step++) {
        const from = step * batch;
        const feeds = batchFeeds(order, from);
        const result = await session.run(feeds, fetches);
        totalSum += sumOf(result[compiled.objectiveOutput] as ort.Tensor);
        lossSum += sumOf(result[training.mainLoss] as ort.Tensor);
        if (classification) {
          const score = batches.score(
            (result[output] as ort.Tensor).data as Float32Array,
            feeds[training.target] as ort.Tensor,
          );
          correct += score.correct;
          scored += score.scored;
        }
        const grads = new Map<string, Float32Array>();
        for (const name of params) {
          const g = Float32Array.from(
            (result[compiled.gradientOutputs.get(name) as string] as ort.Tensor).data as Float32Array,
          );
          const w = (weights.get(name) as Weight).values;
          for (let i = 0; i < g.length; i++) g[i] = (g[i] as number) / batch;
          if (l1.has(name)) {
            const lambda = config.weightL1?.weight ?? 0;
            for (let i = 0; i < g.length; i++) g[i] = (g[i] as number) + lambda * Math.sign(w[i] as number);
          }
          grads.set(name, g);
        }
        if (config.clipNorm !== undefined) clipGlobalNorm(grads, config.clipNorm);
        optimiser.step(
          new Map(params.map((name) => [name, (weights.get(name) as Weight).values])),
          grads,
          learningRateScale((epoch - 1) * steps + step),
        );
        for (const [name, mask] of masks) applyMask((weights.get(name) as Weight).values, mask);
        progress.update(step + 1);
        if (config.logEvery && (step + 1) % config.logEvery === 0 && !config.quiet) {
          const k = step + 1;
          process.stderr.write(
            `${config.label} epoch ${epoch} step ${k}/${steps}: loss ${(lossSum / (k * batch)).toFixed(4)}, ` +
              `${((performance.now() - started) / 1000 / k).toFixed(2)} s/step\n`,
          );
        }
      }
      progress.done();
      if (config.prune && epoch === config.prune.afterEpoch) {
        const pruned =
          config.prune.params ?? params.filter((name) => (weights.get(name) as Weight).dims.length > 1);
        for (const [name, mask] of magnitudeMasks(weights, pruned, config.prune.fraction)) {
          masks.set(name, mask);
          applyMask((weights.get(name) as Weight).values, mask);
        }
      }
      const seen = steps * batch;
      const record: EpochRecord = {
        epoch,
        loss: lossSum / seen,
        total: totalSum / seen,
        ...(classification ? { accuracy: correct / scored } : {}),
        seconds: (performance.now() - started) / 1000,
      };
      history.push(record);
      if (!config.quiet) {
        process.stderr.write(
          `${config.label} epoch ${epoch}/${config.epochs}: loss ${record.loss.toFixed(4)}` +
            (record.accuracy !== undefined ? `, accuracy ${(100 * record.accuracy).toFixed(1)}%` : '') +
            `, ${record.seconds.toFixed(1)} s\n`,
        );
      }
      if (config.checkpointDir) {
        writeCheckpoint(config.checkpointDir, epoch, withWeights(source, weights), {
          epoch,
          optimiser: optimiser.state(),
          masks: Object.fromEntries([...masks].map(([name, mask]) => [name, Array.from(mask)])),
          history,
        });
      }
    }
  } finally {
    await session.release();
  }
  return { model: withWeights(source, weights), weights, history };
}

/** The learning-rate multiplier at a global step (0-based), from the config's schedule. */
function schedule(config: TrainConfig, stepsPerEpoch: number): (step: number) => number {
  const plan = config.schedule;
  if (!plan) return () => 1;
  const total = stepsPerEpoch * config.epochs;
  return (step) => {
    if (step < plan.warmupSteps) return (step + 1) / plan.warmupSteps;
    if (plan.decay === 'constant') return 1;
    const progress = Math.min(1, (step - plan.warmupSteps) / Math.max(1, total - plan.warmupSteps));
    return plan.floor + (1 - plan.floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
  };
}

/** Scale every gradient by min(1, limit / ‖g‖) with ‖g‖ the L2 norm over all of them together. */
function clipGlobalNorm(grads: Map<string, Float32Array>, limit: number): void {
  let squares = 0;
  for (const g of grads.values()) for (const v of g) squares += v * v;
  const norm = Math.sqrt(squares);
  if (norm <= limit) return;
  const factor = limit / norm;
  for (const g of grads.values()) for (let i = 0; i < g.length; i++) g[i] = (g[i] as number) * factor;
}

function sumOf(tensor: ort.Tensor): number {
  let sum = 0;
  for (const v of tensor.data as Float32Array) sum += v;
  return sum;
}

function applyMask(values: Float32Array, mask: Uint8Array): void {
  for (let i = 0; i < values.length; i++) if (mask[i] === 0) values[i] = 0;
}

function writeCheckpoint(dir: string, epoch: number, model: ModelProto, state: CheckpointState): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `epoch-${epoch}.onnx`), encodeModel(model));
  writeFileSync(join(dir, `epoch-${epoch}.json`), JSON.stringify(state));
}
