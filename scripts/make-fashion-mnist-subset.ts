/**
 * Writes the committed Fashion-MNIST subset (data/fashion-mnist/): the first 100 test images of each
 * class, in test-set order, as gzipped IDX files. Needs Debian's dataset-fashion-mnist package.
 *
 *   npx tsx scripts/make-fashion-mnist-subset.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  FASHION_MNIST_SUBSET_DIR,
  loadFashionMnist,
  selectImages,
} from '../stimuli/datasets/fashion-mnist.ts';
import { encodeIdx } from '../stimuli/datasets/idx.ts';

const PER_CLASS = 100;
const test = loadFashionMnist('test');
const taken = new Array<number>(10).fill(0);
const indices: number[] = [];
for (let i = 0; i < test.count; i++) {
  const label = test.labels[i] as number;
  if ((taken[label] as number) < PER_CLASS) {
    taken[label] = (taken[label] as number) + 1;
    indices.push(i);
  }
}
const subset = selectImages(test, indices);
// mtime 0 in the gzip header is what zlib writes, so the files are byte-identical on every rebuild.
writeFileSync(
  join(FASHION_MNIST_SUBSET_DIR, 'test-subset-images-idx3-ubyte.gz'),
  gzipSync(encodeIdx({ dims: [subset.count, subset.height, subset.width], data: subset.images }), {
    level: 9,
  }),
);
writeFileSync(
  join(FASHION_MNIST_SUBSET_DIR, 'test-subset-labels-idx1-ubyte.gz'),
  gzipSync(encodeIdx({ dims: [subset.count], data: subset.labels }), { level: 9 }),
);
process.stderr.write(`wrote ${subset.count} images to ${FASHION_MNIST_SUBSET_DIR}\n`);
