import { InputError } from '../../util/errors.ts';
import { nearNames } from '../../util/names.ts';
import type { AnnotatedDataset } from './dataset-image.ts';
import { FASHION_SQUARE_DATASET, fashionSquareDataset } from './fashion-square-set.ts';

/**
 * The annotated datasets tools can show, by name (a typed map, so every name is checked). A dataset
 * is built on first use and kept: its images are read once.
 */

export const DATASET_NAMES = [FASHION_SQUARE_DATASET] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

const FACTORIES: Record<DatasetName, () => AnnotatedDataset> = {
  [FASHION_SQUARE_DATASET]: fashionSquareDataset,
};

const loaded = new Map<DatasetName, AnnotatedDataset>();

export function isDatasetName(name: string): name is DatasetName {
  return (DATASET_NAMES as readonly string[]).includes(name);
}

export function loadDataset(name: string): AnnotatedDataset {
  if (!isDatasetName(name)) {
    const near = nearNames(name, DATASET_NAMES);
    throw new InputError(
      `there is no annotated dataset '${name}'${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; datasets: ${DATASET_NAMES.join(', ')}`,
    );
  }
  let dataset = loaded.get(name);
  if (!dataset) {
    dataset = FACTORIES[name]();
    loaded.set(name, dataset);
  }
  return dataset;
}

/** The datasets whose images have this size: what a subject of that input size can be shown. */
export function datasetsForSize(width: number, height: number): AnnotatedDataset[] {
  return DATASET_NAMES.map(loadDataset).filter((d) => d.width === width && d.height === height);
}

/** `dataset/set` → its parts, checked against the dataset. */
export function parseSetRef(ref: string): { dataset: AnnotatedDataset; set: string } {
  const slash = ref.lastIndexOf('/');
  if (slash <= 0)
    throw new InputError(
      `a dataset set is written dataset/set (e.g. ${FASHION_SQUARE_DATASET}/broken), got '${ref}'`,
    );
  const dataset = loadDataset(ref.slice(0, slash));
  const set = ref.slice(slash + 1);
  if (!dataset.sets.some((s) => s.name === set)) {
    throw new InputError(
      `${dataset.name} has no set '${set}'; sets: ${dataset.sets.map((s) => s.name).join(', ')}`,
    );
  }
  return { dataset, set };
}
