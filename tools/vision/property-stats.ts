import { z } from 'zod';
import type { SceneSpec } from '../../stimuli/spec.ts';
import { isUpsideDown } from '../../stimuli/probeset-text-lines.ts';
import type { ToolContext } from '../context.ts';
import { pearson } from '../metrics/correlation.ts';
import { defineTool } from '../tool.ts';
import { withToolErrors } from '../common/errors.ts';
import { fmt, round } from '../common/format.ts';
import { unitActivations } from '../common/unit-activations.ts';

/**
 * property_stats: how a unit's activation goes with scene properties that concept masks do not hold:
 * each character of the scene's text, each whole word, the orientation of the scene (upright or upside
 * down) and each other effect. A text-reading model's output unit for 'e' or an orientation classifier
 * answers to these, not to any object in the picture; concept_stats cannot see them.
 */

const Input = z.strictObject({
  unit: z.string().trim().min(1).describe("the unit, 'site:index'"),
  top_k: z.number().int().min(1).max(30).default(8).describe('properties listed (default 8)'),
  kinds: z
    .array(z.enum(['char', 'word', 'orientation', 'effect']))
    .min(1)
    .optional()
    .describe('which kinds of property to rank (default all)'),
});

/** Properties seen in fewer scenes than this (or missing from fewer) are not ranked: r would be noise. */
const MIN_SCENES = 5;

export type PropertyKind = 'char' | 'word' | 'orientation' | 'effect';

export interface PropertyScore {
  /** `char:e`, `word:stop`, `orientation:upside-down`, `orientation:upright`, `effect:blur`. */
  property: string;
  kind: PropertyKind;
  /** How it reads in a sentence: "the letter 'e'", "upside down (rotated 180°)". */
  label: string;
  /** Scenes that have it. */
  scenes: number;
  /** Mean activation on scenes with it and on the others. */
  meanWith: number;
  meanWithout: number;
  /** Pearson r over scenes between the unit's activation and the property (1 with it, 0 without). */
  r: number;
  /**
   * For text and effects, when the probe set has both orientations: r within upright scenes and
   * within upside-down ones, averaged by their sizes. Orientation can swamp everything a text model
   * does (it reads upside-down lines badly), so this is what says which letter a unit reads.
   */
  rWithinOrientation?: number;
  /** What the ranking uses: rWithinOrientation when there is one, else r. */
  score: number;
}

export interface PropertyStatsData {
  unit: string;
  probeSet: string;
  scenes: number;
  /** Best first (highest score). */
  top: PropertyScore[];
  /** Most negative r first: what goes with the unit being silent. */
  bottom: PropertyScore[];
  /** Properties ranked (present in at least MIN_SCENES scenes and absent from as many). */
  ranked: number;
}

export const propertyStatsTool = defineTool({
  name: 'property_stats',
  description:
    "Correlates a unit's activation over the whole probe set with scene properties that concept masks do not " +
    "hold: each character in the scene's text (char:e), each whole word (word:stop), the orientation " +
    '(orientation:upright / orientation:upside-down, a 180° rotation) and each other effect (effect:blur, …). ' +
    'For each: scenes with it, mean activation with and without it, and r. Use it for units of text-reading ' +
    'models (which character an output unit stands for) and orientation classifiers, where concept_stats finds ' +
    'only words or nothing.',
  input: Input,
  async execute(args: z.output<typeof Input>, ctx: ToolContext) {
    return withToolErrors('property_stats', async () => {
      const unit = ctx.probe.parseUnit(args.unit);
      const set = await ctx.probeSet();
      const values = await unitActivations(ctx, unit);
      const kinds = new Set<PropertyKind>(args.kinds ?? ['char', 'word', 'orientation', 'effect']);
      const scores = rankProperties(
        set.scenes.map((scene) => scene.spec),
        values,
        kinds,
      );
      const data: PropertyStatsData = {
        unit: unit.id,
        probeSet: set.id,
        scenes: set.n,
        top: scores.slice(0, args.top_k),
        bottom: [...scores]
          .reverse()
          .filter((s) => s.score < 0)
          .slice(0, Math.min(3, args.top_k)),
        ranked: scores.length,
      };
      return { text: describe(data), images: [], data };
    });
  },
});

/** The properties of one scene's spec (a set of property keys). */
export function sceneProperties(spec: SceneSpec, kinds: ReadonlySet<PropertyKind>): Set<string> {
  const out = new Set<string>();
  for (const item of spec.items) {
    if (item.kind !== 'word') continue;
    const text = item.name.toLowerCase();
    if (kinds.has('word')) out.add(`word:${text}`);
    if (kinds.has('char')) for (const c of text) if (/[a-z0-9]/.test(c)) out.add(`char:${c}`);
  }
  if (kinds.has('orientation'))
    out.add(isUpsideDown(spec) ? 'orientation:upside-down' : 'orientation:upright');
  if (kinds.has('effect'))
    spec.effects.forEach((effect, i) => {
      // The last 180° turn is the orientation, not another effect.
      const orientation = effect.kind === 'rotate' && i === spec.effects.length - 1 && isUpsideDown(spec);
      if (!orientation) out.add(`effect:${effect.kind}`);
    });
  return out;
}

/** Every property present in and absent from at least MIN_SCENES scenes, scored, best first. */
export function rankProperties(
  specs: readonly SceneSpec[],
  values: ArrayLike<number>,
  kinds: ReadonlySet<PropertyKind>,
): PropertyScore[] {
  const n = specs.length;
  const present = new Map<string, Uint8Array>();
  specs.forEach((spec, s) => {
    for (const key of sceneProperties(spec, kinds)) {
      let column = present.get(key);
      if (!column) present.set(key, (column = new Uint8Array(n)));
      column[s] = 1;
    }
  });
  const strata = orientationStrata(specs);
  const scores: PropertyScore[] = [];
  for (const [property, column] of present) {
    let count = 0;
    let sumWith = 0;
    let sumWithout = 0;
    for (let s = 0; s < n; s++) {
      const v = values[s] as number;
      if (column[s]) {
        count++;
        sumWith += v;
      } else sumWithout += v;
    }
    if (count < MIN_SCENES || n - count < MIN_SCENES) continue;
    const kind = property.slice(0, property.indexOf(':')) as PropertyKind;
    const r = round(pearson(column, values), 4);
    const within = kind === 'orientation' || !strata ? undefined : withinStrata(column, values, strata);
    scores.push({
      property,
      kind,
      label: propertyLabel(property),
      scenes: count,
      meanWith: round(sumWith / count, 4),
      meanWithout: round(sumWithout / (n - count), 4),
      r,
      ...(within !== undefined ? { rWithinOrientation: round(within, 4) } : {}),
      score: within !== undefined ? round(within, 4) : r,
    });
  }
  return scores.sort((a, b) => b.score - a.score || a.property.localeCompare(b.property));
}

/** Upright and upside-down scene indices, when each holds at least MIN_SCENES scenes. */
function orientationStrata(specs: readonly SceneSpec[]): number[][] | undefined {
  const upright: number[] = [];
  const upsideDown: number[] = [];
  specs.forEach((spec, s) => (isUpsideDown(spec) ? upsideDown : upright).push(s));
  return upright.length >= MIN_SCENES && upsideDown.length >= MIN_SCENES ? [upright, upsideDown] : undefined;
}

/** r within each stratum, averaged by stratum size (strata where r is undefined are left out). */
function withinStrata(column: Uint8Array, values: ArrayLike<number>, strata: number[][]): number {
  let sum = 0;
  let weight = 0;
  for (const stratum of strata) {
    const x = stratum.map((s) => column[s] as number);
    const y = stratum.map((s) => values[s] as number);
    if (x.every((v) => v === x[0])) continue;
    sum += pearson(x, y) * stratum.length;
    weight += stratum.length;
  }
  return weight > 0 ? sum / weight : 0;
}

/** A property as it reads in a sentence (and as benchmark scorers recognise it). */
export function propertyLabel(property: string): string {
  const colon = property.indexOf(':');
  const kind = property.slice(0, colon);
  const value = property.slice(colon + 1);
  switch (kind) {
    case 'char':
      return `the letter '${value}'`;
    case 'word':
      return `the word "${value}"`;
    case 'orientation':
      return value === 'upside-down' ? 'text upside down (rotated 180°)' : 'text upright (not rotated)';
    default:
      return `a ${value} effect`;
  }
}

function describe(data: PropertyStatsData): string {
  const line = (s: PropertyScore) =>
    `  ${s.property} — r ${fmt(s.r)}` +
    (s.rWithinOrientation !== undefined ? ` (${fmt(s.rWithinOrientation)} within each orientation)` : '') +
    `: mean ${fmt(s.meanWith)} in ${s.scenes} scenes with ${s.label} vs ${fmt(s.meanWithout)} without`;
  if (data.ranked === 0)
    return (
      `property_stats for ${data.unit} over ${data.scenes} probe scenes: no text, orientation or effect varies ` +
      `enough over the probe set to rank (each needs ${MIN_SCENES} scenes with it and without it).`
    );
  return [
    `property_stats for ${data.unit} over ${data.scenes} probe scenes (${data.ranked} properties ranked). ` +
      'Highest r (text and effects ranked by r within each orientation, when both occur):',
    ...data.top.map(line),
    ...(data.bottom.length ? ['Most negative (the unit is low with these):', ...data.bottom.map(line)] : []),
  ].join('\n');
}
