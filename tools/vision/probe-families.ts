import { z } from 'zod';
import { parseFormula, evaluateFormula, printFormula, DEFAULT_GRID } from '../../subjects/synthetic/index.ts';
import { withToolErrors } from '../common/errors.ts';
import { fmt } from '../common/format.ts';
import { parseUnits } from '../common/unit-args.ts';
import { pearson } from '../metrics/correlation.ts';
import type { ToolContext } from '../context.ts';
import { FAMILY_KINDS, probeFamily } from '../scenes/probe-families.ts';
import { scoreSpecs } from '../scenes/spec-scorer.ts';
import { SyntheticProbe } from '../probe/synthetic-probe.ts';
import { defineTool, ToolError } from '../tool.ts';

const Input = z.strictObject({
  unit: z.string().trim().min(1).describe("the unit, 'site:index'"),
  family: z
    .enum(FAMILY_KINDS)
    .describe(
      'which factor to vary: count (1..9 copies of x), relation (x above/below/left of/right of y, each alone), ' +
        'background (x on white and every scene background), size (x at heights 0.1..0.8), position (x at 9 places)',
    ),
  x: z
    .string()
    .trim()
    .min(1)
    .describe('the concept to draw, e.g. "cat" (objects, shapes, colours, textures, words)'),
  y: z.string().trim().min(1).optional().describe('the second concept, for the relation family'),
  background: z.string().trim().min(1).optional().describe('background of every stimulus (default white)'),
  formulas: z
    .array(z.string().trim().min(1).max(300))
    .max(20)
    .optional()
    .describe('formulas to score on these stimuli: r between each formula and the unit over the family'),
});

export interface ProbeFamilyData {
  unit: string;
  family: string;
  levels: { level: string; activation: number }[];
  formulas: { formula: string; r: number; values: number[] }[];
}

/** probe_families: the unit's response as one factor varies and the rest stays still. */
export const probeFamiliesTool = defineTool({
  name: 'probe_families',
  description:
    "A targeted probe set: stimuli that vary one factor of a concept x (how many, where relative to y, on " +
    'which background, how large, where in the image) with everything else held still, and the unit\'s ' +
    'activation per level. Use it after search_stimuli or exemplars suggest a concept, to tell "cat" from ' +
    '"exactly two cats", "bird" from "bird above a tree", "boat" from "boat on sand". Optional formulas are ' +
    'scored on the same stimuli (Pearson r with the unit), so a formula can be checked where the random ' +
    'probe set has no examples.',
  input: Input,
  async execute(args: z.output<typeof Input>, ctx: ToolContext) {
    return withToolErrors('probe_families', async () => {
      const [unit] = parseUnits(ctx, [args.unit]);
      if (!unit) throw new Error('no unit');
      if (args.family === 'relation' && args.y === undefined)
        throw new ToolError("the relation family needs 'y', the concept x is placed against", 'probe_families');
      const { width, height } = ctx.probe.sceneSize;
      const family = probeFamily(args.family, args.x, {
        width, height,
        ...(args.y !== undefined ? { y: args.y } : {}),
        ...(args.background !== undefined ? { background: args.background } : {}),
      }); // prettier-ignore
      const { scenes, activations } = await scoreSpecs(ctx.probe, unit, family.map((f) => f.spec));
      const levels = family.map((f, k) => ({ level: f.level, activation: activations[k] ?? NaN }));
      const grid = ctx.probe instanceof SyntheticProbe ? ctx.probe.subject.grid : DEFAULT_GRID;
      const bad: string[] = [];
      const formulas: ProbeFamilyData['formulas'] = [];
      for (const text of args.formulas ?? []) {
        try {
          const formula = parseFormula(text);
          const values = scenes.map((s) => evaluateFormula(formula, s, { grid }).value);
          formulas.push({ formula: printFormula(formula), r: pearson(values, Array.from(activations)), values });
        } catch (error) {
          bad.push(`'${text}': ${(error as Error).message}`);
        }
      }
      if (bad.length > 0) throw new ToolError(`formulas that do not parse: ${bad.join('; ')}`, 'probe_families');
      const lines = [
        `${args.unit}, ${args.family} of ${args.x}${args.y ? ` against ${args.y}` : ''}:`,
        ...levels.map((l) => `  ${l.level}: ${fmt(l.activation)}`),
        ...formulas.map((f) => `formula ${f.formula}: r ${Number.isNaN(f.r) ? 'n/a (constant)' : fmt(f.r)} on these ${levels.length} stimuli`),
      ];
      const data: ProbeFamilyData = { unit: args.unit, family: args.family, levels, formulas };
      return { text: lines.join('\n'), images: [], data };
    });
  },
}); // prettier-ignore
