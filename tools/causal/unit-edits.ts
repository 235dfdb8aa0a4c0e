import { z } from 'zod';
import { AiaError, errorMessage } from '../../util/errors.ts';
import { resolveProbeSite, siteLabel } from '../probe/sites.ts';
import type { Probe, UnitAddress } from '../probe/types.ts';
import { ToolError } from '../tool.ts';

/**
 * Unit lists for the causal tools. Besides `site:index`, an edit often targets many units at once
 * (a whole layer, a block of channels), so these forms are accepted too:
 *   site:*      every unit of the site
 *   site:a-b    units a to b inclusive
 * Sites may be named by tensor name or alias. Duplicates are dropped, first occurrence kept.
 */

/** Entries in a watch list, and units they may expand to: each watched unit costs a map per stimulus. */
export const MAX_WATCHED = 16;
export const MAX_WATCHED_UNITS = 64;

export const UnitListArg = z
  .array(z.string().min(1))
  .min(1)
  .max(64)
  .describe("units as 'site:index'; 'site:a-b' for a range, 'site:*' for every unit of a site");

export const WatchArg = z
  .array(z.string().min(1))
  .max(MAX_WATCHED)
  .default([])
  .describe("other units to report before/after activations for, e.g. ['final_conv:7']");

/** Most units one call may edit or watch: a whole site of a mobile CNN fits; bounds the data returned. */
export const MAX_LISTED_UNITS = 4096;

export function parseUnitList(
  probe: Probe,
  texts: readonly string[],
  tool: string,
  limit = MAX_LISTED_UNITS,
): UnitAddress[] {
  const out: UnitAddress[] = [];
  const seen = new Set<string>();
  const push = (unit: UnitAddress): void => {
    if (seen.has(unit.id)) return;
    seen.add(unit.id);
    out.push(unit);
  };
  for (const text of texts) {
    const trimmed = text.trim();
    const colon = trimmed.lastIndexOf(':');
    const key = trimmed.slice(colon + 1);
    const range = /^(\d+)\s*-\s*(\d+)$/.exec(key);
    try {
      if (colon > 0 && (key === '*' || range)) {
        const site = resolveProbeSite(probe, trimmed.slice(0, colon));
        const first = range ? Number(range[1]) : 0;
        const last = range ? Number(range[2]) : site.units - 1;
        if (first > last)
          throw new ToolError(`unit range '${text}' is empty: write site:a-b with a ≤ b`, tool);
        // Parse both ends so an out-of-range index gets the probe's own message (with the valid range).
        probe.parseUnit(`${site.name}:${first}`);
        probe.parseUnit(`${site.name}:${last}`);
        if (out.length + last - first + 1 > limit) {
          throw new ToolError(`too many units: at most ${limit} here ('${text}' goes past it)`, tool);
        }
        for (let i = first; i <= last; i++) push(probe.parseUnit(`${site.name}:${i}`));
      } else {
        push(probe.parseUnit(trimmed));
      }
    } catch (error) {
      throw asToolError(error, tool);
    }
    if (out.length > limit) throw new ToolError(`too many units: at most ${limit} here`, tool);
  }
  return out;
}

/** How a person knows a unit: the site's first alias (e.g. `final_conv:3`), else the canonical id. */
export function unitLabel(probe: Probe, unit: UnitAddress): string {
  try {
    return `${siteLabel(resolveProbeSite(probe, unit.site))}:${unit.index}`;
  } catch {
    return unit.id;
  }
}

/** A short description of a unit list for text: `final_conv:0`, `final_conv:0–199 (200 units)`, … */
export function describeUnits(probe: Probe, units: readonly UnitAddress[]): string {
  const bySite = new Map<string, number[]>();
  for (const u of units) bySite.set(u.site, [...(bySite.get(u.site) ?? []), u.index]);
  const parts = [...bySite].map(([site, indices]) => {
    const label = unitLabel(probe, { id: '', site, index: 0 }).replace(/:0$/, '');
    const sorted = [...indices].sort((a, b) => a - b);
    const contiguous = sorted.every((v, i) => i === 0 || v === (sorted[i - 1] ?? v) + 1);
    if (sorted.length === 1) return `${label}:${sorted[0]}`;
    if (contiguous) return `${label}:${sorted[0]}–${sorted[sorted.length - 1]} (${sorted.length} units)`;
    if (sorted.length <= 6) return sorted.map((i) => `${label}:${i}`).join(', ');
    return `${sorted.length} units of ${label}`;
  });
  return parts.join(', ');
}

/** Bad input found below the tool (an InputError from the probe) becomes a ToolError the model can read. */
export function asToolError(error: unknown, tool: string): Error {
  if (error instanceof ToolError) return error;
  if (error instanceof AiaError) return new ToolError(errorMessage(error), tool);
  return error instanceof Error ? error : new Error(String(error));
}

/** Run `work`, turning bad input (AiaErrors) into ToolErrors for `tool`. */
export async function withToolErrors<T>(tool: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asToolError(error, tool);
  }
}
