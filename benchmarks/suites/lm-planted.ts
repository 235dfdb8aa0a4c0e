import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseTextFormula, printTextFormula, textFormulaTerms } from '../../subjects/synthetic-text/index.ts';
import { ZOO_DIR } from '../../subjects/zoo.ts';
import { Suite, Task } from '../suite.ts';
import { TEXT_HELD_OUT } from './text-synthetic.ts';

/**
 * The lm-planted suite: one task per planted neuron of zoo/lm-planted that its recipe kept (the neuron
 * passed the selectivity bar on held-out text). Each asks what the neuron responds to; the truth is the
 * concept it was planted for (a formula of the text concept language), scored token by token on the same
 * held-out texts its selectivity was measured on (the corpus's test split), plus the concept scorer.
 */
export const LM_PLANTED_SUITE_NAME = 'lm-planted';

const PlantedMetrics = z.looseObject({
  neurons: z.array(
    z.looseObject({
      id: z.string(),
      unit: z.string(),
      formula: z.string(),
      description: z.string(),
      kept: z.boolean(),
      selectivity: z.looseObject({ r: z.number(), auroc: z.number(), precisionTop: z.number() }),
    }),
  ),
});

export function lmPlantedSuite(metricsPath = join(ZOO_DIR, 'lm-planted', 'metrics.json')): Suite {
  const metrics = PlantedMetrics.parse(JSON.parse(readFileSync(metricsPath, 'utf8')));
  const tasks = metrics.neurons
    .filter((n) => n.kept)
    .map((n) => {
      const tree = parseTextFormula(n.formula);
      return Task.parse({
        id: `lm-planted-${n.id}`,
        family: n.formula.startsWith('word(') ? 'word' : 'concept',
        subject: 'lm-planted',
        unit: n.unit,
        question: `What does neuron ${n.unit} of this language model respond to?`,
        truth: {
          formula: printTextFormula(tree),
          concepts: textFormulaTerms(tree),
          description: n.description,
        },
        scorers: ['formula', 'concept'],
        heldOut: TEXT_HELD_OUT,
        origin:
          `planted by zoo/lm-planted/recipe.ts; held-out selectivity r ${n.selectivity.r.toFixed(3)}, ` +
          `AUROC ${n.selectivity.auroc.toFixed(3)}, top precision ${n.selectivity.precisionTop.toFixed(2)}`,
      });
    });
  return Suite.parse({
    name: LM_PLANTED_SUITE_NAME,
    description:
      'MLP neurons of our small GPT planted by weight edits to fire on token categories (colours, animals, a word, ' +
      'sentence starts …); describe each; scored token by token on held-out text (docs/benchmarks.md).',
    version: 1,
    tasks,
  });
}
