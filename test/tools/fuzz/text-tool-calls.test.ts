import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolCallBudget } from '../../../tools/call-budget.ts';
import type { ToolRegistry } from '../../../tools/registry.ts';
import { openSubject, type SubjectSession } from '../../../tools/session.ts';
import type { TextToolContext } from '../../../tools/text-context.ts';
import { ToolError, type ToolResult } from '../../../tools/tool.ts';
import { writeTinyModel } from '../../subjects/language-model/fixtures.ts';
import { invalidArgumentText, schemaArbitrary, type JsonSchema } from './schema-arbitrary.ts';

/**
 * The text tools fuzzed as tool-calls.test.ts fuzzes the vision ones: schema-drawn arguments (mostly
 * meaningless to the tool), the same broken, and text that is not JSON, on both kinds of text subject
 * (synthetic text units, and a tiny GPT-2 for the tools only a language model has). Every call ends in
 * a result or a ToolError within its budget; seeded, so a failure reproduces.
 */

const SEED = 20261207;
const BUDGET: ToolCallBudget = { maxPixelOps: 2e7, maxForwardPasses: 200, maxMs: 1500 };
const SLACK_MS = 3000;
const VALID_RUNS = 60;
const INVALID_RUNS = 40;

/** Strings worth drawing, by property name; units and sites per kind of subject, mostly ones it has. */
function pool(units: readonly string[], sites: readonly string[]): Record<string, readonly string[]> {
  return {
    '*': ['noun', 'the cat sat', ...units, 'c1', 'h1', 'colour', 'word("the")'],
    unit: [...units, ...units, 'synthetic:x', 'blocks.9.mlp.hook_post:0'],
    units: [...units, 'nope:3'],
    site: [...sites, ...sites, 'nowhere'],
    prompt: ['The cat', 'Once upon a time', 'The red dog ran.'],
    texts: ['The red dog ran.', 'She said "hello" (twice).', 'one two three'],
    text: ['The red dog ran.', 'Once upon a time', '\u001b]0;title\u0007'],
    word: ['cat', 'blue', 'A'],
    category: ['colour', 'animal', 'unicorn'],
    formula: ['noun', 'noun OR colour', 'NOT verb', 'after(noun, colour)', '(((('],
    formulas: ['noun', 'colour AND NOT noun', '(('],
    candidates: ['noun', 'colour', 'word:the', 'unicorn'],
    concept: ['noun', 'colour', 'unicorn'],
    description: ['nouns', 'the word red'],
    evidence: ['c1', 'h1', 'c999'],
  };
}

const root = mkdtempSync(join(tmpdir(), 'aia-text-fuzz-'));
const subjects: { name: string; session: SubjectSession; pool: Record<string, readonly string[]> }[] = [];

beforeAll(async () => {
  const tiny = writeTinyModel();
  const kinds = [
    ['synthetic text units', 'synthetic-text:pos-noun', pool(['synthetic:0'], ['synthetic'])],
    [
      'a language model',
      tiny.modelPath,
      pool(
        ['blocks.0.mlp.hook_post:3', 'blocks.1.hook_resid_post:0'],
        ['blocks.0.mlp.hook_post', 'blocks.1.hook_resid_post'],
      ),
    ],
  ] as const;
  for (const [name, ref, strings] of kinds) {
    const session = await openSubject(ref, { cacheDir: join(root, 'cache'), stimuli: 12, progress: false });
    session.context.knownRefs = new Set(['c1']);
    subjects.push({ name, session, pool: strings });
  }
}, 120_000);

afterAll(async () => {
  for (const { session } of subjects) await session.context.dispose();
  rmSync(root, { recursive: true, force: true });
});

async function callWithin(session: SubjectSession, tool: string, raw: string): Promise<void> {
  const started = performance.now();
  let result: ToolResult | undefined;
  try {
    result = await session.withTools((registry, context) =>
      registry.call(tool, raw, context, { budget: BUDGET }),
    );
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

/** The tools of the subject of kind `name`, read once it is open. */
function specsOf(name: string): ReturnType<ToolRegistry<TextToolContext>['specs']> {
  const subject = subjects.find((s) => s.name === name);
  if (!subject) throw new Error(`no subject ${name}`);
  return subject.session.withTools((registry) => registry.specs());
}

describe.each(['synthetic text units', 'a language model'])('fuzzed text tool calls on %s', (name) => {
  it('every tool: schema-drawn and malformed arguments end in a result or a ToolError within budget', async () => {
    const { session, pool: strings } = subjects.find((s) => s.name === name)!;
    const specs = specsOf(name);
    expect(specs.length).toBeGreaterThan(5);
    for (const spec of specs) {
      const valid = schemaArbitrary(spec.inputSchema as JsonSchema, { pool: strings, maxItems: 3 });
      await fc.assert(
        fc.asyncProperty(valid, (args) => callWithin(session, spec.name, JSON.stringify(args))),
        { seed: SEED, numRuns: VALID_RUNS },
      );
      await fc.assert(
        fc.asyncProperty(invalidArgumentText(valid), (raw) => callWithin(session, spec.name, raw)),
        { seed: SEED + 1, numRuns: INVALID_RUNS },
      );
    }
  }, 600_000);
});
