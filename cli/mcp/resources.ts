import { resolve } from 'node:path';
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { renderReport } from '../../agent/report/index.ts';
import { listRuns, readRun, type RunSummary } from '../../agent/transcript/read.ts';
import { InputError } from '../../util/errors.ts';

/**
 * Runs and their reports as MCP resources, so a client can read back what it (or `aia ask`, or a
 * benchmark) found: `aia://runs` lists the runs under the runs folder, `aia://runs/{id}` is one run
 * (its header and events as JSON), `aia://runs/{id}/report` its HTML report, rendered on request.
 * Only directories directly under the runs folder can be named.
 */

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function runUri(id: string): string {
  return `aia://runs/${encodeURIComponent(id)}`;
}

/** The run directory an id names, refusing anything that is not a plain name under the runs folder. */
function runDirOf(runsRoot: string, id: unknown): string {
  const name = decodeURIComponent(String(id));
  if (!RUN_ID.test(name) || name.includes('..'))
    throw new InputError(`'${name}' is not a run id (a folder name under ${resolve(runsRoot)})`);
  return resolve(runsRoot, name);
}

function listing(runs: RunSummary[]): string {
  return JSON.stringify(
    runs.map((run) => ({
      id: run.id,
      uri: runUri(run.id),
      report: `${runUri(run.id)}/report`,
      createdAt: run.createdAt,
      question: run.question,
      subject: run.subject,
      ...(run.unit !== undefined ? { unit: run.unit } : {}),
      backbone: run.backbone,
      status: run.status,
    })),
    null,
    2,
  );
}

export function registerRunResources(server: McpServer, runsRoot: string): void {
  server.registerResource(
    'runs',
    'aia://runs',
    { description: 'Every run under the runs folder, newest first', mimeType: 'application/json' },
    (uri): ReadResourceResult => ({
      contents: [{ uri: uri.href, mimeType: 'application/json', text: listing(listRuns(runsRoot)) }],
    }),
  );

  server.registerResource(
    'run',
    new ResourceTemplate('aia://runs/{id}', {
      list: () => ({
        resources: listRuns(runsRoot).map((run) => ({
          uri: runUri(run.id),
          name: run.id,
          description: `${run.status}: ${run.question} (${run.subject})`,
          mimeType: 'application/json',
        })),
      }),
    }),
    {
      description: 'One run: its header (run.json) and its events (events.jsonl) as JSON',
      mimeType: 'application/json',
    },
    (uri, { id }): ReadResourceResult => {
      const run = readRun(runDirOf(runsRoot, id));
      const text = JSON.stringify(
        { header: run.header, events: run.events, warnings: run.warnings },
        null,
        2,
      );
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text }] };
    },
  );

  server.registerResource(
    'run-report',
    new ResourceTemplate('aia://runs/{id}/report', { list: undefined }),
    { description: "One run's report as a self-contained HTML page", mimeType: 'text/html' },
    (uri, { id }): ReadResourceResult => ({
      contents: [
        { uri: uri.href, mimeType: 'text/html', text: renderReport(readRun(runDirOf(runsRoot, id))) },
      ],
    }),
  );
}
