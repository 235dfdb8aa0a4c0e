import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { InputError } from '../../../util/errors.ts';
import { log } from '../../../util/log.ts';
import { createAiaMcpServer, type AiaMcpServer, type AiaMcpServerOptions } from '../server.ts';

/**
 * aia's MCP server over Streamable HTTP at `/mcp`. Bound to 127.0.0.1 unless told otherwise, with the
 * SDK's DNS-rebinding guard: a request whose Host header is not one of the allowed hosts is refused,
 * so a web page cannot reach the server through a rebound domain name. Each client session gets its
 * own server and its own recorded run, finished when the client ends the session or the server closes.
 */

export interface HttpOptions {
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: any free port; the URL says which). */
  port?: number;
  /** Host header values accepted besides `<host>:<port>` (and `localhost:<port>` on a loopback host). */
  allowedHosts?: string[];
}

export interface HttpMcpServer {
  /** `http://<host>:<port>/mcp` */
  url: string;
  /** Stop accepting connections, finish every session's run. */
  close: () => Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

interface Session {
  transport: StreamableHTTPServerTransport;
  aia: AiaMcpServer;
}

function sendError(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/** Tool arguments are small: a body larger than this is refused rather than read into memory. */
const MAX_BODY_BYTES = 4 << 20;

class BodyTooLarge extends Error {}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end either way (dropping what is over the limit), so the refusal reaches the client.
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES) throw new BodyTooLarge(`the request body is over ${MAX_BODY_BYTES} bytes`);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

export async function serveHttp(
  options: AiaMcpServerOptions,
  http: HttpOptions = {},
): Promise<HttpMcpServer> {
  const host = http.host ?? '127.0.0.1';
  const sessions = new Map<string, Session>();
  let allowedHosts: string[] = [];

  async function finish(session: Session): Promise<void> {
    const id = session.transport.sessionId;
    if (id !== undefined) sessions.delete(id);
    await session.aia
      .cleanup()
      .catch((error: unknown) => log.warn({ err: error }, 'MCP session cleanup failed'));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if ((req.url ?? '').split('?')[0] !== '/mcp')
      return sendError(res, 404, 'not found: the MCP endpoint is /mcp');
    let body: unknown;
    if (req.method === 'POST') {
      try {
        body = await readJson(req);
      } catch (error) {
        if (error instanceof BodyTooLarge) return sendError(res, 413, error.message);
        return sendError(res, 400, `the request body is not valid JSON: ${(error as Error).message}`);
      }
    }
    const id = req.headers['mcp-session-id'];
    const existing = typeof id === 'string' ? sessions.get(id) : undefined;
    if (existing) return existing.transport.handleRequest(req, res, body);
    if (typeof id === 'string') return sendError(res, 404, `unknown MCP session '${id}': start a new one`);
    if (req.method !== 'POST' || !isInitializeRequest(body))
      return sendError(res, 400, 'no MCP session: send an initialize request first');

    const aia = createAiaMcpServer(options);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      // The SDK's DNS-rebinding guard: Host must be one this server was started for.
      enableDnsRebindingProtection: true,
      allowedHosts,
      onsessioninitialized: (sessionId) => {
        sessions.set(sessionId, session);
      },
    });
    const session: Session = { transport, aia };
    transport.onclose = () => void finish(session);
    await aia.server.connect(transport);
    await transport.handleRequest(req, res, body);
    // Refused (a foreign Host, a bad initialize): nothing was opened, let the server go.
    if (transport.sessionId === undefined) await aia.cleanup();
  }

  const httpServer = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.warn({ err: error }, 'MCP HTTP request failed');
      if (!res.headersSent) sendError(res, 500, (error as Error).message);
    });
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL'
          ? new InputError(
              `cannot listen on ${host}:${http.port ?? 0} (${error.code}): choose another --port or --host`,
            )
          : error,
      ),
    );
    httpServer.listen(http.port ?? 0, host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  allowedHosts = [
    `${hostPart}:${port}`,
    ...(LOOPBACK.has(host) ? [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`] : []),
    ...(http.allowedHosts ?? []),
  ];
  return {
    url: `http://${hostPart}:${port}/mcp`,
    close: async () => {
      await Promise.all([...sessions.values()].map((session) => session.transport.close()));
      await Promise.all([...sessions.values()].map(finish));
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
