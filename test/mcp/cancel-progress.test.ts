import { describe, expect, it } from 'vitest';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { listRuns, readRun } from '../../agent/transcript/read.ts';
import { verifyRun } from '../../agent/verify.ts';
import { callTool, connectInMemory, tempDir, textOf } from './helpers.ts';

/**
 * Long tools report progress to a client that asks for it, and stop when the client cancels: the
 * cancelled call is not recorded as a tool call (it gave no result), a note says it was cancelled, the
 * next call gets the next evidence ref, and the run still verifies.
 */

describe('aia mcp: progress and cancellation', () => {
  it('stops a cancelled call early, records no result for it, and reports progress for the next', async () => {
    // A cold cache: concept_stats must render the probe set and compute activations first.
    const cacheDir = tempDir('aia-mcp-cancel-cache-');
    const runsRoot = tempDir('aia-mcp-cancel-runs-');
    const { client, close } = await connectInMemory({
      subject: 'synthetic:maia/mono-dog',
      runsRoot,
      cacheDir,
      probeSetSize: 60,
    });
    try {
      const controller = new AbortController();
      const seen: Progress[] = [];
      const cancelled = client.callTool(
        { name: 'concept_stats', arguments: { unit: 'synthetic:0' } },
        undefined,
        {
          signal: controller.signal,
          onprogress: (progress) => {
            seen.push(progress);
            controller.abort();
          },
        },
      );
      await expect(cancelled).rejects.toThrow();
      expect(seen.length).toBeGreaterThan(0);

      // Calls run in order, so this one starts after the cancelled one has stopped.
      const described = await callTool(client, 'describe_subject', {});
      expect(textOf(described)).toMatch(/^\[c1\] /);

      const progress: Progress[] = [];
      const stats = await client.callTool(
        { name: 'concept_stats', arguments: { unit: 'synthetic:0' } },
        undefined,
        {
          onprogress: (update) => progress.push(update),
        },
      );
      expect(textOf(stats as Parameters<typeof textOf>[0])).toMatch(/^\[c2\] /);
      // The probe set was kept from the cancelled call; the activations are computed now, with progress.
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.map((p) => p.message)).toContainEqual(
        expect.stringMatching(/^activations of .+: \d+\/60$/),
      );
      expect(progress.map((p) => p.message)).not.toContainEqual(
        expect.stringMatching(/^rendering probe set/),
      );
      const values = progress.map((p) => p.progress);
      expect(values).toEqual([...values].sort((a, b) => a - b));
      expect(new Set(values).size).toBe(values.length);
    } finally {
      await close();
    }

    const [summary] = listRuns(runsRoot);
    const run = readRun(summary!.dir);
    const calls = run.events.filter((event) => event.type === 'tool_call');
    expect(calls.map((call) => `${call.ref} ${call.tool}`)).toEqual([
      'c1 describe_subject',
      'c2 concept_stats',
    ]);
    expect(run.events).toContainEqual(
      expect.objectContaining({
        type: 'error',
        where: 'tool',
        message: 'concept_stats: cancelled by the client',
      }),
    );
    expect(run.header.status).toBe('no_answer');
    const verified = await verifyRun(summary!.dir, { cacheDir });
    expect(verified.divergences).toEqual([]);
  });
});
