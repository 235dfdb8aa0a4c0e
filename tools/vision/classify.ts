import { z } from 'zod';
import { softmax } from '../../subjects/index.ts';
import type { ToolContext } from '../context.ts';
import type { OutputScores } from '../probe/types.ts';
import { defineTool } from '../tool.ts';
import { resolveStimuli, StimuliArg } from '../scenes/stimulus-arg.ts';
import { withToolErrors } from '../common/errors.ts';
import { fmt } from '../common/format.ts';
import { stimuliCost } from '../scenes/cost.ts';

const Input = z.strictObject({
  stimuli: StimuliArg,
  top: z.number().int().min(1).max(10).default(3).describe('labels to report per stimulus (default 3)'),
});

export interface ClassifyData {
  kind: OutputScores['kind'];
  labels: string[];
  /** Per stimulus: the top labels with their scores (probabilities for classifiers). */
  results: { label: string; top: { label: string; score: number }[]; text?: string }[];
  /** Per stimulus, every label's score as the subject reports it. */
  scores: number[][];
}

/** classify: the subject's answer (top output labels) for each stimulus. */
export const classifyTool = defineTool({
  name: 'classify',
  description:
    'Run the subject on stimuli and report its answer for each: the top labels with their scores ' +
    '(probabilities for a classifier; logits are converted with a softmax; for synthetic units, the ' +
    'most active units). Use it to see what the model decides on a stimulus, e.g. an upright vs a ' +
    'rotated line of text, before and after you change the scene.',
  input: Input,
  cost: (args, ctx: ToolContext) => stimuliCost(args.stimuli, ctx, 1),
  async execute(args: z.output<typeof Input>, ctx: ToolContext, { signal }) {
    return withToolErrors('classify', async () => {
      const stimuli = await resolveStimuli(args.stimuli, ctx, 'classify', signal);
      const outputs = await ctx.probe.outputs(stimuli.map((s) => s.scene));
      const isClassifier = outputs.kind !== 'activations';
      const results: ClassifyData['results'] = stimuli.map((stimulus, s) => {
        const row = outputs.scores[s] ?? new Float32Array();
        const scores = outputs.kind === 'logits' ? softmax(row) : Array.from(row);
        const top = scores
          .map((score, index) => ({ label: outputs.labels[index] ?? String(index), score }))
          .sort((a, b) => b.score - a.score || a.label.localeCompare(b.label))
          .slice(0, args.top);
        const text = outputs.text?.[s];
        return { label: stimulus.label, top, ...(text !== undefined ? { text } : {}) };
      });
      const what = isClassifier ? 'P' : 'activation';
      const lines = results.map(
        (r, s) =>
          `[${s}] ${r.label}: ` +
          (r.text !== undefined ? `reads "${r.text}"; ` : '') +
          r.top.map((t) => `${what}(${t.label}) = ${fmt(t.score)}`).join(', '),
      );
      const data: ClassifyData = {
        kind: outputs.kind,
        labels: outputs.labels,
        results,
        scores: outputs.scores.map((row) => Array.from(row)),
      };
      return { text: lines.join('\n'), images: [], data };
    });
  },
});
