import { request } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { listRuns, readRun } from '../../agent/transcript/read.ts';
import { serveHttp } from '../../cli/mcp/transports/http.ts';
import { callTool, imagesOf, tempDir, textOf } from './helpers.ts';

/**
 * The Streamable HTTP transport in process: the SDK's client lists and calls tools; each client session
 * is its own run, finished when the session ends; a request whose Host is not the server's own (a DNS
 * rebinding attempt) is refused before any session opens.
 */

function post(url: string, host: string, body: unknown): Promise<{ status: number; text: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: { host, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('aia mcp over Streamable HTTP', () => {
  it('answers tools/list and tools/call per session, and refuses a foreign Host', async () => {
    const runsRoot = tempDir('aia-mcp-http-runs-');
    const server = await serveHttp(
      {
        subject: 'synthetic:maia/mono-dog',
        runsRoot,
        cacheDir: tempDir('aia-mcp-http-cache-'),
        probeSetSize: 40,
      },
      { port: 0 },
    );
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      const initialize = {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: LATEST_PROTOCOL_VERSION,
          capabilities: {},
          clientInfo: { name: 'evil', version: '1' },
        },
      };
      const port = new URL(server.url).port;
      const rebound = await post(server.url, `attacker.example:${port}`, initialize);
      expect(rebound.status).toBe(403);
      expect(rebound.text).toContain('Invalid Host');
      expect(listRuns(runsRoot)).toEqual([]);
      const huge = await post(server.url, `127.0.0.1:${port}`, {
        ...initialize,
        padding: 'x'.repeat(5 << 20),
      });
      expect(huge.status).toBe(413);

      const clients = await Promise.all(
        ['first', 'second'].map(async (name) => {
          const client = new Client({ name, version: '1.0.0' });
          const transport = new StreamableHTTPClientTransport(new URL(server.url));
          await client.connect(transport);
          return { client, transport };
        }),
      );
      for (const { client } of clients) {
        const { tools } = await client.listTools();
        expect(tools.map((tool) => tool.name)).toContain('render_scenes');
        const rendered = await callTool(client, 'render_scenes', { stimuli: ['a dog on grass'] });
        expect(textOf(rendered)).toMatch(/^\[c1\] /);
        expect(imagesOf(rendered)).toHaveLength(1);
      }
      await clients[0]!.transport.terminateSession();
      await clients[0]!.client.close();
      // The session's end finishes its run (asynchronously, after the DELETE is answered).
      const finished = await vi.waitFor(() => {
        const done = listRuns(runsRoot).filter((run) => run.status !== 'running');
        expect(done).toHaveLength(1);
        return done;
      });
      expect(readRun(finished[0]!.dir).header.config.model).toBe('first 1.0.0');
      await clients[1]!.client.close();
    } finally {
      await server.close();
    }
    // Closing the server finishes the session still open.
    expect(listRuns(runsRoot).map((run) => run.status)).toEqual(['no_answer', 'no_answer']);
  });
});
