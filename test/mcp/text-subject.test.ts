import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { readRun } from '../../agent/transcript/read.ts';
import { verifyRun } from '../../agent/verify.ts';
import { createTextRegistry, createVisionRegistry } from '../../tools/index.ts';
import { callTool, connectInMemory, tempDir, textOf } from './helpers.ts';

/**
 * The MCP server on a text subject: loading one swaps the vision tools for the text tools (and tells
 * the client the list changed), text tools run and are recorded like vision ones, and the run replays.
 */

const cacheDir = tempDir('aia-mcp-text-cache-');
const runsRoot = tempDir('aia-mcp-text-runs-');
let client: Client;
let close: () => Promise<void>;
let listChanges = 0;

beforeAll(async () => {
  ({ client, close } = await connectInMemory({ runsRoot, cacheDir, probeSetSize: 60 }));
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    listChanges += 1;
  });
});

afterAll(async () => {
  await close();
});

const toolNames = async (): Promise<string[]> => (await client.listTools()).tools.map((t) => t.name);

describe('aia mcp on a text subject', () => {
  it('offers the vision tools until a text subject is loaded, then the text tools', async () => {
    expect(await toolNames()).toEqual([...createVisionRegistry().names(), 'load_subject']);

    const loaded = await callTool(client, 'load_subject', {
      subject: 'synthetic-text:pos-noun',
      question: 'what does this unit fire on?',
      unit: 'synthetic:0',
    });
    expect(loaded.isError).toBeFalsy();
    expect(textOf(loaded)).toContain('Loaded synthetic-text:pos-noun (unit synthetic:0)');
    await expect.poll(() => listChanges).toBeGreaterThan(0);
    const names = await toolNames();
    expect(names).toEqual(expect.arrayContaining([...createTextRegistry().names(), 'load_subject']));
    expect(names).not.toContain('render_scenes');
  });

  it('runs text tools on it, records them, and the run replays without divergence', async () => {
    const exemplars = await callTool(client, 'text_exemplars', { unit: 'synthetic:0', k: 3 });
    expect(exemplars.isError).toBeFalsy();
    expect(textOf(exemplars)).toMatch(/^\[c1\] /);
    const wrongTool = await callTool(client, 'render_scenes', { stimuli: ['a dog'] });
    expect(wrongTool.isError).toBe(true);

    const answered = await callTool(client, 'submit_answer', {
      description: 'nouns',
      formula: 'noun',
      confidence: 0.8,
      evidence: ['c1'],
    });
    expect(answered.isError).toBeFalsy();

    // Back to a vision subject: the text run is finished, and the vision tools return.
    const back = await callTool(client, 'load_subject', { subject: 'synthetic:maia/mono-dog' });
    const finished = (back.structuredContent as { finished: string }).finished;
    expect(await toolNames()).toContain('render_scenes');

    const run = readRun(finished);
    expect(run.header.subject.ref).toBe('synthetic-text:pos-noun');
    expect(run.header.result?.answer?.formula).toBe('noun');
    const verified = await verifyRun(finished, { cacheDir });
    expect(verified.checked).toBe(2);
    expect(verified.divergences).toEqual([]);
  });
});
