import { createToolContext } from '../../tools/index.ts';
import { InputError } from '../../util/errors.ts';
import { serveHttp } from '../mcp/transports/http.ts';
import { serveStdio } from '../mcp/transports/stdio.ts';
import type { AiaMcpServerOptions } from '../mcp/server.ts';

/** `aia mcp` as commander parses it. */
export interface McpOptions {
  subject?: string;
  http?: boolean;
  port: string;
  host: string;
  allowedHost?: string[];
  runs: string;
  seed: string;
  probeSetSize: string;
  maxResultTokens: string;
}

function integerOption(value: string, name: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InputError(`${name} must be an integer from ${min} to ${max}, got '${value}'`);
  return n;
}

export async function runMcp(opts: McpOptions): Promise<void> {
  const options: AiaMcpServerOptions = {
    runsRoot: opts.runs,
    seed: integerOption(opts.seed, '--seed', 0, 0xffffffff),
    probeSetSize: integerOption(opts.probeSetSize, '--probe-set-size', 1, 100_000),
    maxResultTokens: integerOption(opts.maxResultTokens, '--max-result-tokens', 1000, 10_000_000),
    ...(opts.subject !== undefined ? { subject: opts.subject } : {}),
  };
  // A subject that does not load should stop the command here, not fail every tool call later.
  if (opts.subject !== undefined)
    await (await createToolContext(opts.subject, { progress: false })).dispose();

  if (!opts.http) {
    // Clients stop a stdio server with a signal: the session's run is finished before the exit.
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    await serveStdio(options, { input: process.stdin, output: process.stdout }, stop.signal);
    process.stdin.pause();
    return;
  }
  const server = await serveHttp(options, {
    host: opts.host,
    port: integerOption(opts.port, '--port', 0, 65_535),
    ...(opts.allowedHost !== undefined ? { allowedHosts: opts.allowedHost } : {}),
  });
  process.stderr.write(`aia: MCP server at ${server.url} (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
}
