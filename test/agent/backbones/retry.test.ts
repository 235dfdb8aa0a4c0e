import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { userText, type ModelRequest } from '../../../agent/backbone.ts';
import { AnthropicBackbone } from '../../../agent/backbones/anthropic.ts';
import { OpenAIBackbone } from '../../../agent/backbones/openai.ts';
import { backoffMs, ProviderError, retryAfterMs, type RetryOptions } from '../../../agent/backbones/retry.ts';
import { log } from '../../../util/log.ts';
import { startMockLlmServer, sequence, type MockLlmServer, type MockScript } from '../mock-llm/server.ts';
import { SECRET_KEY, TOOLS } from './fixtures.ts';

/**
 * Retries through the real SDKs (their own retries off): what is retried, what fails at once, how the
 * failure reads, and that the key never shows in an error or a log line.
 */

let server: MockLlmServer | undefined;
/** Retry warnings, silenced here (leak.test.ts reads the real stderr). */
let warnings: MockInstance<typeof log.warn>;
beforeEach(() => {
  warnings = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await server?.close();
  server = undefined;
});

const REQUEST: ModelRequest = {
  system: 'sys',
  messages: [userText('q')],
  tools: TOOLS,
  maxOutputTokens: 100,
  toolChoice: 'auto',
};

type Provider = 'anthropic' | 'openai';

async function backbone(
  provider: Provider,
  script: MockScript,
  retry: RetryOptions = {},
  extra: { serverKey?: string; timeoutMs?: number } = {},
): Promise<AnthropicBackbone | OpenAIBackbone> {
  server = await startMockLlmServer(script, { apiKey: extra.serverKey ?? SECRET_KEY });
  const common = { apiKey: SECRET_KEY, model: 'test-model', retry, timeoutMs: extra.timeoutMs };
  return provider === 'anthropic'
    ? new AnthropicBackbone({ ...common, baseURL: server.url })
    : new OpenAIBackbone({ ...common, baseURL: server.openaiBaseURL });
}

const logged = (): string => JSON.stringify(warnings.mock.calls);

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ProviderError)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return error;
}

describe.each<Provider>(['anthropic', 'openai'])('%s retries', (provider) => {
  it('retries a 429 after the retry-after it was given, then succeeds, logging the retry', async () => {
    const model = await backbone(
      provider,
      sequence({ error: { status: 429, retryAfter: 0 } }, { text: 'fine' }),
    );
    const response = await model.next(REQUEST);
    expect(response.text).toBe('fine');
    expect(server?.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(warnings).toHaveBeenCalledTimes(1);
    expect(warnings.mock.calls[0]?.[0]).toMatchObject({ provider, status: 429, delayMs: 0, attempt: 1 });
  });

  it('retries 5xx with backoff and gives up after maxRetries with a clear message', async () => {
    const model = await backbone(
      provider,
      () => ({ error: { status: 503, message: 'upstream overloaded' } }),
      {
        maxRetries: 2,
        baseDelayMs: 1,
        maxDelayMs: 2,
      },
    );
    const error = await failure(model.next(REQUEST));
    expect(server?.requests).toHaveLength(3);
    expect(error.status).toBe(503);
    expect(error.code).toBe('PROVIDER_ERROR');
    expect(error.message).toMatch(
      new RegExp(`^${provider} API error 503 .*after 3 attempts: upstream overloaded$`),
    );
  });

  it('fails a 401 at once, saying so without the key', async () => {
    const model = await backbone(
      provider,
      sequence({ text: 'never' }),
      { maxRetries: 4 },
      { serverKey: 'sk-the-right-one-000' },
    );
    const error = await failure(model.next(REQUEST));
    expect(server?.requests).toHaveLength(1);
    expect(error.status).toBe(401);
    expect(error.code).toBe('PROVIDER_AUTH');
    expect(error.message).toMatch(
      new RegExp(
        `^${provider} API error 401 .*(invalid x-api-key|Incorrect API key provided).*check the API key`,
      ),
    );
    expect(error.message).not.toContain(SECRET_KEY);
    expect(error.stack).not.toContain(SECRET_KEY);
    expect(logged()).toBe('[]');
  });

  it('does not retry a 400', async () => {
    const model = await backbone(provider, () => ({ error: { status: 400, message: 'prompt is too long' } }));
    const error = await failure(model.next(REQUEST));
    expect(server?.requests).toHaveLength(1);
    expect(error.message).toMatch(/400 invalid_request_error: prompt is too long/);
  });

  it('scrubs a key that the provider echoes, from the error and from the retry log', async () => {
    const echo = `quota exceeded for key ${SECRET_KEY}`;
    const model = await backbone(
      provider,
      sequence(
        { error: { status: 429, retryAfter: 0, message: echo } },
        { error: { status: 403, message: echo } },
      ),
    );
    const error = await failure(model.next(REQUEST));
    expect(error.message).toContain('quota exceeded for key [redacted]');
    expect(error.message).not.toContain(SECRET_KEY);
    expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain(
      SECRET_KEY,
    );
    expect(logged()).toContain('[redacted]');
    expect(logged()).not.toContain(SECRET_KEY);
  });

  it('scrubs a piece of the key the provider echoes (its last characters), not only the whole key', async () => {
    const tail = SECRET_KEY.slice(-8);
    const model = await backbone(provider, () => ({
      error: { status: 401, message: `invalid key …${tail}` },
    }));
    const error = await failure(model.next(REQUEST));
    expect(error.message).toContain('invalid key …[redacted]');
    expect(error.message).not.toContain(tail);
  });

  it('reports a server that cannot be reached, after retrying', async () => {
    const dead = await startMockLlmServer(() => ({ text: 'x' }));
    const url = provider === 'anthropic' ? dead.url : dead.openaiBaseURL;
    await dead.close();
    const options = {
      apiKey: SECRET_KEY,
      model: 'm',
      baseURL: url,
      retry: { maxRetries: 1, baseDelayMs: 1 },
    };
    const model = provider === 'anthropic' ? new AnthropicBackbone(options) : new OpenAIBackbone(options);
    const error = await failure(model.next(REQUEST));
    expect(error.code).toBe('PROVIDER_UNREACHABLE');
    expect(error.message).toMatch(
      new RegExp(`^${provider} at http://127\\.0\\.0\\.1:\\d+.* could not be reached after 2 attempts`),
    );
  });

  it('times out a slow answer and retries it', async () => {
    const model = await backbone(
      provider,
      sequence({ text: 'late', delayMs: 1000 }, { text: 'quick' }),
      { maxRetries: 1, baseDelayMs: 1 },
      { timeoutMs: 100 },
    );
    expect((await model.next(REQUEST)).text).toBe('quick');
    expect(server?.calls()).toHaveLength(2);
  });

  it('stops at once when aborted, during a request or while waiting to retry', async () => {
    const slow = await backbone(provider, sequence({ text: 'late', delayMs: 5000 }));
    const started = Date.now();
    const during = await failure(slow.next(REQUEST, { signal: AbortSignal.timeout(50) }));
    expect(during.code).toBe('ABORTED');
    await server?.close();

    const waiting = await backbone(provider, sequence({ error: { status: 429, retryAfter: 30 } }));
    const inBackoff = await failure(waiting.next(REQUEST, { signal: AbortSignal.timeout(100) }));
    expect(inBackoff.code).toBe('ABORTED');
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('retry arithmetic', () => {
  it('reads retry-after in seconds, as a date, and retry-after-ms', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '150', 'retry-after': '9' }), now)).toBe(150);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
  });

  it('doubles the backoff up to the cap, with at most half of it random', () => {
    const options = { maxRetries: 4, baseDelayMs: 1000, maxDelayMs: 30_000 };
    expect(backoffMs(0, options, () => 0)).toBe(500);
    expect(backoffMs(0, options, () => 1)).toBe(1000);
    expect(backoffMs(3, options, () => 1)).toBe(8000);
    expect(backoffMs(10, options, () => 0.5)).toBe(22_500);
  });
});
