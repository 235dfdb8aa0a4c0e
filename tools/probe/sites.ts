import { nearNames } from '../../util/names.ts';
import { InputError } from '../../util/errors.ts';
import type { Probe, ProbeSite } from './types.ts';

/** A probe's site by name or alias; InputError with near names when unknown. */
export function resolveProbeSite(probe: Probe, name: string): ProbeSite {
  const sites = probe.sites();
  const wanted = name.trim();
  const site = sites.find((s) => s.name === wanted) ?? sites.find((s) => s.aliases.includes(wanted));
  if (site) return site;
  const near = nearNames(
    wanted,
    sites.flatMap((s) => [s.name, ...s.aliases]),
  );
  throw new InputError(
    `unknown site '${name}' in subject ${probe.name}` +
      (near.length ? `; did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : '') +
      ` (list_units lists all ${sites.length} site${sites.length === 1 ? '' : 's'})`,
  );
}

/** The name a person knows a site by: its first alias, else its tensor name. */
export function siteLabel(site: ProbeSite): string {
  return site.aliases[0] ?? site.name;
}
