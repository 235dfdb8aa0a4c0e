import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolCallBudget } from '../../../tools/call-budget.ts';
import { createToolContext, createVisionRegistry, type ToolContext } from '../../../tools/index.ts';
import { ToolError, type ToolResult } from '../../../tools/tool.ts';
import { invalidArgumentText, schemaArbitrary, type JsonSchema } from './schema-arbitrary.ts';

/**
 * Fuzzing every tool through the registry, as a model's calls reach it: arguments drawn from each
 * tool's JSON Schema (valid by the schema, though mostly meaningless to the tool), the same with a
 * field replaced or added, numbers JSON cannot hold, and text that is not JSON. Every call must end
 * in a result or a ToolError — never another exception, never a hang — within its budget. Seeded,
 * so a failure reproduces; fast-check prints the seed and the shrunk arguments.
 */

const SEED = 20261206;
/** Small, so each case is bounded to well under a second while still running real work. */
const BUDGET: ToolCallBudget = { maxPixelOps: 2e7, maxForwardPasses: 200, maxMs: 1500 };
/** What a call may overrun its limit by: synchronous work between two checks of the signal. */
const SLACK_MS = 1500;
const VALID_RUNS = 140;
const INVALID_RUNS = 90;

const POOL: Record<string, readonly string[]> = {
  '*': ['dog', 'a red dog on grass', 'synthetic:0', 'c1', 'h1', 'striped', 'sky', 'word:stop'],
  unit: ['synthetic:0', 'synthetic:1', 'synthetic:x', 'synthetic'],
  units: ['synthetic:0', 'synthetic:0,synthetic:0', 'nope:3'],
  stimuli: ['a red dog on grass', 'a cat on snow', 'two striped circles', 'a dog'],
  edits: ['replace the dog with a cat', 'remove the dog', 'make the dog blue'],
  exemplars_of: ['synthetic:0'],
  watch: ['synthetic:0'],
  site: ['synthetic', 'conv'],
  concept: ['dog', 'cat', 'grass', 'unicorn', 'red'],
  outline: ['dog', 'unicorn', 'grass'],
  label: ['synthetic:0', '0', 'dog'],
  name: ['dog', 'cat', 'circle', 'unicorn'],
  background: ['grass', 'sky', 'white', 'brick wall'],
  formula: ['dog', 'dog OR cat', 'dog AND NOT grass', 'hue(red)', '(((('],
  text: ['the unit detects dogs', '\u001b]0;title\u0007'],
  description: ['dogs', ''],
  evidence: ['c1', 'h1', 'c999'],
};

const root = mkdtempSync(join(tmpdir(), 'aia-fuzz-'));
const registry = createVisionRegistry();
let context: ToolContext;

beforeAll(async () => {
  context = await createToolContext('synthetic:maia/mono-dog', {
    cacheDir: join(root, 'cache'),
    probeSetSize: 24,
    progress: false,
  });
  context.knownRefs = new Set(['c1']);
}, 120_000);

afterAll(async () => {
  await context.dispose();
  rmSync(root, { recursive: true, force: true });
});

/** One call: its outcome, or the property failure that names what went wrong. */
async function callWithin(tool: string, raw: string): Promise<void> {
  const started = performance.now();
  let result: ToolResult | undefined;
  try {
    result = await registry.call(tool, raw, context, { budget: BUDGET });
  } catch (error) {
    if (!(error instanceof ToolError))
      throw new Error(`${tool}(${raw.slice(0, 200)}) threw ${String(error)} instead of a ToolError`, {
        cause: error,
      });
    expect(error.message.length).toBeGreaterThan(0);
  }
  const elapsed = performance.now() - started;
  if (elapsed > BUDGET.maxMs + SLACK_MS)
    throw new Error(
      `${tool}(${raw.slice(0, 200)}) took ${Math.round(elapsed)} ms, over its ${BUDGET.maxMs} ms limit`,
    );
  if (result !== undefined) {
    expect(typeof result.text).toBe('string');
    for (const image of result.images) expect(image.png.subarray(1, 4).toString()).toBe('PNG');
  }
}

describe('fuzzed tool calls', () => {
  for (const spec of registry.specs()) {
    it(`${spec.name}: schema-drawn and malformed arguments end in a result or a ToolError within budget`, async () => {
      const valid = schemaArbitrary(spec.inputSchema as JsonSchema, { pool: POOL, maxItems: 4 });
      await fc.assert(
        fc.asyncProperty(valid, (args) => callWithin(spec.name, JSON.stringify(args))),
        { seed: SEED, numRuns: VALID_RUNS },
      );
      await fc.assert(
        fc.asyncProperty(invalidArgumentText(valid), (raw) => callWithin(spec.name, raw)),
        { seed: SEED + 1, numRuns: INVALID_RUNS },
      );
    }, 120_000);
  }

  it('an unknown tool name is a ToolError naming the tools', async () => {
    await expect(registry.call('render_scene', '{}', context)).rejects.toThrow(
      /unknown tool 'render_scene'; available tools: .*render_scenes/,
    );
  });
});
