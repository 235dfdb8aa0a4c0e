import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_TOOL_CALL_BUDGET } from '../../tools/call-budget.ts';
import { createToolContext, createVisionRegistry, type ToolContext } from '../../tools/index.ts';
import { ToolRegistry } from '../../tools/registry.ts';
import { ToolError, defineTool } from '../../tools/tool.ts';

/**
 * Bounded tool calls: a call whose estimated cost is over the per-call budget is refused before it
 * runs, saying what to shrink; a call that runs past its wall-clock limit is cancelled through its
 * AbortSignal and answered with a ToolError at the limit.
 */

const root = mkdtempSync(join(tmpdir(), 'aia-budget-'));
let context: ToolContext;
const registry = createVisionRegistry();
beforeAll(async () => {
  context = await createToolContext('synthetic:maia/mono-dog', {
    cacheDir: join(root, 'cache'),
    probeSetSize: 20,
    progress: false,
  });
}, 60_000);
afterAll(async () => {
  await context.dispose();
  rmSync(root, { recursive: true, force: true });
});

/** Resolves to how long the call took and how it was refused. */
async function refusal(tool: string, args: unknown): Promise<{ ms: number; message: string }> {
  return refusalRaw(tool, JSON.stringify(args));
}

async function refusalRaw(tool: string, raw: string): Promise<{ ms: number; message: string }> {
  const started = performance.now();
  try {
    await registry.call(tool, raw, context);
  } catch (error) {
    expect(error).toBeInstanceOf(ToolError);
    return { ms: performance.now() - started, message: (error as Error).message };
  }
  throw new Error(`${tool} was not refused`);
}

const bigBlurredScene = {
  width: 1024,
  height: 1024,
  background: 'grass',
  effects: Array.from({ length: 16 }, () => ({ kind: 'blur', sigma: 50 })),
};

describe('per-call cost budget', () => {
  it('refuses 24 scenes of 1024 px with 16 blurs of σ 50 at once, naming the cost and what to shrink', async () => {
    const { ms, message } = await refusal('render_scenes', { stimuli: Array(24).fill(bigBlurredScene) });
    expect(message).toMatch(
      /^render_scenes refused before running: 24 stimuli up to 1024×1024 px with 384 blurs would need about 4\.8e11 pixel operations \(limit 5\.0e8\), over the per-call budget; shrink it: fewer stimuli, smaller width\/height in scene specs, fewer blurs or smaller sigma$/,
    );
    expect(ms).toBeLessThan(1000);
  });

  it('refuses occlusion with patch 1, stride 1 (50,176 scored copies of a 224 px image)', async () => {
    const { message } = await refusal('saliency', {
      stimuli: ['a dog on grass'],
      unit: 'synthetic:0',
      patch_size: 1,
      stride: 1,
    });
    expect(message).toMatch(
      /occlusion with patch_size 1, stride 1 on 1 stimulus up to 224×224 px \(50,177 scored copies\)/,
    );
    expect(message).toMatch(/50,177 forward passes \(limit 20,000\)/);
    expect(message).toMatch(/shrink it: a larger patch_size and stride, fewer or smaller stimuli$/);
  });

  it('refuses RISE with 4,000 masks on six stimuli, and allows the defaults', async () => {
    const stimuli = Array(6).fill('a dog on grass');
    const { message } = await refusal('saliency', {
      stimuli,
      unit: 'synthetic:0',
      method: 'rise',
      masks: 4000,
    });
    expect(message).toMatch(/4000 RISE masks on 6 stimuli .* 24,006 forward passes/);
    expect(message).toMatch(/shrink it: fewer masks/);
    const tool = registry.get('saliency');
    const cost = tool.cost?.(tool.input.parse({ stimuli, unit: 'synthetic:0' }), context);
    expect(cost?.forwardPasses).toBeLessThan(DEFAULT_TOOL_CALL_BUDGET.maxForwardPasses);
    expect(cost?.pixelOps).toBeLessThan(DEFAULT_TOOL_CALL_BUDGET.maxPixelOps);
  });
});

describe('per-call time limit', () => {
  let sawAbort = false;
  const slow = defineTool({
    name: 'slow',
    description: 'Works in steps until told to stop.',
    input: z.strictObject({}),
    async execute(_args: Record<string, never>, _ctx: object, { signal }) {
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        if (signal.aborted) {
          sawAbort = true;
          signal.throwIfAborted();
        }
      }
    },
    cost: () => ({ pixelOps: 1, forwardPasses: 0, detail: 'a loop', shrink: 'fewer steps' }),
  });
  const slowRegistry = new ToolRegistry<object>([slow]);

  it('cancels a call at its limit with a ToolError saying what to ask less of, and the handler sees the abort', async () => {
    const started = performance.now();
    const call = slowRegistry.call('slow', '{}', {}, { budget: { ...DEFAULT_TOOL_CALL_BUDGET, maxMs: 200 } });
    await expect(call).rejects.toThrow(
      'slow stopped after 0.2 s, its per-call time limit; ask for less: fewer steps',
    );
    expect(performance.now() - started).toBeLessThan(1000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sawAbort).toBe(true);
  });

  it("stops a call when the run's own signal aborts", async () => {
    const controller = new AbortController();
    const call = slowRegistry.call('slow', '{}', {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await expect(call).rejects.toThrow('slow cancelled: the run was stopped');
  });
});

describe('arguments a model gets wrong, answered with what is wrong', () => {
  it('k: 1e400 says the number is too large, not "expected number"', async () => {
    const { message } = await refusalRaw('dataset_exemplars', '{"unit":"synthetic:0","k":1e400}');
    expect(message).toBe(
      'invalid arguments for dataset_exemplars: k: must be a finite number; the value given is too large to represent (it reads as Infinity)',
    );
  });

  it('render_scenes refuses an unknown outline concept with the nearest names', async () => {
    const { message } = await refusal('render_scenes', { stimuli: ['a dog on grass'], outline: 'dgo' });
    expect(message).toMatch(/^unknown concept 'dgo'; did you mean 'dog'/);
    const unicorn = await refusal('render_scenes', { stimuli: ['a dog on grass'], outline: 'unicorn' });
    expect(unicorn.message).toMatch(/unknown concept 'unicorn'/);
  });
});
