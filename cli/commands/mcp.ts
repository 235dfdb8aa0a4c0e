import type { Command } from 'commander';
import type { McpOptions } from '../actions/mcp.ts';

/**
 * `aia mcp`: aia's tools for any MCP client (Claude Desktop, Claude Code, Cursor) over stdio, or over
 * Streamable HTTP with --http. Every client session is recorded as a run. The server itself is loaded
 * only when the command runs.
 */
export function registerMcpCommand(program: Command): void {
  program
    .command('mcp')
    .description(
      "serve aia's tools to MCP clients (stdio; --http for Streamable HTTP); each session is a run",
    )
    .option(
      '--subject <ref>',
      'subject the tools run on until load_subject (zoo name, .onnx file, synthetic:…)',
    )
    .option('--http', 'serve Streamable HTTP at http://<host>:<port>/mcp instead of stdio')
    .option('--port <n>', 'with --http: the port (0 picks a free one)', '3333')
    .option('--host <host>', 'with --http: the interface to bind', '127.0.0.1')
    .option('--allowed-host <host:port...>', 'with --http: more Host headers to accept (DNS-rebinding guard)')
    .option('--runs <dir>', 'where runs are written and read', 'runs')
    .option('--seed <n>', 'seed of the probe set and seeded tools', '1')
    .option('--probe-set-size <n>', "scenes in the subject's probe set", '1000')
    .option(
      '--max-result-tokens <n>',
      "tokens one result may take in the client (Claude Code's default cap)",
      '25000',
    )
    .action(async (opts: McpOptions) => {
      const { runMcp } = await import('../actions/mcp.ts');
      await runMcp(opts);
    });
}
