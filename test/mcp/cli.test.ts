import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { listRuns, readRun } from '../../agent/transcript/read.ts';
import { cliRunner } from '../helpers/cli.ts';
import { callTool, imagesOf, textOf } from './helpers.ts';

/**
 * `aia mcp` as a client starts it: a spawned `node bin/aia.js mcp` over stdio, and `--http`, each
 * answering tools/list and tools/call from the SDK's client. The investigation the stdio client drives
 * leaves a run that `aia replay --verify` passes and `aia report` renders.
 */

const SUBJECT = 'synthetic:maia/mono-dog';
const { dir, aia } = cliRunner('aia-mcp-cli-');
const env = {
  ...(process.env as Record<string, string>),
  AIA_CACHE_DIR: join(dir, 'cache'),
  AIA_LOG_LEVEL: 'warn',
  AIA_NO_PROGRESS: '1',
};
const stopped: (() => void)[] = [];

afterAll(() => {
  for (const stop of stopped) stop();
});

describe('aia mcp (spawned)', () => {
  it('serves stdio: an investigation that replays with no divergence and renders', async () => {
    const runs = join(dir, 'runs-stdio');
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['bin/aia.js', 'mcp', '--subject', SUBJECT, '--runs', runs, '--probe-set-size', '40'],
      env,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'stdio-test', version: '0.0.1' });
    await client.connect(transport);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['dataset_exemplars', 'load_subject']),
    );

    const exemplars = await callTool(client, 'dataset_exemplars', { unit: 'synthetic:0', k: 4 });
    expect(textOf(exemplars)).toMatch(/^\[c1\] /);
    expect(imagesOf(exemplars).length).toBeGreaterThan(0);
    const malformed = await callTool(client, 'call_units', { units: 'synthetic:0' });
    expect(malformed.isError).toBe(true);
    const hypothesis = await callTool(client, 'record_hypothesis', {
      text: 'dogs',
      status: 'supported',
      evidence: ['c1'],
    });
    expect(hypothesis.isError).toBeFalsy();
    const answer = await callTool(client, 'submit_answer', {
      description: 'dogs',
      formula: 'dog',
      confidence: 0.8,
      evidence: ['h1', 'c1'],
    });
    expect(answer.isError).toBeFalsy();
    // Ending the connection ends the process, which finishes the run first.
    await client.close();

    const [run] = listRuns(runs);
    expect(run?.status).toBe('answered');
    expect(readRun(run!.dir).events.filter((event) => event.type === 'tool_call')).toHaveLength(4);
    const verified = await aia('replay', run!.dir, '--verify');
    expect(verified.stdout).toContain('4 tool calls re-run, 0 divergences');
    expect(verified.code).toBe(0);
    const report = await aia('report', run!.dir);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain('report.html');
  });

  it('serves Streamable HTTP on 127.0.0.1 with --http', async () => {
    const child = spawn(
      process.execPath,
      [
        'bin/aia.js',
        'mcp',
        '--http',
        '--port',
        '0',
        '--subject',
        SUBJECT,
        '--runs',
        join(dir, 'runs-http'),
        '--probe-set-size',
        '40',
      ],
      { env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    stopped.push(() => child.kill('SIGKILL'));
    const url = await new Promise<string>((resolve, reject) => {
      let seen = '';
      child.stderr.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const match = /MCP server at (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(seen);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`aia mcp --http exited (${code}): ${seen}`)));
    });
    const client = new Client({ name: 'http-test', version: '0.0.1' });
    const transport = new StreamableHTTPClientTransport(new URL(url));
    await client.connect(transport);
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(10);
    const described = await callTool(client, 'describe_subject', {});
    expect(textOf(described)).toMatch(/^\[c1\] /);
    await transport.terminateSession();
    await client.close();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    const [run] = listRuns(join(dir, 'runs-http'));
    expect(run?.status).toBe('no_answer');
  });
});
