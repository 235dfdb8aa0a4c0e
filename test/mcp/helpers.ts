import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createAiaMcpServer, type AiaMcpServerOptions } from '../../cli/mcp/server.ts';

/** A client connected in process to a fresh aia MCP server; `close` ends the session like a client does. */
export async function connectInMemory(
  options: AiaMcpServerOptions,
): Promise<{ client: Client; close: () => Promise<void> }> {
  const { server, cleanup } = createAiaMcpServer(options);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'aia-test-client', version: '1.0.0' });
  await server.connect(serverSide);
  await client.connect(clientSide);
  return {
    client,
    close: async () => {
      await client.close();
      await cleanup();
    },
  };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The result of a tools/call, typed as tool results are (the SDK's type also admits task results). */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

export function textOf(result: CallToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}

export function imagesOf(result: CallToolResult): { data: string; mimeType: string }[] {
  return result.content.flatMap((part) =>
    part.type === 'image' ? [{ data: part.data, mimeType: part.mimeType }] : [],
  );
}
