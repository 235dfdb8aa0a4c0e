import { z } from 'zod';
import type { ToolContext } from '../context.ts';
import { resolveProbeSite, siteLabel } from '../probe/sites.ts';
import type { ProbeSite } from '../probe/types.ts';
import { defineTool, type ToolResult } from '../tool.ts';
import { withToolErrors } from '../common/errors.ts';
import { fmt, pct, round } from '../common/format.ts';
import { columnStats, unitColumn } from '../common/unit-activations.ts';

const Input = z.strictObject({
  site: z
    .string()
    .trim()
    .min(1)
    .optional()
    .describe('a site (tensor name or alias) to get per-unit statistics for; leave out to list the sites'),
  sort: z
    .enum(['index', 'max', 'mean', 'selectivity'])
    .default('max')
    .describe('order of units: by index, highest max, highest mean, or most selective (default max)'),
  limit: z.number().int().min(1).max(500).default(20).describe('units to show in the text (default 20)'),
});

export interface UnitStats {
  unit: string;
  mean: number;
  std: number;
  max: number;
  min: number;
  /** Fraction of probe scenes where the unit's activation is above 0. */
  active: number;
  /** Fraction of probe scenes where it reaches at least half its probe-set maximum: lower = more selective. */
  strong: number;
}

export type ListUnitsData =
  | { sites: ProbeSite[] }
  | {
      site: string;
      aliases: string[];
      units: number;
      probeSetScenes: number;
      sort: string;
      /** Unit ids in the requested order. */
      order: string[];
      stats: UnitStats[];
    };

/** list_units: the subject's sites, or one site's units with activation statistics over the probe set. */
export const listUnitsTool = defineTool({
  name: 'list_units',
  description:
    'Without a site: list the sites (layers) of the subject with their unit counts and shapes. With a ' +
    "site: statistics of each of its units over the subject's probe set (from the activation cache): " +
    'mean, std, max and min activation, the fraction of scenes where it is active (> 0), and the ' +
    'fraction where it reaches half its maximum (small = selective). Use it to pick units worth ' +
    'investigating (e.g. sort "selectivity").',
  input: Input,
  async execute(args: z.output<typeof Input>, ctx: ToolContext): Promise<ToolResult<ListUnitsData>> {
    return withToolErrors('list_units', async () => {
      if (args.site === undefined) return listSites(ctx);
      const site = resolveProbeSite(ctx.probe, args.site);
      const activations = await ctx.activations(site.name);
      const stats: UnitStats[] = Array.from({ length: site.units }, (_, u) => {
        const column = unitColumn(activations.values, activations.units, u);
        const s = columnStats(column);
        let active = 0;
        let strong = 0;
        for (const v of column) {
          if (v > 0) active++;
          if (s.max > 0 && v >= s.max / 2) strong++;
        }
        const n = Math.max(1, column.length);
        return {
          unit: `${site.name}:${u}`,
          mean: s.mean,
          std: s.std,
          max: s.max,
          min: s.min,
          active: active / n,
          strong: strong / n,
        };
      });
      const order = [...stats.keys()].sort((a, b) => compare(stats, args.sort, a, b));
      const label = siteLabel(site);
      const lines = [
        `${label} (${site.name}, ${site.op}, ${site.units} units) over ${activations.n} probe scenes; ` +
          `sorted by ${args.sort}, ${Math.min(args.limit, site.units)} shown:`,
        '  unit        mean     std      max      active  ≥½max',
        ...order.slice(0, args.limit).map((u) => {
          const s = stats[u] as UnitStats;
          return `  ${`${label}:${u}`.padEnd(11)} ${fmt(s.mean).padEnd(8)} ${fmt(s.std).padEnd(8)} ${fmt(s.max).padEnd(8)} ${pct(s.active).padEnd(7)} ${pct(s.strong)}`;
        }),
      ];
      return {
        text: lines.join('\n'),
        images: [],
        data: {
          site: site.name,
          aliases: site.aliases,
          units: site.units,
          probeSetScenes: activations.n,
          sort: args.sort,
          order: order.map((u) => `${site.name}:${u}`),
          stats: stats.map((s) => ({
            ...s,
            mean: round(s.mean, 6),
            std: round(s.std, 6),
            max: round(s.max, 6),
            min: round(s.min, 6),
            active: round(s.active, 6),
            strong: round(s.strong, 6),
          })),
        },
      };
    });
  },
});

function compare(
  stats: UnitStats[],
  sort: 'index' | 'max' | 'mean' | 'selectivity',
  a: number,
  b: number,
): number {
  const x = stats[a] as UnitStats;
  const y = stats[b] as UnitStats;
  switch (sort) {
    case 'index':
      return a - b;
    case 'max':
      return y.max - x.max || a - b;
    case 'mean':
      return y.mean - x.mean || a - b;
    case 'selectivity':
      // Rarely strong but active somewhere: the fewest scenes reaching half the max, among units that fire.
      return Number(x.max <= 0) - Number(y.max <= 0) || x.strong - y.strong || a - b;
  }
}

/** The site list: named sites in full, the rest counted (data lists every site). */
function listSites(ctx: ToolContext): ToolResult<ListUnitsData> {
  const sites = ctx.probe.sites();
  const named = sites.filter((s) => s.aliases.length > 0);
  const shown = named.length > 0 && named.length < sites.length ? named : sites;
  const line = (s: ProbeSite) =>
    `  ${s.aliases.length ? `${s.aliases.join(', ')} = ` : ''}${s.name}: ${s.op}, ${s.units} unit${s.units === 1 ? '' : 's'}, shape ${s.shape.join('×')}`;
  const lines = [
    `${sites.length} site${sites.length === 1 ? '' : 's'}` +
      (shown.length < sites.length ? `; the ${shown.length} with names:` : ':'),
    ...shown.slice(0, 120).map(line),
    ...(shown.length > 120 ? [`  … ${shown.length - 120} more (see data)`] : []),
    'Units are written site:index. Give a site for per-unit statistics over the probe set.',
  ];
  return {
    text: lines.join('\n'),
    images: [],
    data: { sites: sites.map((s) => ({ ...s })) },
  };
}
