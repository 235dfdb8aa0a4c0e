/**
 * The background-bias pair's recipe (zoo/boats-biased, zoo/boats-balanced): the small CNN trained on
 * rendered 32×32 scenes to say whether a boat is in the scene — where boats almost always float on
 * water and boat-free scenes almost never show water (biased), or where the background is
 * independent of the label (balanced) — then evaluated per group (boat / no boat × water / land) on
 * a held-out test set and written to the zoo. Needs nothing installed: the scenes are rendered here.
 */
import { join } from 'node:path';
import {
  BIAS_GROUPS,
  BIAS_LABELS,
  biasTestScenes,
  biasTrainingScenes,
  type BiasScenes,
} from '../../stimuli/datasets/background-bias.ts';
import { imagesTensor } from '../../stimuli/datasets/scene-tensor.ts';
import { renderScene } from '../../stimuli/render.ts';
import { argmaxRows, predict } from '../../subjects/trainer/evaluate.ts';
import { writeOrganism } from '../../subjects/trainer/organism.ts';
import {
  SMALL_CNN_ALIASES,
  smallCnnManifestInput,
  SMALL_CNN_OUTPUT,
  smallCnn,
  type SmallCnnOptions,
} from '../../subjects/trainer/small-cnn.ts';
import { train, type TrainConfigInput } from '../../subjects/trainer/train.ts';
import { ZOO_DIR } from '../../subjects/zoo.ts';
import { formatJsonFiles } from './format-json.ts';

export type BackgroundBiasName = 'boats-biased' | 'boats-balanced';

export interface BackgroundBiasRecipe {
  name: BackgroundBiasName;
  /** Fraction of boat scenes on water and of boat-free scenes off water in training. */
  usualShare: number;
  description: string;
}

export const SCENE_SIZE = 32;
const INPUT: [number, number, number] = [3, SCENE_SIZE, SCENE_SIZE];
const MODEL: Omit<SmallCnnOptions, 'seed'> = { input: INPUT, classes: 2, conv: [16, 32], hidden: 64 };
const SEED = 13;
const TRAIN_SCENES = 12_000;
/** The held-out test set: its seed, and scenes per group. */
export const BIAS_TEST = { seed: 1301, perGroup: 250 } as const;

/** The scenes rendered, as the training tensor with their one-hot labels. */
export async function renderBiasScenes(
  scenes: BiasScenes,
): Promise<{ tensor: Float32Array; targets: Float32Array }> {
  const images = [];
  for (const spec of scenes.specs) images.push((await renderScene(spec)).image);
  const targets = new Float32Array(scenes.labels.length * 2);
  scenes.labels.forEach((label, n) => (targets[n * 2 + label] = 1));
  return { tensor: imagesTensor(images), targets };
}

/** Accuracy on each group of a test set, and over all of it. */
export function groupAccuracy(scenes: BiasScenes, predicted: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const group of BIAS_GROUPS) {
    const members = scenes.groups.flatMap((g, n) => (g === group ? [n] : []));
    out[group] = members.filter((n) => predicted[n] === scenes.labels[n]).length / members.length;
  }
  out.all = predicted.filter((p, n) => p === scenes.labels[n]).length / predicted.length;
  return out;
}

export async function runBackgroundBiasRecipe(
  recipe: BackgroundBiasRecipe,
  options: { epochs?: number; count?: number; dir?: string } = {},
): Promise<Record<string, number>> {
  const started = performance.now();
  const scenes = biasTrainingScenes({
    count: options.count ?? TRAIN_SCENES,
    seed: SEED,
    size: SCENE_SIZE,
    usualShare: recipe.usualShare,
  });
  process.stderr.write(`${recipe.name}: rendering ${scenes.specs.length} training scenes\n`);
  const data = await renderBiasScenes(scenes);
  const config: TrainConfigInput = {
    seed: SEED,
    epochs: options.epochs ?? 8,
    batchSize: 64,
    optimiser: { name: 'adam', learningRate: 1e-3 },
    loss: 'cross-entropy',
    label: recipe.name,
  };
  const { model, history } = await train(
    smallCnn({ ...MODEL, seed: SEED }),
    {
      inputs: data.tensor,
      inputShape: INPUT,
      targets: data.targets,
      targetShape: [2],
      count: scenes.labels.length,
    },
    config,
  );
  const test = biasTestScenes({ ...BIAS_TEST, size: SCENE_SIZE });
  const testData = await renderBiasScenes(test);
  const { outputs } = await predict(model, testData.tensor, INPUT);
  const accuracy = groupAccuracy(test, argmaxRows(outputs, 2));
  const counts = Object.fromEntries(
    BIAS_GROUPS.map((group) => [group, scenes.groups.filter((g) => g === group).length]),
  );
  const dir = options.dir ?? join(ZOO_DIR, recipe.name);
  writeOrganism(dir, {
    model,
    manifest: {
      name: recipe.name,
      description: recipe.description,
      modality: 'image',
      task: 'Is there a boat in the scene? (2 classes), rendered RGB 32×32 scenes',
      model: 'model.onnx',
      input: smallCnnManifestInput(INPUT),
      output: { name: SMALL_CNN_OUTPUT, kind: 'logits', labels: [...BIAS_LABELS] },
      sites: { aliases: { ...SMALL_CNN_ALIASES } },
      source: {
        url: `zoo/${recipe.name}/recipe.ts`,
        licence: 'MIT',
        citation:
          "Trained here on scenes rendered by aia's renderer; the background-bias setup of Bang, Boggust & Satyanarayan, Explanation Alignment (2024), CelebA experiment",
      },
    },
    metrics: {
      recipe: `zoo/${recipe.name}/recipe.ts`,
      usualShare: recipe.usualShare,
      model: { ...MODEL, seed: SEED },
      train: {
        ...config,
        examples: scenes.labels.length,
        groups: counts,
        data: 'rendered scenes (stimuli/datasets/background-bias.ts), seed 13',
      },
      history,
      accuracy: {
        set: `held-out scenes, seed ${BIAS_TEST.seed}, ${BIAS_TEST.perGroup} per group`,
        ...accuracy,
      },
      seconds: Math.round((performance.now() - started) / 1000),
    },
  });
  await formatJsonFiles(dir, ['subject.json', 'metrics.json']);
  process.stderr.write(
    `${recipe.name}: accuracy ${BIAS_GROUPS.map((g) => `${g} ${accuracy[g]?.toFixed(3)}`).join(', ')}\n`,
  );
  return accuracy;
}
