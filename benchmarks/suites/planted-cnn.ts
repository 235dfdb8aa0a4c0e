import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describeFormula, formulaConcepts, parseFormula } from '../../subjects/synthetic/index.ts';
import { ZOO_DIR } from '../../subjects/zoo.ts';
import { InputError } from '../../util/errors.ts';
import { Suite, Task, type ScorerName } from '../suite.ts';

/**
 * The planted-cnn suite: one task per planted unit of zoo/planted-cnn that learned its concept
 * (its recipe measured each planted unit on held-out scenes and kept those above its thresholds;
 * the dropped ones have no reliable answer and are left out). The truth is the formula the unit was
 * trained to reproduce; the headline is the formula scorer — the answer's formula against the unit's
 * own activations on held-out 32×32 probe scenes — with the concept scorer beside it.
 */

export const PLANTED_SUITE_NAME = 'planted-cnn';
export const PLANTED_SUBJECT = 'planted-cnn';
export const PLANTED_SCORERS: ScorerName[] = ['formula', 'concept'];
/** Held-out scenes: a seed other than the recipe's training (31) and measurement (32) sets. */
export const PLANTED_HELD_OUT = { seed: 33, n: 1000 } as const;

/** What the suite reads of the organism's metrics.json (the recipe writes more). */
export const PlantedMetrics = z.object({
  units: z.array(
    z.object({
      unit: z.string(),
      family: z.string(),
      formula: z.string(),
      iou: z.number(),
      auroc: z.number().nullable(),
      selectivity: z.number(),
      kept: z.boolean(),
    }),
  ),
});
export type PlantedMetrics = z.infer<typeof PlantedMetrics>;

export function readPlantedMetrics(dir = join(ZOO_DIR, PLANTED_SUBJECT)): PlantedMetrics {
  const path = join(dir, 'metrics.json');
  const result = PlantedMetrics.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!result.success)
    throw new InputError(`${path} is not a planted CNN's metrics:\n${z.prettifyError(result.error)}`);
  return result.data;
}

function slug(formula: string): string {
  return formula
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function plantedCnnSuite(metrics: PlantedMetrics): Suite {
  const tasks = metrics.units
    .filter((unit) => unit.kept)
    .map((unit) => {
      const formula = parseFormula(unit.formula);
      return Task.parse({
        id: `planted-${unit.family}-${slug(unit.formula)}`,
        family: unit.family,
        subject: PLANTED_SUBJECT,
        unit: unit.unit,
        question: `What does unit ${unit.unit} of ${PLANTED_SUBJECT} detect?`,
        truth: {
          formula: unit.formula,
          concepts: formulaConcepts(formula),
          description: `Fires on ${describeFormula(formula)} (a planted unit, trained to).`,
        },
        scorers: PLANTED_SCORERS,
        heldOut: { ...PLANTED_HELD_OUT },
        origin:
          `zoo/planted-cnn: trained by an auxiliary loss toward ${unit.formula}; on the recipe's held-out ` +
          `scenes IoU ${unit.iou.toFixed(3)}, AUROC ${(unit.auroc ?? Number.NaN).toFixed(3)}, selectivity ${unit.selectivity.toFixed(3)}`,
      });
    });
  if (tasks.length === 0) throw new InputError('no planted unit of planted-cnn learned its concept');
  return Suite.parse({
    name: PLANTED_SUITE_NAME,
    description:
      'The planted units of zoo/planted-cnn that learned their concept (mono, OR, AND-conditional, spatial): ' +
      "describe each; scored by the answer formula's correlation with the unit on held-out scenes, and by concept.",
    version: 1,
    tasks,
  });
}
