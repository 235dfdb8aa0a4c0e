import type { RenderedScene } from '../../stimuli/render.ts';
import { ancestors } from '../../stimuli/vocabulary.ts';

/**
 * Of a set of concepts, those that are not an ancestor of another one in the set ('dog' rather than
 * 'dog, animal'; 'white' rather than 'white, neutral colour, colour'): the specific names, which say
 * more in fewer words. Ancestors remain in `data` where tools report full mask statistics.
 */
export function specificConcepts(names: Iterable<string>): Set<string> {
  const all = new Set(names);
  const implied = new Set<string>();
  for (const name of all) for (const a of ancestors(name)) if (a !== name) implied.add(a);
  return new Set([...all].filter((name) => !implied.has(name)));
}

/** What a scene shows, for tool text: its specific concepts with their share of the image, largest first. */
export function sceneConcepts(scene: RenderedScene, limit = 10): { concept: string; area: number }[] {
  const pixels = scene.image.width * scene.image.height;
  const present = scene.annotation.concepts.filter((c) => c.area > 0);
  const specific = specificConcepts(present.map((c) => c.name));
  return present
    .filter((c) => specific.has(c.name))
    .map((c) => ({ concept: c.name, area: c.area / pixels }))
    .sort((a, b) => b.area - a.area || a.concept.localeCompare(b.concept))
    .slice(0, limit);
}

/**
 * The concepts under a unit's hot region: for each concept, the fraction of the hot pixels it covers,
 * largest first (at least `min`). Says what the unit fired on, not just what the scene contains.
 */
export function conceptsUnder(
  scene: RenderedScene,
  hot: Uint8Array,
  limit = 5,
  min = 0.2,
): { concept: string; coverage: number }[] {
  let hotCount = 0;
  for (const v of hot) hotCount += v;
  if (hotCount === 0) return [];
  const out: { concept: string; coverage: number }[] = [];
  const specific = specificConcepts(scene.masks.keys());
  for (const [concept, mask] of scene.masks) {
    if (!specific.has(concept)) continue;
    let overlap = 0;
    for (let p = 0; p < hot.length; p++) if (hot[p] && mask[p]) overlap++;
    const coverage = overlap / hotCount;
    if (coverage >= min) out.push({ concept, coverage });
  }
  return out.sort((a, b) => b.coverage - a.coverage || a.concept.localeCompare(b.concept)).slice(0, limit);
}

/** `dog 34%, grass 60%` */
export function formatConcepts(
  list: readonly { concept: string; area?: number; coverage?: number }[],
): string {
  if (list.length === 0) return '(nothing)';
  return list.map((c) => `${c.concept} ${Math.round((c.area ?? c.coverage ?? 0) * 100)}%`).join(', ');
}
