import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../util/errors.ts';
import { projectPath } from '../../util/paths.ts';
import { parseIdx } from './idx.ts';

/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017, MIT licence): 28×28 grey garment images in ten
 * classes, 60,000 for training and 10,000 for testing. The full set comes from Debian's
 * `dataset-fashion-mnist` package; a 1,000-image subset of the test split is committed under
 * `data/fashion-mnist/` so tests and the organisms' evaluation run on machines without it.
 */

export const FASHION_MNIST_LABELS = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

export const FASHION_MNIST_SIZE = 28;

/** Where `apt-get install dataset-fashion-mnist` puts the IDX files. */
export const FASHION_MNIST_DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';

/** The committed subset: the first 100 test images of each class, in test-set order. */
export const FASHION_MNIST_SUBSET_DIR = projectPath('data', 'fashion-mnist');

export type FashionMnistSplit = 'train' | 'test';

/** Images as bytes [count · 28 · 28] (row-major, 0 = black background) with their labels. */
export interface GreyImageSet {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
}

const FILE_PREFIX: Record<FashionMnistSplit, string> = { train: 'train', test: 't10k' };

function readIdxFile(path: string, hint: string) {
  if (!existsSync(path)) throw new InputError(`${path} does not exist; ${hint}`);
  return parseIdx(readFileSync(path), path);
}

/** Images and labels from a pair of IDX files, checked against each other. */
export function readImageSet(imagesPath: string, labelsPath: string, hint: string): GreyImageSet {
  const images = readIdxFile(imagesPath, hint);
  const labels = readIdxFile(labelsPath, hint);
  const [count, height, width] = images.dims as [number, number, number];
  if (images.dims.length !== 3 || labels.dims.length !== 1) {
    throw new InputError(
      `${imagesPath} and ${labelsPath} should hold images [N, H, W] and labels [N]; they hold [${images.dims.join(', ')}] and [${labels.dims.join(', ')}]`,
    );
  }
  if (labels.dims[0] !== count) {
    throw new InputError(
      `${imagesPath} holds ${count} images but ${labelsPath} holds ${labels.dims[0]} labels`,
    );
  }
  return { images: images.data, labels: labels.data, count, height, width };
}

/** A split of the full dataset, from Debian's package (or another folder holding the same files). */
export function loadFashionMnist(split: FashionMnistSplit, dir = FASHION_MNIST_DEBIAN_DIR): GreyImageSet {
  const prefix = FILE_PREFIX[split];
  return readImageSet(
    join(dir, `${prefix}-images-idx3-ubyte.gz`),
    join(dir, `${prefix}-labels-idx1-ubyte.gz`),
    'install Fashion-MNIST with `apt-get install dataset-fashion-mnist` (Debian/Ubuntu), or pass the folder holding its IDX files',
  );
}

/** The committed 1,000-image test subset (100 per class). */
export function loadFashionMnistSubset(): GreyImageSet {
  return readImageSet(
    join(FASHION_MNIST_SUBSET_DIR, 'test-subset-images-idx3-ubyte.gz'),
    join(FASHION_MNIST_SUBSET_DIR, 'test-subset-labels-idx1-ubyte.gz'),
    'the committed subset is missing from this checkout; rebuild it with `npx tsx scripts/make-fashion-mnist-subset.ts`',
  );
}

/** The images at the given indices, in that order. */
export function selectImages(set: GreyImageSet, indices: readonly number[]): GreyImageSet {
  const pixels = set.height * set.width;
  const images = new Uint8Array(indices.length * pixels);
  const labels = new Uint8Array(indices.length);
  indices.forEach((index, k) => {
    if (!Number.isInteger(index) || index < 0 || index >= set.count) {
      throw new InputError(`image index ${index} is outside 0..${set.count - 1}`);
    }
    images.set(set.images.subarray(index * pixels, (index + 1) * pixels), k * pixels);
    labels[k] = set.labels[index] as number;
  });
  return { images, labels, count: indices.length, height: set.height, width: set.width };
}
