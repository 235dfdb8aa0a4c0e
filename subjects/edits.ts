import { InputError } from '../util/errors.ts';
import type { Edit, SiteInfo } from './subject.ts';
import { checkUnit } from './units.ts';

/**
 * Every edit is an affine map per unit, `x → x * scale + shift` (zero: 0·x + 0; set v: 0·x + v;
 * mean m: 0·x + m; scale f: f·x + 0; add d: 1·x + d). Edits of one site compose in order into a
 * single (scale, shift) pair per unit, which is what the graph is fed.
 */
export interface SiteAffine {
  site: SiteInfo;
  scale: Float64Array;
  shift: Float64Array;
}

export function planEdits(
  edits: readonly Edit[],
  resolve: (name: string) => SiteInfo,
): Map<string, SiteAffine> {
  const plan = new Map<string, SiteAffine>();
  edits.forEach((edit, position) => {
    const site = resolve(edit.site);
    if (site.units < 1) throw new InputError(`site '${site.name}' has no units to edit`);
    let entry = plan.get(site.name);
    if (!entry) {
      entry = { site, scale: new Float64Array(site.units).fill(1), shift: new Float64Array(site.units) };
      plan.set(site.name, entry);
    }
    const units = edit.units ?? Array.from({ length: site.units }, (_, u) => u);
    if (units.length === 0)
      throw new InputError(`edit ${position} (${edit.op} on '${edit.site}') lists no units`);
    units.forEach((unit) => checkUnit(site, unit));
    units.forEach((unit, i) => {
      const [a, c] = affineOf(edit, unit, i, units.length, site, position);
      const scale = entry.scale[unit] ?? 1;
      const shift = entry.shift[unit] ?? 0;
      entry.scale[unit] = scale * a;
      entry.shift[unit] = shift * a + c;
    });
  });
  return plan;
}

/** The (scale, shift) one edit applies to one unit; `i` is the unit's place in the edit's list. */
function affineOf(
  edit: Edit,
  unit: number,
  i: number,
  listed: number,
  site: SiteInfo,
  position: number,
): [number, number] {
  const pick = (value: number | ArrayLike<number>, what: string): number => {
    if (typeof value === 'number') return finite(value, what);
    if (value.length !== listed) {
      throw new InputError(
        `edit ${position} (${edit.op} on '${edit.site}') gives ${value.length} ${what}s for ${listed} units; ` +
          `give one number, or one per unit`,
      );
    }
    return finite(value[i] ?? NaN, what);
  };
  const finite = (v: number, what: string): number => {
    if (!Number.isFinite(v))
      throw new InputError(`edit ${position} (${edit.op} on '${edit.site}'): ${what} ${v} is not finite`);
    return v;
  };
  switch (edit.op) {
    case 'zero':
      return [0, 0];
    case 'set':
      return [0, pick(edit.value, 'value')];
    case 'scale':
      return [pick(edit.factor, 'factor'), 0];
    case 'add':
      return [1, pick(edit.delta, 'delta')];
    case 'mean': {
      if (edit.means.length !== site.units) {
        throw new InputError(
          `edit ${position} (mean on '${edit.site}') has ${edit.means.length} means; the site has ${site.units} units ` +
            `(compute them with unitMeans)`,
        );
      }
      return [0, finite(edit.means[unit] ?? NaN, 'mean')];
    }
    default: {
      const op: unknown = (edit as { op: unknown }).op;
      throw new InputError(`unknown edit op '${String(op)}'; use zero, mean, set, scale or add`);
    }
  }
}
