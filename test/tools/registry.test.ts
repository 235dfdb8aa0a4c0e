import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ToolRegistry } from '../../tools/registry.ts';
import { ToolError, defineTool } from '../../tools/tool.ts';

const add = defineTool({
  name: 'add',
  description: 'Add two numbers.',
  input: z.strictObject({ a: z.number(), b: z.number().default(1) }),
  async execute(args: { a: number; b: number }, ctx: { offset: number }) {
    const sum = args.a + args.b + ctx.offset;
    return { text: `sum ${sum}`, images: [], data: { sum } };
  },
});

describe('ToolRegistry', () => {
  const registry = new ToolRegistry<{ offset: number }>([add]);

  it('validates arguments, applies defaults and runs the handler', async () => {
    const result = await registry.call('add', { a: 2 }, { offset: 10 });
    expect(result.data).toEqual({ sum: 13 });
  });

  it('accepts arguments as a JSON string, as chat APIs deliver them', async () => {
    const result = await registry.call('add', '{"a": 1, "b": 2}', { offset: 0 });
    expect(result.text).toBe('sum 3');
  });

  it('turns malformed JSON, schema violations and unknown tools into ToolErrors naming the problem', async () => {
    await expect(registry.call('add', '{"a": 1,', { offset: 0 })).rejects.toThrow(/not valid JSON/);
    await expect(registry.call('add', { a: 'x' }, { offset: 0 })).rejects.toThrow(/a: .*expected number/);
    await expect(registry.call('add', { a: 1, c: 2 }, { offset: 0 })).rejects.toThrow(/Unrecognized key/);
    const unknown = registry.call('subtract', {}, { offset: 0 });
    await expect(unknown).rejects.toBeInstanceOf(ToolError);
    await expect(unknown).rejects.toThrow(/unknown tool 'subtract'; available tools: add/);
  });

  it('exports a JSON Schema for each tool with defaults optional', () => {
    const [spec] = registry.specs();
    expect(spec?.name).toBe('add');
    expect(spec?.inputSchema).toMatchObject({ type: 'object', required: ['a'] });
    expect(spec?.inputSchema).not.toHaveProperty('$schema');
  });
});
