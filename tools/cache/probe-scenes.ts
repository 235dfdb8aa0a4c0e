import type { AnnotatedScene } from '../../subjects/synthetic/index.ts';
import { deriveItemMap, LabelMasks } from '../../stimuli/masks.ts';
import type { ProbeSet } from '../../stimuli/probeset.ts';
import type { RenderedScene, SceneLabels } from '../../stimuli/render.ts';
import type { RgbImage } from '../../util/image.ts';

/**
 * Probe-set scenes as full RenderedScenes (image, masks, item map), the form probes and tools take.
 * The label map is decoded once per scene; the item map is derived from it and each concept mask on
 * first read (LabelMasks). Images are inflated in parallel. Pass `images` when they are already decoded.
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
      masks: new LabelMasks(labels.labelConcepts, labels.labels),
      itemMap: deriveItemMap(labels.labels, labels.labelItem),
      labels,
    };
  });
}

/**
 * Probe-set scenes as synthetic units read them: annotation, masks and item map, and the image's size
 * but not its pixels. Synthetic units compute from annotations, so a pass over a whole probe set skips
 * inflating a thousand images it would never look at; the label map is decoded only when a mask or the
 * item map is first read (a unit that cannot see anything in a scene reads neither).
 */
export function probeSetAnnotatedScenes(set: ProbeSet, indices: readonly number[]): AnnotatedScene[] {
  return indices.map((i) => {
    const scene = set.scenes[i];
    if (!scene) throw new Error(`probe set ${set.id} has no scene ${i}`);
    let labels: SceneLabels | undefined;
    const read = () => (labels ??= set.labels(i));
    let itemMap: Uint8Array | undefined;
    return {
      image: { width: set.width, height: set.height },
      annotation: scene.annotation,
      spec: scene.spec,
      masks: new LabelMasks(set.labelConcepts(i), () => read().labels),
      get itemMap() {
        return (itemMap ??= deriveItemMap(read().labels, read().labelItem));
      },
    };
  });
}
