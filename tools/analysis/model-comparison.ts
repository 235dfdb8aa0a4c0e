import type { AnnotatedDataset } from '../../stimuli/datasets/dataset-image.ts';
import { datasetsForSize, parseSetRef } from '../../stimuli/datasets/registry.ts';
import { InputError } from '../../util/errors.ts';
import type { Probe } from '../probe/types.ts';
import { measureReliance, type RelianceMethod, type RelianceReport } from './reliance.ts';
import { saliencySettings } from './saliency-run.ts';

/**
 * The Explanation Alignment model comparison (Bang, Boggust & Satyanarayan 2024): several
 * classifiers that take the same input, measured on the same annotated sets with the same saliency
 * methods (reliance.ts), so their accuracy, EA_IoU and EA_PG per concept and per class and their
 * Shared Interest patterns can be set side by side.
 */

export type ComparisonMethod = RelianceMethod;

export interface ComparisonOptions {
  /** `dataset/set` refs; default every set of the datasets that fit the first model's input. */
  sets?: readonly string[];
  methods: readonly ComparisonMethod[];
  /** Grad-CAM site (an alias every model has, e.g. last_conv); default each model's own. */
  site?: string;
  /** Images per set (the first ones); default all. */
  images?: number;
  seed?: number;
  /** Pointing Game tolerance in pixels (default 0). */
  tolerancePx?: number;
  /** Progress: the model, set and method being measured, and images done. */
  onProgress?: (what: string, done: number, total: number) => void;
}

export interface ModelComparison {
  models: string[];
  sets: { dataset: string; set: string; description: string }[];
  methods: ComparisonMethod[];
  /** One report per model × set × method, in that order. */
  reports: RelianceReport[];
}

function setsFor(probes: readonly Probe[], refs: readonly string[] | undefined) {
  if (refs && refs.length > 0) return refs.map(parseSetRef);
  const first = probes[0] as Probe;
  const { width, height } = first.sceneSize;
  const datasets: AnnotatedDataset[] = datasetsForSize(width, height);
  if (datasets.length === 0)
    throw new InputError(
      `no annotated dataset has ${width}×${height} images, the size ${first.name} takes; name sets with --on`,
    );
  return datasets.flatMap((dataset) => dataset.sets.map((s) => ({ dataset, set: s.name })));
}

export async function compareModels(
  probes: readonly Probe[],
  options: ComparisonOptions,
): Promise<ModelComparison> {
  if (probes.length === 0) throw new InputError('compare needs at least one model');
  const size = (p: Probe) => `${p.sceneSize.width}×${p.sceneSize.height}`;
  const odd = probes.find((p) => size(p) !== size(probes[0] as Probe));
  if (odd)
    throw new InputError(
      `the models must take the same input: ${(probes[0] as Probe).name} takes ${size(probes[0] as Probe)}, ${odd.name} ${size(odd)}`,
    );
  const sets = setsFor(probes, options.sets);
  const reports: RelianceReport[] = [];
  for (const probe of probes) {
    for (const { dataset, set } of sets) {
      for (const method of options.methods) {
        const settings = saliencySettings(
          { method, unit_pooling: 'mean', ...(options.site !== undefined ? { site: options.site } : {}) },
          options.seed ?? 1,
        );
        const what = `${probe.name} ${dataset.name}/${set} ${method}`;
        reports.push(
          await measureReliance(probe, dataset, set, {
            settings,
            ...(options.images !== undefined ? { limit: options.images } : {}),
            ...(options.tolerancePx !== undefined ? { tolerancePx: options.tolerancePx } : {}),
            onImage: (done, total) => options.onProgress?.(what, done, total),
          }),
        );
      }
    }
  }
  return {
    models: probes.map((p) => p.name),
    sets: sets.map(({ dataset, set }) => ({
      dataset: dataset.name,
      set,
      description: dataset.sets.find((s) => s.name === set)?.description ?? '',
    })),
    methods: [...options.methods],
    reports,
  };
}
