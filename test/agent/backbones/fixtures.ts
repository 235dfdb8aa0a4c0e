import { createHash } from 'node:crypto';
import type { ImagePart, ToolResultPart } from '../../../agent/backbone.ts';
import type { ToolSpec } from '../../../tools/registry.ts';

/** Shared pieces of the conversations the backbone tests hold with the mock server. */

export const SECRET_KEY = 'sk-test-SECRET-123';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG-signed bytes, distinct per label, so a test can tell which image landed where. */
export function image(label: string): ImagePart {
  const png = Buffer.concat([PNG_SIGNATURE, Buffer.from(`IHDR-${label}`)]);
  return {
    type: 'image',
    sha256: createHash('sha256').update(png).digest('hex'),
    png,
    caption: `scene ${label}`,
  };
}

const schema = (properties: Record<string, unknown>, required: string[]): Record<string, unknown> => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

export const TOOLS: ToolSpec[] = [
  {
    name: 'render_scenes',
    description: 'Render scenes from phrases.',
    inputSchema: schema({ phrases: { type: 'array', items: { type: 'string' } } }, ['phrases']),
  },
  {
    name: 'call_units',
    description: 'Activations of units on images.',
    inputSchema: schema({ unit: { type: 'string' } }, ['unit']),
  },
  {
    name: 'submit_answer',
    description: 'The final answer.',
    inputSchema: schema({ description: { type: 'string' } }, ['description']),
  },
];

export const ANSWER_TOOL: ToolSpec[] = TOOLS.filter((tool) => tool.name === 'submit_answer');

export function result(
  callId: string,
  name: string,
  text: string,
  images: ImagePart[] = [],
  isError = false,
): ToolResultPart {
  return { callId, name, text, images, isError, data: { secretOfTheTool: 'never sent' } };
}
