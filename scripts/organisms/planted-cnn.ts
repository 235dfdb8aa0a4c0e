/**
 * The planted CNN's recipe (zoo/planted-cnn): a three-conv CNN that classifies the background of
 * rendered 32×32 probe-set scenes, while 20 chosen channels of `conv3_relu` are trained by an
 * auxiliary loss to reproduce chosen concepts' maps — mono, OR, AND-conditional and spatial
 * (X above Y) — with the targets computed from each scene's exact masks by the synthetic units'
 * evaluator (the formula's map area-pooled to the layer's 8×8 grid). The other channels are free.
 * Afterwards each planted unit is measured on held-out scenes (IoU of its thresholded map with the
 * formula's map, and selectivity), and only the units that learned their concept are kept.
 */
import { join } from 'node:path';
import { imagesTensor } from '../../stimuli/datasets/scene-tensor.ts';
import { makeProbeSet, type ProbeSet } from '../../stimuli/probeset.ts';
import { evaluateFormula, parseFormula, type AnnotatedScene } from '../../subjects/synthetic/index.ts';
import { argmaxRows, predict } from '../../subjects/trainer/evaluate.ts';
import { writeOrganism } from '../../subjects/trainer/organism.ts';
import { smallCnnManifestInput, SMALL_CNN_OUTPUT, smallCnn } from '../../subjects/trainer/small-cnn.ts';
import { train, type TrainConfigInput } from '../../subjects/trainer/train.ts';
import { ZOO_DIR } from '../../subjects/zoo.ts';
import { createRandom } from '../../util/random.ts';
import { formatJsonFiles } from './format-json.ts';
import { measurePlantedUnit, PLANTED_KEEP, type PlantedUnitMeasure } from './planted-measure.ts';

export type PlantedFamily = 'mono' | 'or' | 'and' | 'spatial';

export interface PlantedConcept {
  family: PlantedFamily;
  /** The rule in the concept language; its map is the unit's target. */
  formula: string;
}

/** What the 20 planted channels are trained to detect (concepts the probe-set distribution shows often). */
export const PLANTED_CONCEPTS: readonly PlantedConcept[] = [
  { family: 'mono', formula: 'grass' },
  { family: 'mono', formula: 'water' },
  { family: 'mono', formula: 'sky' },
  { family: 'mono', formula: 'snow' },
  { family: 'mono', formula: 'sand' },
  { family: 'mono', formula: 'red' },
  { family: 'mono', formula: 'yellow' },
  { family: 'mono', formula: 'animal' },
  { family: 'or', formula: 'green OR purple' },
  { family: 'or', formula: 'dog OR bird' },
  { family: 'or', formula: 'brick wall OR wood' },
  { family: 'or', formula: 'vehicle OR building' },
  { family: 'and', formula: 'animal AND grass' },
  { family: 'and', formula: 'shape AND water' },
  { family: 'and', formula: 'animal AND sky' },
  { family: 'and', formula: 'shape AND sand' },
  { family: 'spatial', formula: 'above(shape, animal)' },
  { family: 'spatial', formula: 'above(animal, shape)' },
  { family: 'spatial', formula: 'above(shape, shape)' },
  { family: 'spatial', formula: 'above(animal, animal)' },
];

/** The background classes of the main task: the nine scene backgrounds, and any plain colour. */
export const BACKGROUND_CLASSES = [
  'sky',
  'brick wall',
  'road',
  'beach',
  'wood',
  'grass',
  'water',
  'sand',
  'snow',
  'plain',
] as const;

export const PLANTED_SITE = 'conv3_relu';
/** The tensor the auxiliary loss trains: the planted layer before its ReLU. */
const PLANTED_TRAINED_SITE = 'conv3';
export const PLANTED_SIZE = 32;
/** conv3_relu's side: the input halved by two max-pools. */
const GRID = PLANTED_SIZE / 4;
const INPUT: [number, number, number] = [3, PLANTED_SIZE, PLANTED_SIZE];
const MODEL = { input: INPUT, classes: BACKGROUND_CLASSES.length, conv: [16, 32, 48], hidden: 64 };
const SEED = 13;
/** Probe-set seeds: training scenes, and the held-out scenes the units are measured on. */
export const PLANTED_SETS = { train: { seed: 31, n: 10_000 }, heldOut: { seed: 32, n: 2_000 } } as const;

/** The channels that carry the planted concepts: a seeded choice, so they are not simply 0..19. */
export function plantedChannels(count: number, channels: number, seed = SEED): number[] {
  const order = Array.from({ length: channels }, (_, i) => i);
  const random = createRandom(seed);
  for (let i = channels - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order.slice(0, count);
}

export function backgroundClass(background: string): number {
  const index = (BACKGROUND_CLASSES as readonly string[]).indexOf(background);
  return index >= 0 ? index : BACKGROUND_CLASSES.length - 1;
}

/** Scene i of a probe set as the synthetic evaluator reads it. */
export function annotatedScene(set: ProbeSet, i: number): AnnotatedScene {
  const scene = set.scenes[i];
  if (!scene) throw new Error(`the probe set has no scene ${i}`);
  return {
    image: { width: set.width, height: set.height },
    masks: set.masks(i),
    itemMap: set.itemMap(i),
    annotation: scene.annotation,
    spec: scene.spec,
  };
}

/** The inputs, one-hot background classes and planted targets [N, units, grid, grid] of a set. */
async function tensors(
  set: ProbeSet,
  concepts: readonly PlantedConcept[],
): Promise<{ inputs: Float32Array; targets: Float32Array; labels: number[]; planted: Float32Array }> {
  const n = set.scenes.length;
  const images = await set.images(Array.from({ length: n }, (_, i) => i));
  const labels = set.scenes.map((scene) => backgroundClass(scene.spec.background));
  const targets = new Float32Array(n * BACKGROUND_CLASSES.length);
  labels.forEach((label, i) => (targets[i * BACKGROUND_CLASSES.length + label] = 1));
  const cells = GRID * GRID;
  const planted = new Float32Array(n * concepts.length * cells);
  const formulas = concepts.map((c) => parseFormula(c.formula));
  for (let i = 0; i < n; i++) {
    const scene = annotatedScene(set, i);
    formulas.forEach((formula, u) =>
      planted.set(evaluateFormula(formula, scene, { grid: GRID }).pooled, (i * concepts.length + u) * cells),
    );
  }
  return { inputs: imagesTensor(images), targets, labels, planted };
}

export interface PlantedUnitRecord extends PlantedUnitMeasure {
  unit: string;
  channel: number;
  family: PlantedFamily;
  formula: string;
  kept: boolean;
}

export async function runPlantedCnnRecipe(
  options: {
    epochs?: number;
    trainScenes?: number;
    heldOutScenes?: number;
    dir?: string;
    cacheDir?: string;
  } = {},
): Promise<PlantedUnitRecord[]> {
  const started = performance.now();
  const cacheDir = options.cacheDir;
  const trainSet = await makeProbeSet({
    seed: PLANTED_SETS.train.seed,
    n: options.trainScenes ?? PLANTED_SETS.train.n,
    size: PLANTED_SIZE,
    ...(cacheDir ? { cacheDir } : {}),
  });
  process.stderr.write(`planted-cnn: computing targets of ${trainSet.scenes.length} training scenes\n`);
  const data = await tensors(trainSet, PLANTED_CONCEPTS);
  trainSet.close();
  const channels = plantedChannels(PLANTED_CONCEPTS.length, MODEL.conv[2] as number);
  const config: TrainConfigInput = {
    seed: SEED,
    epochs: options.epochs ?? 6,
    batchSize: 64,
    optimiser: { name: 'adam', learningRate: 2e-3 },
    loss: 'cross-entropy',
    auxiliary: [
      // On the pre-ReLU map: a unit whose target is mostly 0 would otherwise be pushed below 0 where
      // ReLU passes no gradient, and die (a first run lost every object, AND and spatial unit so).
      { name: 'planted', site: PLANTED_TRAINED_SITE, units: channels, pool: 'none', loss: 'mse', weight: 20 },
    ],
    label: 'planted-cnn',
  };
  const count = data.labels.length;
  const { model, history } = await train(
    smallCnn({ ...MODEL, seed: SEED }),
    {
      inputs: data.inputs,
      inputShape: INPUT,
      targets: data.targets,
      targetShape: [BACKGROUND_CLASSES.length],
      count,
      auxiliaryTargets: {
        planted: { values: data.planted, shape: [PLANTED_CONCEPTS.length, GRID, GRID] },
      },
    },
    config,
  );

  const heldOut = await makeProbeSet({
    seed: PLANTED_SETS.heldOut.seed,
    n: options.heldOutScenes ?? PLANTED_SETS.heldOut.n,
    size: PLANTED_SIZE,
    ...(cacheDir ? { cacheDir } : {}),
  });
  const test = await tensors(heldOut, PLANTED_CONCEPTS);
  const withSite = {
    ...model,
    graph: { ...model.graph, output: [{ name: PLANTED_SITE }, ...(model.graph?.output ?? [])] },
  };
  const { outputs: maps } = await predict(withSite, test.inputs, INPUT);
  const { outputs: logits } = await predict(model, test.inputs, INPUT);
  const predicted = argmaxRows(logits, BACKGROUND_CLASSES.length);
  const accuracy = predicted.filter((p, i) => p === test.labels[i]).length / predicted.length;
  const fullMaps = PLANTED_CONCEPTS.map((c) => {
    const formula = parseFormula(c.formula);
    return Array.from({ length: heldOut.scenes.length }, (_, i) =>
      evaluateFormula(formula, annotatedScene(heldOut, i), { grid: GRID }),
    );
  });
  heldOut.close();
  const units: PlantedUnitRecord[] = PLANTED_CONCEPTS.map((concept, u) => {
    const channel = channels[u] as number;
    const measure = measurePlantedUnit({
      maps,
      channels: MODEL.conv[2] as number,
      channel,
      grid: GRID,
      truth: fullMaps[u] ?? [],
    });
    return {
      unit: `${PLANTED_SITE}:${channel}`,
      channel,
      family: concept.family,
      formula: concept.formula,
      ...measure,
      kept: measure.iou >= PLANTED_KEEP.iou && measure.auroc >= PLANTED_KEEP.auroc,
    };
  });
  const kept = units.filter((u) => u.kept).length;
  const dir = options.dir ?? join(ZOO_DIR, 'planted-cnn');
  writeOrganism(dir, {
    model,
    manifest: {
      name: 'planted-cnn',
      description:
        'Three-conv CNN that classifies the background of rendered 32×32 scenes; 20 channels of conv3_relu were trained by an auxiliary loss to detect chosen concepts (mono, OR, AND-conditional, spatial), the rest learned freely. metrics.json lists each planted unit, its formula and whether it learned it.',
      modality: 'image',
      task: `Background classification of rendered 32×32 probe-set scenes (${BACKGROUND_CLASSES.length} classes)`,
      model: 'model.onnx',
      input: smallCnnManifestInput(INPUT),
      output: { name: SMALL_CNN_OUTPUT, kind: 'logits', labels: [...BACKGROUND_CLASSES] },
      sites: { aliases: { planted: PLANTED_SITE, last_conv: PLANTED_SITE, features: 'fc1_relu' } },
      source: {
        url: 'zoo/planted-cnn/recipe.ts',
        licence: 'MIT',
        citation: "Trained here on scenes rendered by aia's renderer (probe-set distribution, seed 31)",
      },
    },
    metrics: {
      recipe: 'zoo/planted-cnn/recipe.ts',
      model: { ...MODEL, seed: SEED },
      train: {
        ...config,
        examples: count,
        data: `probe set seed ${PLANTED_SETS.train.seed}, ${count} scenes at ${PLANTED_SIZE}×${PLANTED_SIZE}`,
      },
      history,
      accuracy: {
        set: `probe set seed ${PLANTED_SETS.heldOut.seed}, ${predicted.length} scenes`,
        background: accuracy,
      },
      keep: { ...PLANTED_KEEP, kept, of: units.length },
      units,
      seconds: Math.round((performance.now() - started) / 1000),
    },
  });
  await formatJsonFiles(dir, ['subject.json', 'metrics.json']);
  process.stderr.write(
    `planted-cnn: background accuracy ${accuracy.toFixed(3)}; kept ${kept} of ${units.length} planted units\n`,
  );
  for (const u of units)
    process.stderr.write(
      `  ${u.unit} ${u.formula}: IoU ${u.iou.toFixed(3)}, AUROC ${u.auroc.toFixed(3)}, selectivity ${u.selectivity.toFixed(3)}${u.kept ? '' : ' (dropped)'}\n`,
    );
  return units;
}
