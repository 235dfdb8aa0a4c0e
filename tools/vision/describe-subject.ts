import { z } from 'zod';
import type { ToolContext } from '../context.ts';
import { defineTool } from '../tool.ts';

/** describe_subject: what the subject is, its input size, outputs and named sites. */
export const describeSubjectTool = defineTool({
  name: 'describe_subject',
  description:
    'Describe the subject under study: what kind of model it is, the size scenes are rendered at, what ' +
    'its outputs mean (labels), and its named sites (layers) with unit counts. Call it first; it costs ' +
    'nothing. Returns text; data holds the same facts as JSON.',
  input: z.strictObject({}),
  async execute(_args: Record<string, never>, ctx: ToolContext) {
    const { text, data } = ctx.probe.describe();
    return { text, images: [], data };
  },
});
