import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createAiaMcpServer, type AiaMcpServerOptions } from '../server.ts';

/**
 * aia's MCP server over a pair of streams (process stdin and stdout for `aia mcp`; any streams in a
 * test). Resolves when the client closes the connection or the input ends, after the run is finished.
 * Nothing else may write to `output`: logs go to stderr.
 */
export async function serveStdio(
  options: AiaMcpServerOptions,
  streams: { input: Readable; output: Writable },
  /** Aborted to end the session from this side (e.g. on SIGTERM): the run is finished all the same. */
  stop?: AbortSignal,
): Promise<void> {
  const { server, cleanup } = createAiaMcpServer(options);
  const transport = new StdioServerTransport(streams.input, streams.output);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    // A client that exits without closing leaves the input ended: that is the end of the session too.
    streams.input.once('end', () => resolve());
    stop?.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.connect(transport);
  await closed;
  await cleanup();
  await transport.close();
}
