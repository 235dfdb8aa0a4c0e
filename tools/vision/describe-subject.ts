import { z } from 'zod';
import type { ToolContext } from '../context.ts';
import { defineTool } from '../tool.ts';
import { datasetsForSize } from '../../stimuli/datasets/registry.ts';
import type { AnnotatedDataset } from '../../stimuli/datasets/dataset-image.ts';

/** describe_subject: what the subject is, its input size, outputs and named sites. */
export const describeSubjectTool = defineTool({
  name: 'describe_subject',
  description:
    'Describe the subject under study: what kind of model it is, the size scenes are rendered at, what ' +
    'its outputs mean (labels), and its named sites (layers) with unit counts. Call it first; it costs ' +
    'nothing. Lists the annotated datasets of its input size (sets, concepts, edits). Returns text; data holds the same facts as JSON.',
  input: z.strictObject({}),
  async execute(_args: Record<string, never>, ctx: ToolContext) {
    const { text, data } = ctx.probe.describe();
    // Datasets of the subject's input size: what model_reliance and the image tools can show it.
    const { width, height } = ctx.probe.sceneSize;
    const datasets = ctx.probe.kind === 'onnx' ? datasetsForSize(width, height) : [];
    if (datasets.length === 0) return { text, images: [], data };
    return {
      text: [text, ...datasets.map(describeDataset)].join('\n'),
      images: [],
      data: { ...data, datasets: datasets.map(datasetData) },
    };
  },
});

function describeDataset(d: AnnotatedDataset): string {
  const sets = d.sets.map((s) => `${s.name} (${s.size}: ${s.description})`).join('; ');
  const concepts = d.concepts.map((c) => `${c.name} (${c.role}: ${c.description})`).join('; ');
  const edits = d.edits.map((e) => `${e.concept}: ${e.ops.join(', ')}`).join('; ');
  return (
    `Annotated dataset ${d.name}: ${d.description}. Sets: ${sets}. Concepts: ${concepts}. ` +
    `Edits: ${edits}; colours: ${d.colours.join(', ')}. Show an image as {"dataset": "${d.name}", "set", "index", "edits"?}.`
  );
}

function datasetData(d: AnnotatedDataset) {
  return {
    name: d.name,
    description: d.description,
    size: { width: d.width, height: d.height },
    sets: d.sets,
    concepts: d.concepts,
    edits: d.edits,
    colours: d.colours,
  };
}
