import { z } from 'zod';
import type { SceneSpec } from '../../stimuli/spec.ts';
import { withToolErrors } from '../common/errors.ts';
import { fmt } from '../common/format.ts';
import { parseUnits } from '../common/unit-args.ts';
import { unitActivations } from '../common/unit-activations.ts';
import type { ToolContext } from '../context.ts';
import { sceneDrivers, type DriverReading } from '../scenes/scene-drivers.ts';
import { searchScenes, specContents, type ScoredSpec } from '../scenes/scene-search.ts';
import { scoreSpecs, specScorer } from '../scenes/spec-scorer.ts';
import { MAX_IMAGES, toolImage } from '../scenes/tool-images.ts';
import { defineTool, type ToolCallOptions, type ToolImage } from '../tool.ts';

const Input = z.strictObject({
  unit: z.string().trim().min(1).describe("the unit, 'site:index'"),
  budget: z
    .number()
    .int()
    .min(48)
    .max(20_000)
    .default(2000)
    .describe('scenes to evaluate (default 2000; a synthetic unit costs about 3 ms a scene)'),
  focus: z
    .array(z.string().trim().min(1))
    .max(12)
    .optional()
    .describe(
      'concepts to draw more often (half the draws), e.g. ["cat", "sand"]; categories expand to members',
    ),
  from_exemplars: z
    .boolean()
    .default(true)
    .describe("start the evolution from the probe set's 6 top scenes where the unit fires (default true)"),
  seed: z.number().int().min(0).optional().describe('search seed (default: the session seed)'),
  top_k: z.number().int().min(1).max(12).default(6).describe('best scenes to return (default 6)'),
});

/**
 * The search stops drawing scenes after this long and returns what it has, so that the edits of its
 * best scene and the pictures still fit in the registry's per-call limit (a minute by default) on a
 * busy machine.
 */
export const SEARCH_TIME_LIMIT_MS = 30_000;

export interface SearchStimuliData {
  unit: string;
  evaluated: number;
  resting: number;
  moved: boolean;
  /** Why the search stopped before its budget, if it did. */
  stopped?: 'time' | 'aborted' | 'converged';
  best: { activation: number; contents: string; spec: SceneSpec }[];
  /** Counterfactual edits of the best scene: what each change did to the unit. */
  drivers: DriverReading[];
}

/** search_stimuli: a seeded black-box search over scene specs for what drives a unit. */
export const searchStimuliTool = defineTool({
  name: 'search_stimuli',
  description:
    'Search for stimuli that drive a unit when the probe set shows little (a silent or rare unit: ' +
    'dataset_exemplars all near zero, no concept matches). A seeded evolutionary search over scene specs: ' +
    'a sweep of every pair of objects side by side and one above the other (16 objects a scene), dense ' +
    'grids of objects, several copies of one object, two ' +
    'objects in each relation, objects on scene backgrounds, then small edits of the best scenes (add a ' +
    'copy, remove, move, resize, recolour, change the background). Returns the best scenes with their ' +
    'activation and contents, and counterfactual edits of the best one (remove every X, remove one X, one ' +
    'more X, background → white) with the change in activation: what is needed, and whether a count ' +
    'matters. Follow up with probe_families (counts, relations, backgrounds, sizes, positions of what ' +
    'it found) and formula_search formulas.',
  input: Input,
  // Every evaluated scene is rendered once and scored once (the counterfactual edits after are a few more).
  cost: (args, ctx: ToolContext) => {
    const { width, height } = ctx.probe.sceneSize;
    return {
      pixelOps: args.budget * width * height,
      forwardPasses: args.budget,
      detail: `a search over ${args.budget.toLocaleString('en-US')} scenes of ${width}×${height} px`,
      shrink: 'a smaller budget',
    };
  },
  async execute(args: z.output<typeof Input>, ctx: ToolContext, options: ToolCallOptions) {
    return withToolErrors('search_stimuli', async () => {
      const [unit] = parseUnits(ctx, [args.unit]);
      if (!unit) throw new Error('no unit');
      const { width, height } = ctx.probe.sceneSize;
      const start: SceneSpec[] = [];
      if (args.from_exemplars) {
        const values = await unitActivations(ctx, unit);
        const order = Array.from(values.keys()).sort((a, b) => (values[b] ?? 0) - (values[a] ?? 0));
        const set = await ctx.probeSet();
        for (const i of order.slice(0, 6)) start.push(set.scenes[i]?.spec as SceneSpec);
      }
      const score = specScorer(ctx.probe, unit);
      const result = await searchScenes(score, {
        seed: args.seed ?? ctx.seed,
        budget: args.budget,
        width,
        height,
        ...(args.focus ? { focus: args.focus } : {}),
        start,
        keep: args.top_k,
        timeLimitMs: SEARCH_TIME_LIMIT_MS,
        signal: options.signal,
      });
      const best = result.best;
      const top = best[0];
      const drivers = top && result.moved ? (await sceneDrivers(score, top.spec)).readings : [];
      const lines = [
        `${args.unit}: searched ${result.evaluated} scenes` +
          (result.stopped === 'time'
            ? ` (stopped at ${SEARCH_TIME_LIMIT_MS / 1000} s, before its budget of ${args.budget}; call again with another seed to search on)`
            : result.stopped === 'converged'
              ? ` (the best scene stopped improving, before the budget of ${args.budget})`
              : '') +
          `; resting activation ${fmt(result.resting)}; ` +
          (result.moved ? `best ${fmt(top?.activation ?? NaN)}.` : 'no scene moved the unit above its resting level.'),
        ...best.map((s: ScoredSpec, k) => `[${k}] ${fmt(s.activation)}  ${specContents(s.spec)}`),
      ];
      if (drivers.length > 0) {
        lines.push(`Counterfactual edits of [0] (activation ${fmt(top?.activation ?? NaN)}):`);
        for (const d of [...drivers].sort((a, b) => b.drop - a.drop)) {
          lines.push(`  ${d.change}: ${fmt(d.activation)} (${d.drop >= 0 ? '−' : '+'}${fmt(Math.abs(d.drop))})`);
        }
      }
      const images: ToolImage[] = [];
      if (best.length > 0) {
        const { scenes } = await scoreSpecs(ctx.probe, unit, best.slice(0, Math.min(4, MAX_IMAGES)).map((s) => s.spec));
        for (const [k, scene] of scenes.entries()) {
          images.push(await toolImage(scene.image, `[${k}] ${fmt(best[k]?.activation ?? NaN)}: ${specContents(scene.spec)}`));
        }
      }
      const data: SearchStimuliData = {
        unit: args.unit,
        evaluated: result.evaluated,
        resting: result.resting,
        moved: result.moved,
        ...(result.stopped ? { stopped: result.stopped } : {}),
        best: best.map((s) => ({ activation: s.activation, contents: specContents(s.spec), spec: s.spec })),
        drivers,
      };
      return { text: lines.join('\n'), images, data };
    });
  },
}); // prettier-ignore
