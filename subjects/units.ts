import { InputError } from '../util/errors.ts';
import type { SiteInfo } from './subject.ts';

/**
 * Unit addressing: a unit is written `site:index`, where site is a tensor name or alias. The index
 * follows the last colon, so tensor names that contain colons (TensorFlow's `x:0`) still work.
 */

export function formatUnit(site: string, unit: number): string {
  return `${site}:${unit}`;
}

/** Split `site:index` into its parts; InputError when it is not of that form. */
export function splitUnit(text: string): { site: string; unit: number } {
  const colon = text.lastIndexOf(':');
  const site = text.slice(0, colon);
  const index = text.slice(colon + 1);
  if (colon <= 0 || !/^\d+$/.test(index)) {
    throw new InputError(`'${text}' is not a unit: write site:index, e.g. conv2d_53.tmp_0:7 or layer3:7`);
  }
  return { site, unit: Number(index) };
}

/**
 * The default unit axis of a tensor of the given rank: channels on axis 1 for NCHW (and any rank ≥ 4)
 * and for [N, C]; the last axis for [N, T, C] sequences; axis 0 for a vector; none for a scalar.
 */
export function defaultUnitAxis(rank: number): number {
  if (rank === 0) return -1;
  if (rank === 1) return 0;
  if (rank === 3) return 2;
  return 1;
}

/** InputError unless `unit` indexes a unit of the site. */
export function checkUnit(site: SiteInfo, unit: number): void {
  if (!Number.isInteger(unit) || unit < 0 || unit >= site.units) {
    const range = site.units === 1 ? 'only unit 0' : `units 0–${site.units - 1}`;
    throw new InputError(
      `unit ${unit} is out of range for site '${site.name}': it has ${site.units} unit${site.units === 1 ? '' : 's'} (${range})`,
    );
  }
}
