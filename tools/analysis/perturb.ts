import type { AnnotatedScene } from '../../subjects/synthetic/index.ts';
import type { RenderedScene } from '../../stimuli/render.ts';
import { InputError } from '../../util/errors.ts';
import type { RgbImage } from '../../util/image.ts';

/**
 * How a synthetic unit (which reads annotations, not pixels) sees a perturbed copy of a scene's image,
 * for saliency. A pixel is removed from every concept mask and from the item map when any of its
 * channels moved more than PERTURBATION_TOLERANCE levels from the original; otherwise it still shows
 * what it showed.
 *
 * The tolerance (rather than "any change", as `perturbedScene` in the probe uses) is what makes RISE
 * meaningful on synthetic units: RISE dims pixels by soft masks, and counting a pixel dimmed by 2% as
 * gone would remove nearly the whole scene under every mask. Occlusion is unaffected except for pixels
 * already within the tolerance of the grey fill, which look the same before and after.
 *
 * Also fast, since occlusion and RISE score hundreds of perturbed copies per stimulus: the masks are
 * native copies with the removed pixels zeroed by index when few (an occlusion patch), or ANDed with a
 * keep mask four pixels at a time when many (a RISE mask dims most of the image).
 */
export const PERTURBATION_TOLERANCE = 32;

export function perturbForSyntheticUnit(scene: RenderedScene, image: RgbImage): AnnotatedScene {
  const { width, height, data: original } = scene.image;
  if (image.width !== width || image.height !== height) {
    throw new InputError(
      `a perturbed image must have its scene's size ${width}×${height}, got ${image.width}×${image.height}`,
    );
  }
  const pixels = width * height;
  const shown = image.data;
  const keep = new Uint8Array(pixels);
  let removedCount = 0;
  for (let p = 0, i = 0; p < pixels; p++, i += 3) {
    if (
      moved(shown[i] as number, original[i] as number) ||
      moved(shown[i + 1] as number, original[i + 1] as number) ||
      moved(shown[i + 2] as number, original[i + 2] as number)
    ) {
      removedCount++;
    } else {
      keep[p] = 0xff;
    }
  }
  if (removedCount === 0) return scene;
  let remove: (values: Uint8Array) => Uint8Array;
  if (removedCount < pixels / 16) {
    const removed = new Int32Array(removedCount);
    for (let p = 0, k = 0; p < pixels; p++) if (keep[p] === 0) removed[k++] = p;
    remove = (values) => zeroAt(values, removed);
  } else {
    remove = (values) => andWith(values, keep);
  }
  const masks = new Map<string, Uint8Array>();
  for (const [name, mask] of scene.masks) masks.set(name, remove(mask));
  return { image, masks, itemMap: remove(scene.itemMap), annotation: scene.annotation };
}

function moved(value: number, before: number): boolean {
  const difference = value - before;
  return difference > PERTURBATION_TOLERANCE || difference < -PERTURBATION_TOLERANCE;
}

function zeroAt(values: Uint8Array, pixels: Int32Array): Uint8Array {
  const copy = values.slice();
  for (const p of pixels) copy[p] = 0;
  return copy;
}

/** values & keep, per pixel (keep is 0xff or 0): removed pixels become 0, kept ones keep any value. */
function andWith(values: Uint8Array, keep: Uint8Array): Uint8Array {
  const copy = values.slice(); // a fresh buffer, so its 32-bit view is aligned
  const words = copy.length >>> 2;
  const copyWords = new Uint32Array(copy.buffer, 0, words);
  const keepWords = new Uint32Array(keep.buffer, keep.byteOffset, words);
  for (let w = 0; w < words; w++) copyWords[w] = (copyWords[w] as number) & (keepWords[w] as number);
  for (let p = words * 4; p < copy.length; p++) copy[p] = (copy[p] as number) & (keep[p] as number);
  return copy;
}
