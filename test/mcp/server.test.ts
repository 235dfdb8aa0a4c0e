import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { renderReport } from '../../agent/report/index.ts';
import { listRuns, readRun } from '../../agent/transcript/read.ts';
import { verifyRun } from '../../agent/verify.ts';
import { estimatedResultTokens } from '../../cli/mcp/content.ts';
import { createVisionRegistry } from '../../tools/index.ts';
import { callTool, connectInMemory, imagesOf, tempDir, textOf } from './helpers.ts';

/**
 * The MCP server driven in process by the SDK's own client: every registry tool is listed with its
 * schema; each tool family answers with text, images and structured data; a malformed call comes back
 * as a tool error the model can read; load_subject switches runs; runs are resources; and the session
 * leaves a run that `aia replay --verify` re-runs with no divergence and `aia report` renders.
 */

const SUBJECT = 'synthetic:maia/mono-dog';

/** The text of a resource read (every aia resource is text). */
function resourceText(result: { contents: ({ text: string } | { blob: string })[] }): string {
  const first = result.contents[0];
  if (!first || !('text' in first)) throw new Error('expected a text resource');
  return first.text;
}
const cacheDir = tempDir('aia-mcp-cache-');
const runsRoot = tempDir('aia-mcp-runs-');
let client: Client;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ client, close } = await connectInMemory({ subject: SUBJECT, runsRoot, cacheDir, probeSetSize: 40 }));
});

afterAll(async () => {
  await close();
});

describe('aia mcp, in process', () => {
  it('lists every registry tool with its input schema, and load_subject', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual([...createVisionRegistry().names(), 'load_subject']);
    const exemplars = tools.find((tool) => tool.name === 'dataset_exemplars');
    expect(exemplars?.inputSchema.required).toContain('unit');
    expect(Object.keys(exemplars?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['unit', 'k']),
    );
    expect(exemplars?.description).toMatch(/exemplar/i);
  });

  it('runs each tool family: text with the evidence ref, images, structured data, errors', async () => {
    const described = await callTool(client, 'describe_subject', {});
    expect(described.isError).toBeFalsy();
    expect(textOf(described)).toMatch(/^\[c1\] /);
    expect(described.structuredContent).toBeDefined();

    const exemplars = await callTool(client, 'dataset_exemplars', { unit: 'synthetic:0', k: 4 });
    expect(textOf(exemplars)).toMatch(/^\[c2\] /);
    expect(imagesOf(exemplars).length).toBeGreaterThan(0);
    expect(estimatedResultTokens(exemplars)).toBeLessThanOrEqual(25_000);

    const rendered = await callTool(client, 'render_scenes', {
      stimuli: ['a dog on grass', 'a cat on grass'],
    });
    const images = imagesOf(rendered);
    expect(images).toHaveLength(2);
    // Two full scenes exceed what a client counting base64 allows: they come reduced, still images.
    const meta = await sharp(Buffer.from(images[0]!.data, 'base64')).metadata();
    expect(['png', 'jpeg']).toContain(meta.format);
    expect(meta.width).toBeGreaterThan(48);

    const edited = await callTool(client, 'edit_scenes', {
      stimuli: ['a dog on grass'],
      edits: ['replace the dog with a cat'],
      units: ['synthetic:0'],
    });
    expect(edited.isError).toBeFalsy();
    expect(imagesOf(edited).length).toBeGreaterThan(0);

    const saliency = await callTool(client, 'saliency', { stimuli: ['a dog on grass'], unit: 'synthetic:0' });
    expect(saliency.isError).toBeFalsy();
    expect(imagesOf(saliency).length).toBeGreaterThan(0);

    const stats = await callTool(client, 'concept_stats', { unit: 'synthetic:0' });
    expect(textOf(stats)).toContain('dog');

    // Malformed: the registry's message, naming the field, as a tool error the model can act on.
    const malformed = await callTool(client, 'render_scenes', { stimuli: 5 });
    expect(malformed.isError).toBe(true);
    expect(textOf(malformed)).toMatch(/^\[c7\] error: invalid arguments for render_scenes: stimuli/);

    const hypothesis = await callTool(client, 'record_hypothesis', {
      text: 'detects dogs',
      status: 'supported',
      evidence: ['c2', 'c3'],
    });
    expect(hypothesis.isError).toBeFalsy();
    // Evidence must name calls already made, as in the loop.
    const badEvidence = await callTool(client, 'submit_answer', {
      description: 'dogs',
      confidence: 0.9,
      evidence: ['c99'],
    });
    expect(badEvidence.isError).toBe(true);
    const answer = await callTool(client, 'submit_answer', {
      description: 'dogs',
      formula: 'dog',
      confidence: 0.9,
      evidence: ['h1', 'c2'],
    });
    expect(answer.isError).toBeFalsy();
  });

  it('fits images within a small result limit by reducing them, keeping the originals in the run', async () => {
    const small = await connectInMemory({
      subject: SUBJECT,
      runsRoot: tempDir('aia-mcp-small-'),
      cacheDir,
      probeSetSize: 40,
      maxResultTokens: 3000,
    });
    try {
      const result = await callTool(small.client, 'render_scenes', {
        stimuli: ['a dog on grass', 'a red car on sand', 'a cat'],
      });
      expect(estimatedResultTokens(result)).toBeLessThanOrEqual(3000);
      const images = imagesOf(result);
      expect(images.length).toBeGreaterThan(0);
      expect(images.every((image) => image.mimeType === 'image/jpeg')).toBe(true);
      expect(textOf(result)).toContain('reduced to fit');
    } finally {
      await small.close();
    }
  });

  it('exposes runs and their reports as resources', async () => {
    const listing = await client.readResource({ uri: 'aia://runs' });
    const runs = JSON.parse(resourceText(listing)) as { id: string; uri: string }[];
    expect(runs.length).toBeGreaterThan(0);
    const report = await client.readResource({ uri: `${runs[0]!.uri}/report` });
    expect(report.contents[0]?.mimeType).toBe('text/html');
    expect(resourceText(report)).toContain('<html');
    await expect(client.readResource({ uri: 'aia://runs/..%2F..%2Fetc/report' })).rejects.toThrow();
  });

  it('switches subject with load_subject: the first run is finished, replays and renders', async () => {
    const loaded = await callTool(client, 'load_subject', {
      subject: 'synthetic:maia/mono-bird',
      question: 'birds?',
    });
    expect(loaded.isError).toBeFalsy();
    const finished = String(loaded.structuredContent?.finished);
    const next = String(loaded.structuredContent?.runDir);
    expect(next).not.toBe(finished);

    const run = readRun(finished);
    expect(run.header.status).toBe('answered');
    expect(run.header.config.backbone).toBe('mcp');
    expect(run.header.config.model).toBe('aia-test-client 1.0.0');
    const calls = run.events.filter((event) => event.type === 'tool_call');
    expect(calls.map((call) => call.ref)).toEqual([
      'c1',
      'c2',
      'c3',
      'c4',
      'c5',
      'c6',
      'c7',
      'c8',
      'c9',
      'c10',
    ]);
    expect(run.events.some((event) => event.type === 'answer')).toBe(true);
    expect(readdirSync(join(finished, 'blobs')).length).toBeGreaterThan(0);

    const verified = await verifyRun(finished, { cacheDir });
    expect(verified.checked).toBe(10);
    expect(verified.divergences).toEqual([]);
    expect(renderReport(run)).toContain('dogs');

    const described = await callTool(client, 'describe_subject', {});
    expect(textOf(described)).toMatch(/^\[c1\] /);
  });
});

describe('aia mcp with no subject given', () => {
  it('asks for load_subject, names a reference that does not load, then runs on the loaded one', async () => {
    const runs = tempDir('aia-mcp-nosubject-');
    const bare = await connectInMemory({ runsRoot: runs, cacheDir, probeSetSize: 40 });
    try {
      const early = await callTool(bare.client, 'describe_subject', {});
      expect(early.isError).toBe(true);
      expect(textOf(early)).toContain('no subject is loaded: call load_subject first');
      const wrong = await callTool(bare.client, 'load_subject', { subject: 'synthetic:maia/mono-dgo' });
      expect(wrong.isError).toBe(true);
      expect(textOf(wrong)).toMatch(/mono-dgo/);
      const loaded = await callTool(bare.client, 'load_subject', {
        subject: SUBJECT,
        unit: 'synthetic:0',
        question: 'What does unit 0 detect?',
      });
      expect(loaded.isError).toBeFalsy();
      expect(textOf(await callTool(bare.client, 'list_units', {}))).toMatch(/^\[c1\] /);
    } finally {
      await bare.close();
    }
    const runsMade = listRuns(runs);
    expect(runsMade.map((run) => [run.question, run.unit, run.status])).toEqual([
      ['What does unit 0 detect?', 'synthetic:0', 'no_answer'],
    ]);
  });
});
