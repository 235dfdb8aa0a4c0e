import { InputError } from '../../util/errors.ts';
import type { SubjectManifest } from '../manifest.ts';
import type { SiteInfo } from '../subject.ts';
import { nearNames } from '../../util/names.ts';
import { defaultUnitAxis } from '../units.ts';
import { buildAliases } from './aliases.ts';
import type { DiscoveredSite } from './discover.ts';
import type { GraphIndex } from './graph.ts';

/**
 * The site table as subjects present it: discovered tensors with their aliases, unit axis (the
 * default rule or the manifest's override) and unit count.
 */
export function describeSites(
  discovered: readonly DiscoveredSite[],
  index: GraphIndex,
  manifest: SubjectManifest,
): { sites: SiteInfo[]; aliases: Map<string, string> } {
  const aliases = buildAliases(discovered, index, manifest.sites?.aliases ?? {});
  const aliasesOf = new Map<string, string[]>();
  for (const [alias, target] of aliases) aliasesOf.set(target, [...(aliasesOf.get(target) ?? []), alias]);

  const names = new Set(discovered.map((s) => s.name));
  const axisOverrides = new Map<string, number>();
  for (const [name, axis] of Object.entries(manifest.sites?.unitAxis ?? {})) {
    const target = aliases.get(name) ?? name;
    if (!names.has(target)) {
      const near = nearNames(name, [...names, ...aliases.keys()]);
      throw new InputError(
        `manifest sites.unitAxis names '${name}', which is not a site` +
          (near.length ? `; did you mean ${near.join(', ')}?` : ''),
      );
    }
    axisOverrides.set(target, axis);
  }

  const sites = discovered.map((site): SiteInfo => {
    const unitAxis = axisOverrides.get(site.name) ?? defaultUnitAxis(site.shape.length);
    if (unitAxis >= site.shape.length) {
      throw new InputError(
        `manifest unitAxis ${unitAxis} for site '${site.name}' is out of range: the site has rank ${site.shape.length}`,
      );
    }
    return {
      name: site.name,
      aliases: aliasesOf.get(site.name) ?? [],
      op: site.op,
      node: site.node,
      dtype: site.dtype,
      shape: site.shape,
      dims: site.dims,
      unitAxis,
      units: unitAxis < 0 ? 1 : (site.shape[unitAxis] ?? 1),
    };
  });
  return { sites, aliases };
}
