import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { ModelRequest, ModelResponse } from '../../agent/backbone.ts';
import { DEFAULT_BUDGET } from '../../agent/budget.ts';
import { requestHash } from '../../agent/model-cache.ts';
import { runLoop } from '../../agent/loop.ts';
import { RUN_FORMAT } from '../../agent/transcript/header.ts';
import { TranscriptWriter } from '../../agent/transcript/writer.ts';
import { createContextForProbe, type ToolContext } from '../../tools/index.ts';
import { loadProbe } from '../../tools/probe/load.ts';
import { ToolRegistry } from '../../tools/registry.ts';
import { defineTool } from '../../tools/tool.ts';
import { encodePng } from '../../util/image.ts';
import { createRandom } from '../../util/random.ts';
import type { PerfSection } from './types.ts';

/**
 * The agent loop's own cost per step — context bounding, request hashing, transcript events, blobs —
 * with model and tool time taken out: a 40-step run whose backbone answers at once and whose one tool
 * returns 4 fresh 224×224 images each call (already encoded). The time inside the model call and the
 * tool is measured and subtracted from the loop's wall time. Also checks the largest request's images
 * against the cap.
 */

const STEPS = 40;
const IMAGES_PER_CALL = 4;
const MAX_IMAGES = 8;
const ROUNDS = 5;

async function images(count: number): Promise<Buffer[]> {
  const random = createRandom(7);
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const data = new Uint8Array(224 * 224 * 3);
    for (let p = 0; p < data.length; p++) data[p] = (random() * 256) | 0;
    out.push(await encodePng({ width: 224, height: 224, data }));
  }
  return out;
}

export const agentSection: PerfSection = {
  name: 'agent',
  title: 'Agent loop: overhead per step and bounded requests',
  async run() {
    const pngs = await images((STEPS + 1) * IMAGES_PER_CALL * ROUNDS);
    let next = 0;
    const fourImages = defineTool({
      name: 'four_images',
      description: 'returns four images',
      input: z.strictObject({ n: z.number() }),
      execute: () =>
        Promise.resolve({
          text: 'four images',
          images: Array.from({ length: IMAGES_PER_CALL }, (_, i) => ({
            png: pngs[next++]!,
            caption: `image ${i}`,
          })),
          data: { n: IMAGES_PER_CALL },
        }),
    });
    const root = mkdtempSync(join(tmpdir(), 'aia-perf-agent-'));
    const probe = await loadProbe('synthetic:maia/mono-dog');
    const context = createContextForProbe(probe, { cacheDir: root, progress: false });
    const perStep: number[] = [];
    let largest = 0;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        let inside = 0;
        let turn = 0;
        const respond = (request: ModelRequest): ModelResponse => {
          largest = Math.max(
            largest,
            request.messages.reduce(
              (sum, m) => sum + (m.role === 'tool' ? m.results.reduce((s, r) => s + r.images.length, 0) : 0),
              0,
            ),
          );
          turn++;
          return {
            text: `step ${turn}`,
            toolCalls: [{ id: `t${turn}`, name: 'four_images', arguments: `{"n":${turn}}` }],
            stopReason: 'tool_calls',
            usage: { inputTokens: 1000, outputTokens: 50 },
            model: 'perf',
          };
        };
        const timedRegistry = new ToolRegistry<ToolContext>([
          {
            ...fourImages,
            execute: async (args, ctx, options) => {
              const t = performance.now();
              const result = await fourImages.execute(args as { n: number }, ctx, options);
              inside += performance.now() - t;
              return result;
            },
          },
        ]);
        const transcript = new TranscriptWriter(join(root, `run-${round}`), {
          format: RUN_FORMAT,
          id: 'perf',
          createdAt: new Date().toISOString(),
          versions: { aia: '0', node: process.version },
          subject: { ref: 'synthetic:maia/mono-dog', hash: probe.hash, files: [] },
          question: 'perf',
          config: {
            backbone: 'perf',
            model: 'perf',
            seed: 1,
            budget: {},
            context: { maxImages: MAX_IMAGES, maxRequestTokens: 200_000 },
            cacheMode: 'off',
          },
          status: 'running',
        });
        context.knownRefs = new Set();
        const t0 = performance.now();
        await runLoop({
          backboneName: 'perf',
          model: 'perf',
          // The request hash is part of the loop's work (the cache key), so it stays inside the timing.
          callModel: (request) => {
            const hash = requestHash({ name: 'perf', model: 'perf' }, request);
            const t = performance.now();
            const response = respond(request);
            inside += performance.now() - t;
            return Promise.resolve({ response, cached: false, hash });
          },
          registry: timedRegistry,
          context,
          transcript,
          system: 'system prompt',
          task: 'task',
          budget: { ...DEFAULT_BUDGET, maxSteps: STEPS },
          window: { maxImages: MAX_IMAGES, maxRequestTokens: 200_000 },
          cost: () => 0,
          maxOutputTokensPerCall: 1000,
        });
        const wall = performance.now() - t0;
        transcript.close();
        perStep.push((wall - inside) / (STEPS + 1));
      }
    } finally {
      await context.dispose();
      rmSync(root, { recursive: true, force: true });
    }
    const sorted = [...perStep].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
    return {
      setup:
        `${STEPS}-step runs (plus the forced final turn) whose one tool returns ${IMAGES_PER_CALL} fresh 224×224 PNGs ` +
        `per call; image cap ${MAX_IMAGES}; ${ROUNDS} runs. Overhead = loop wall time minus time inside the ` +
        `model call and the tool, per step, including request hashing, context bounding, events.jsonl and blob writes. ` +
        `Per-run overheads: ${perStep.map((ms) => ms.toFixed(2)).join(', ')} ms.`,
      goals: [
        {
          goal: 'loop overhead per step ≤ 5 ms',
          measured: `${median.toFixed(2)} ms (median of ${ROUNDS} runs)`,
          pass: median <= 5,
        },
        {
          goal: `largest request holds ≤ ${MAX_IMAGES} images (the cap) over ${STEPS} steps × ${IMAGES_PER_CALL} images`,
          measured: `${largest} images`,
          pass: largest <= MAX_IMAGES,
        },
      ],
    };
  },
};
