/**
 * The spurious pair's recipe (zoo/fashion-normal, zoo/fashion-spurious): the small CNN trained on
 * Fashion-MNIST with a coloured square in the top-left corner — of a random class's colour for the
 * normal model, of the label's colour for the spurious one — then evaluated on the committed test
 * subset with the correlation holding and broken, and written to the zoo.
 *
 * Needs the full training set: `apt-get install dataset-fashion-mnist` (Debian/Ubuntu).
 */
import { join } from 'node:path';
import {
  FASHION_MNIST_LABELS,
  loadFashionMnist,
  loadFashionMnistSubset,
} from '../../stimuli/datasets/fashion-mnist.ts';
import {
  oneHot,
  TEST_SQUARE_SEEDS,
  withSquares,
  type SquareVariant,
} from '../../stimuli/datasets/spurious-square.ts';
import { ZOO_DIR } from '../../subjects/zoo.ts';
import { accuracy } from '../../subjects/trainer/evaluate.ts';
import { writeOrganism } from '../../subjects/trainer/organism.ts';
import {
  SMALL_CNN_ALIASES,
  smallCnnManifestInput,
  SMALL_CNN_OUTPUT,
  smallCnn,
  type SmallCnnOptions,
} from '../../subjects/trainer/small-cnn.ts';
import { train, type TrainConfigInput } from '../../subjects/trainer/train.ts';
import { formatJsonFiles } from './format-json.ts';

export interface SpuriousPairRecipe {
  name: 'fashion-normal' | 'fashion-spurious';
  /** How the training images' square relates to the label. */
  trainSquares: SquareVariant;
  description: string;
}

const INPUT: [number, number, number] = [3, 28, 28];
const MODEL: Omit<SmallCnnOptions, 'seed'> = { input: INPUT, classes: 10, conv: [16, 32], hidden: 64 };
const SEED = 13;

export async function runSpuriousPairRecipe(
  recipe: SpuriousPairRecipe,
  options: { epochs?: number } = {},
): Promise<void> {
  const started = performance.now();
  const full = loadFashionMnist('train');
  const squares = withSquares(full, recipe.trainSquares, SEED);
  const config: TrainConfigInput = {
    seed: SEED,
    epochs: options.epochs ?? 2,
    batchSize: 64,
    optimiser: { name: 'adam', learningRate: 1e-3 },
    loss: 'cross-entropy',
    label: recipe.name,
  };
  const { model, history } = await train(
    smallCnn({ ...MODEL, seed: SEED }),
    {
      inputs: squares.tensor,
      inputShape: INPUT,
      targets: oneHot(squares.labels, 10),
      targetShape: [10],
      count: squares.count,
    },
    config,
  );
  const subset = loadFashionMnistSubset();
  const evaluation: Record<string, number> = {};
  for (const variant of ['correlated', 'broken', 'none'] as const) {
    const test = withSquares(subset, variant, TEST_SQUARE_SEEDS[variant]);
    evaluation[variant] = await accuracy(model, test.tensor, INPUT, test.labels);
  }
  const fullTest = loadFashionMnist('test');
  const fullEvaluation: Record<string, number> = {};
  for (const variant of ['correlated', 'broken', 'none'] as const) {
    const test = withSquares(fullTest, variant, TEST_SQUARE_SEEDS[variant]);
    fullEvaluation[variant] = await accuracy(model, test.tensor, INPUT, test.labels);
  }
  writeOrganism(join(ZOO_DIR, recipe.name), {
    model,
    manifest: {
      name: recipe.name,
      description: recipe.description,
      modality: 'image',
      task: 'Fashion-MNIST garment classification (10 classes), RGB 28×28 with a coloured corner square',
      model: 'model.onnx',
      input: smallCnnManifestInput(INPUT),
      output: { name: SMALL_CNN_OUTPUT, kind: 'logits', labels: [...FASHION_MNIST_LABELS] },
      sites: { aliases: { ...SMALL_CNN_ALIASES } },
      source: {
        url: `zoo/${recipe.name}/recipe.ts`,
        licence: 'MIT',
        citation:
          'Trained here on Fashion-MNIST (Xiao, Rasul & Vollgraf 2017, MIT); the spurious-square setup of Bang, Boggust & Satyanarayan, Explanation Alignment (2024)',
      },
    },
    metrics: {
      recipe: `zoo/${recipe.name}/recipe.ts`,
      trainSquares: recipe.trainSquares,
      model: { ...MODEL, seed: SEED },
      train: {
        ...config,
        examples: squares.count,
        data: 'Fashion-MNIST train split (Debian dataset-fashion-mnist)',
      },
      history,
      accuracy: {
        set: 'data/fashion-mnist test subset (1,000 images, 100 per class)',
        squareSeeds: TEST_SQUARE_SEEDS,
        ...evaluation,
      },
      accuracyFullTest: { set: 'Fashion-MNIST test split (10,000 images)', ...fullEvaluation },
      seconds: Math.round((performance.now() - started) / 1000),
    },
  });
  await formatJsonFiles(join(ZOO_DIR, recipe.name), ['subject.json', 'metrics.json']);
  process.stderr.write(
    `${recipe.name}: accuracy with the square's correlation holding ${evaluation.correlated}, broken ${evaluation.broken}, no square ${evaluation.none}\n`,
  );
}
