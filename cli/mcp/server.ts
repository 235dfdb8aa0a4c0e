import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { SessionOptions } from '../../agent/session.ts';
import { runVersions } from '../../agent/versions.ts';
import { renderPrompt } from '../../prompts/index.ts';
import { DEFAULT_MAX_RESULT_TOKENS } from './content.ts';
import { registerRunResources } from './resources.ts';
import { SessionSlot } from './session-slot.ts';
import { registerAiaTools } from './tools.ts';

/**
 * aia as an MCP server: its tools, `load_subject`, and its runs as resources. Built apart from any
 * transport (stdio.ts and http.ts connect it), so tests drive the same server in process. Each server
 * serves one client connection and records that client's calls as runs; `cleanup` finishes the run.
 */

export interface AiaMcpServerOptions {
  /** The subject tools run on until `load_subject` says otherwise; none: tools wait for load_subject. */
  subject?: string;
  /** Where runs are written and read from (default `runs`). */
  runsRoot?: string;
  seed?: number;
  probeSetSize?: number;
  cacheDir?: string;
  /** Tokens one tool result may take in the client (default 25,000, Claude Code's default cap). */
  maxResultTokens?: number;
}

export interface AiaMcpServer {
  server: McpServer;
  /** Finish the client's run (if it made one) and release the subject. */
  cleanup: () => Promise<void>;
}

export function createAiaMcpServer(options: AiaMcpServerOptions = {}): AiaMcpServer {
  const runsRoot = options.runsRoot ?? 'runs';
  const maxResultTokens = options.maxResultTokens ?? DEFAULT_MAX_RESULT_TOKENS;
  const server = new McpServer(
    { name: 'aia', version: runVersions().aia },
    {
      capabilities: { tools: {}, resources: {} },
      instructions: renderPrompt('mcp'),
    },
  );
  const sessionOptions: Omit<SessionOptions, 'subject' | 'client'> = {
    driver: 'mcp',
    runsRoot,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.probeSetSize !== undefined ? { probeSetSize: options.probeSetSize } : {}),
    ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
  };
  const slot = new SessionSlot(sessionOptions, options.subject, () => {
    const client = server.server.getClientVersion();
    return client ? `${client.name} ${client.version}` : undefined;
  });
  registerAiaTools(server, slot, { maxResultTokens }, options.subject);
  registerRunResources(server, runsRoot);
  return {
    server,
    cleanup: async () => {
      await slot.close();
      await server.close();
    },
  };
}
