import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DissectBackbone } from '../../../agent/backbones/dissect/index.ts';
import { createToolContext, createVisionRegistry } from '../../../tools/index.ts';
import { runBackbone } from './harness.ts';

/**
 * dissect on a question about a whole model, end to end with the real tools on the committed
 * spurious model: describe_subject lists the annotated dataset, model_reliance measures it, alignment
 * looks at dataset images (the dataset stimuli path), and the answer names the square with figures.
 */

const cacheDir = join(tmpdir(), 'aia-test-cache-dissect');
const QUESTION = 'Does this model rely on a spurious feature?';

describe('dissect on a model-reliance question', () => {
  it('finds the square in fashion-spurious, with its evidence', async () => {
    mkdirSync(cacheDir, { recursive: true });
    const ctx = await createToolContext('fashion-spurious', {
      cacheDir,
      seed: 1,
      progress: false,
      workers: 0,
    });
    try {
      const run = await runBackbone(
        new DissectBackbone({ question: QUESTION, seed: 1 }),
        createVisionRegistry(),
        ctx,
        QUESTION,
      );
      const calls = run.steps.flatMap((s) => s.calls);
      expect(calls.map((c) => c.name)).toEqual([
        'describe_subject',
        'model_reliance',
        'alignment',
        'record_hypothesis',
        'submit_answer',
      ]);
      expect(calls.every((c) => c.ok)).toBe(true);
      // The alignment ran on dataset images, on the square.
      expect(calls[2]?.text).toMatch(/fashion-mnist-square\/\w+#\d+/);
      expect(run.status).toBe('answered');
      const answer = ctx.answer?.description ?? '';
      expect(answer).toMatch(/^Yes: the model relies on the square/);
      expect(answer).toMatch(/EA_PG 0\.[89]\d/);
      expect(answer).toMatch(/changes [5-9]\d% of predictions/);
    } finally {
      await ctx.probe.dispose();
    }
  }, 120_000);
});
