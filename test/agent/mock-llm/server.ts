import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicDialect } from './anthropic-dialect.ts';
import { openaiDialect } from './openai-dialect.ts';
import {
  isFailure,
  type Dialect,
  type MockReply,
  type MockLlmOptions,
  type MockScript,
  type RecordedRequest,
  type Rejection,
  type ScriptRequest,
} from './types.ts';

/**
 * A local stand-in for the Anthropic Messages API and OpenAI Chat Completions that the real SDKs can
 * be pointed at. It checks what the live APIs check (auth headers, request shape, message ordering,
 * tool pairing, images) and answers 400 in each provider's error shape, so a wrong translation fails
 * here as it would in production. Replies come from a script indexed by call; every request is kept.
 *
 * Anthropic SDK: baseURL = `url`. OpenAI SDK: baseURL = `openaiBaseURL` (`url` + '/v1').
 */

export type {
  MockLlmOptions,
  MockReply,
  MockScript,
  MockSuccess,
  MockFailure,
  MockToolCall,
  MockUsage,
  RecordedRequest,
  ScriptRequest,
} from './types.ts';

export interface MockLlmServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** `url` + '/v1', what the OpenAI SDK wants as baseURL. */
  openaiBaseURL: string;
  /** Every request received, in order, rejected ones included. */
  requests: RecordedRequest[];
  /** The requests that reached the script (passed every check), in call order. */
  calls(): ScriptRequest[];
  close(): Promise<void>;
}

const DIALECTS: Dialect[] = [anthropicDialect, openaiDialect];

/** A script that answers call i with replies[i], and fails the call loudly when it runs out. */
export function sequence(...replies: MockReply[]): MockScript {
  return (_request, callIndex) => {
    const reply = replies[callIndex];
    if (reply === undefined)
      throw new Error(`no scripted reply for call ${callIndex} (${replies.length} scripted)`);
    return reply;
  };
}

export async function startMockLlmServer(
  script: MockScript,
  options: MockLlmOptions = {},
): Promise<MockLlmServer> {
  const requests: RecordedRequest[] = [];
  let callCount = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      // A bug in the mock itself: answer something rather than hang the client.
      if (!res.headersSent) send(res, 500, { error: { message: `mock server bug: ${String(error)}` } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const dialect = DIALECTS.find((d) => d.path === path);
    const record: RecordedRequest = {
      provider: dialect?.provider ?? 'unknown',
      method: req.method ?? '',
      path,
      headers: flatHeaders(req),
      body: parseJson(text) ?? text,
    };
    requests.push(record);

    if (!dialect)
      return reply(res, record, 404, { error: { message: `mock: no route for ${req.method} ${path}` } });
    const reject = (rejection: Rejection): void => {
      record.rejection = rejection.message;
      reply(res, record, rejection.status, dialect.rejectionBody(rejection));
    };
    if (req.method !== 'POST') return reject({ status: 405, message: `Method ${req.method} not allowed` });
    const auth = dialect.authenticate(record.headers, options.apiKey);
    if (auth) return reject(auth);
    if (!(record.headers['content-type'] ?? '').startsWith('application/json'))
      return reject({ status: 400, message: 'Content-Type must be application/json' });
    if (parseJson(text) === undefined)
      return reject({ status: 400, message: 'There was an error parsing the body: invalid JSON' });
    const problem = dialect.validate(record.body, options);
    if (problem) return reject(problem);

    const request = record as ScriptRequest;
    const callIndex = callCount++;
    record.callIndex = callIndex;
    let scripted: MockReply;
    let body: unknown;
    try {
      scripted = await script(request, callIndex);
      if (scripted.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
      if (isFailure(scripted)) {
        const failure = dialect.failure(scripted.error);
        const headers: Record<string, string> = { ...scripted.error.headers };
        if (scripted.error.retryAfter !== undefined)
          headers['retry-after'] = String(scripted.error.retryAfter);
        record.rejection = `scripted ${failure.status}`;
        return reply(res, record, failure.status, failure.body, headers);
      }
      body = dialect.success(request, scripted);
    } catch (error) {
      // 400, not 500: a broken script should fail the test at once, not be retried with backoff.
      return reject({
        status: 400,
        message: `mock script failed: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    reply(res, record, 200, body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openaiBaseURL: `${url}/v1`,
    requests,
    calls: () => requests.filter((r): r is ScriptRequest => r.callIndex !== undefined),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function reply(
  res: ServerResponse,
  record: RecordedRequest,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  record.status = status;
  const idHeader = record.provider === 'anthropic' ? 'request-id' : 'x-request-id';
  send(res, status, body, { [idHeader]: `req_mock_${Date.now()}`, ...headers });
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
