import { applyEdits } from './edit-apply.ts';
import type { EditSpec, EditSpecInput } from './edit-spec.ts';
import { SceneSpec, type SceneSpecInput } from './spec.ts';

/**
 * Exact scene edits: the public entry point. An edit is data (EditSpec, edit-spec.ts), applied to a
 * spec by applyEdit / applyEdits (edit-apply.ts) or read from a phrase by parseEdit (edit-phrase.ts).
 * Because original and edited scenes are both specs, both render with exact masks: the difference
 * between them is known pixel for pixel, unlike a diffusion edit.
 */

export { EditRegion, EditSpec, EditTarget, type EditOp, type EditSpecInput } from './edit-spec.ts';
export {
  applyEdit,
  applyEdits,
  itemConcepts,
  itemLabel,
  itemRegion,
  parseEditSpec,
  resolveTarget,
} from './edit-apply.ts';
export { parseEdit } from './edit-phrase.ts';

export interface EditedScene {
  original: SceneSpec;
  edited: SceneSpec;
}

/** The original spec (defaults filled) and the spec with every edit applied, for a before/after pair. */
export function editScene(
  spec: SceneSpecInput | SceneSpec,
  edits: readonly (EditSpecInput | EditSpec)[],
): EditedScene {
  const original = SceneSpec.parse(spec);
  return { original, edited: applyEdits(original, edits) };
}
