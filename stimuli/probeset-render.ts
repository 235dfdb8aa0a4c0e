/**
 * Rendering a range of probe scenes to their stored form. Shared by the worker threads and the
 * in-process path, so both produce the same bytes.
 */
import { encodeImagePixels, encodeLabels } from './probeset-codec.ts';
import { probeSceneSpec } from './probeset-specs.ts';
import { textLineSpec } from './probeset-text-lines.ts';
import { renderLabelledScene, type SceneAnnotation } from './render.ts';
import type { SceneSpec } from './spec.ts';

/** Which generator a probe set's scenes come from: general scenes, or lines of text (text models). */
export type ProbeSetDistribution = 'scenes' | 'text-lines';

export interface EncodedProbeScene {
  index: number;
  spec: SceneSpec;
  annotation: SceneAnnotation;
  labelConcepts: string[][];
  labelItem: number[];
  image: Uint8Array;
  labels: Uint8Array;
}

/** Scene `index` of a probe set; `size` is the width, `height` defaults to it (a square). */
export async function renderProbeScene(
  seed: number,
  index: number,
  size: number,
  height = size,
  distribution: ProbeSetDistribution = 'scenes',
): Promise<EncodedProbeScene> {
  const spec =
    distribution === 'text-lines'
      ? textLineSpec(seed, index, size, height)
      : probeSceneSpec(seed, index, size, height);
  return renderSpecScene(index, spec);
}

/** A given spec rendered to its stored form, as scene `index` of a set. */
export async function renderSpecScene(index: number, spec: SceneSpec): Promise<EncodedProbeScene> {
  const scene = await renderLabelledScene(spec);
  return {
    index,
    spec: scene.spec,
    annotation: scene.annotation,
    labelConcepts: scene.labels.labelConcepts,
    labelItem: scene.labels.labelItem,
    // Copies with their own ArrayBuffers (zlib may hand out views of a shared pool), so they can be
    // transferred between threads.
    image: new Uint8Array(encodeImagePixels(scene.image.data)),
    labels: new Uint8Array(encodeLabels(scene.labels.labels)),
  };
}
