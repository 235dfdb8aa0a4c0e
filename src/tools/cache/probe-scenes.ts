import { deriveItemMap, deriveMasks } from '../../stimuli/masks.ts';
import type { ProbeSet } from '../../stimuli/probeset.ts';
import type { RenderedScene } from '../../stimuli/render.ts';
import type { RgbImage } from '../../util/image.ts';

/**
 * Probe-set scenes as full RenderedScenes (image, exact masks, item map), the form probes and tools
 * take. The label map is decoded once per scene and masks and item map derived from it; images are
 * inflated in parallel. Pass `images` when they are already decoded.
 */
export async function probeSetScenes(
  set: ProbeSet,
  indices: readonly number[],
  images?: readonly RgbImage[],
): Promise<RenderedScene[]> {
  const decoded = images ?? (await set.images([...indices]));
  return indices.map((i, k) => {
    const labels = set.labels(i);
    const scene = set.scenes[i];
    if (!scene) throw new Error(`probe set ${set.id} has no scene ${i}`);
    return {
      spec: scene.spec,
      annotation: scene.annotation,
      image: decoded[k] as RgbImage,
      masks: deriveMasks(labels.labels, labels.labelConcepts),
      itemMap: deriveItemMap(labels.labels, labels.labelItem),
      labels,
    };
  });
}
