import type { Edit } from '../../subjects/index.ts';
import { InputError } from '../../util/errors.ts';
import type { UnitEdit } from './types.ts';

/**
 * Probe edits (units of any sites, one op) → the subject's edits (one site each). A unit edit that
 * lists units of two sites becomes two edits, in order. `means(site)` supplies the values of `mean`
 * edits, one per unit of the site.
 */
export async function toSubjectEdits(
  edits: readonly UnitEdit[],
  means: (site: string) => Promise<Float32Array>,
): Promise<Edit[]> {
  const result: Edit[] = [];
  for (const [position, edit] of edits.entries()) {
    if (edit.units.length === 0) throw new InputError(`edit ${position} (${edit.op}) lists no units`);
    const bySite = new Map<string, number[]>();
    for (const unit of edit.units) bySite.set(unit.site, [...(bySite.get(unit.site) ?? []), unit.index]);
    for (const [site, units] of bySite) {
      switch (edit.op) {
        case 'zero':
          result.push({ site, units, op: 'zero' });
          break;
        case 'mean':
          result.push({ site, units, op: 'mean', means: await means(site) });
          break;
        case 'set':
          result.push({ site, units, op: 'set', value: requireValue(edit, position) });
          break;
        case 'scale':
          result.push({ site, units, op: 'scale', factor: requireValue(edit, position) });
          break;
        case 'add':
          result.push({ site, units, op: 'add', delta: requireValue(edit, position) });
          break;
        default: {
          const op: unknown = (edit as { op: unknown }).op;
          throw new InputError(`unknown edit op '${String(op)}'; use zero, mean, set, scale or add`);
        }
      }
    }
  }
  return result;
}

/** The value of a set/scale/add edit; InputError when it is missing or not finite. */
export function requireValue(edit: UnitEdit, position: number): number {
  const value = edit.value;
  if (value === undefined || !Number.isFinite(value)) {
    throw new InputError(
      `edit ${position} (${edit.op}) needs a finite value` +
        (value === undefined ? '' : `, got ${value}`) +
        ` (set: the activation to clamp to; scale: the factor; add: the amount)`,
    );
  }
  return value;
}
