import { z } from 'zod';
import type { ToolContext } from '../context.ts';
import type { UnitAddress } from '../probe/types.ts';

/** Most units one call may name: keeps results readable and images bounded. */
export const MAX_UNITS = 8;

export const UnitArg = z
  .string()
  .trim()
  .min(1)
  .describe('a unit as site:index, e.g. final_conv:7 (site may be a tensor name or an alias)');

export const UnitsArg = z
  .array(UnitArg)
  .min(1)
  .max(MAX_UNITS)
  .describe(`1–${MAX_UNITS} units, each site:index`);

/** Parse unit names (InputError for an unknown site or an index out of range); duplicates kept once. */
export function parseUnits(ctx: ToolContext, names: readonly string[]): UnitAddress[] {
  const seen = new Set<string>();
  const out: UnitAddress[] = [];
  for (const name of names) {
    const unit = ctx.probe.parseUnit(name);
    if (seen.has(unit.id)) continue;
    seen.add(unit.id);
    out.push(unit);
  }
  return out;
}

/** How to show a unit to a person: as they wrote it when they used an alias, else its id. */
export function unitLabel(ctx: ToolContext, unit: UnitAddress): string {
  const site = ctx.probe.sites().find((s) => s.name === unit.site);
  const alias = site?.aliases[0];
  return alias ? `${alias}:${unit.index}` : unit.id;
}
