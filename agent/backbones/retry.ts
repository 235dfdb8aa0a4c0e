import {
  AnthropicError,
  APIConnectionError as AnthropicConnectionError,
  APIConnectionTimeoutError as AnthropicTimeoutError,
  APIError as AnthropicApiError,
  APIUserAbortError as AnthropicAbortError,
} from '@anthropic-ai/sdk';
import {
  OpenAIError,
  APIConnectionError as OpenAIConnectionError,
  APIConnectionTimeoutError as OpenAITimeoutError,
  APIError as OpenAIApiError,
  APIUserAbortError as OpenAIAbortError,
} from 'openai';
import { AiaError } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import { redactSecrets } from '../../util/secrets.ts';

/**
 * Retries for hosted-model calls. The SDKs' own retries are switched off (maxRetries: 0) so that every
 * retry is decided, delayed and logged here, the same way for every provider.
 */

export interface RetryOptions {
  /** Retries after the first attempt. Default 4. */
  maxRetries?: number;
  /** First backoff delay; it doubles on each retry. Default 1000. */
  baseDelayMs?: number;
  /** Cap on one backoff delay (a provider's retry-after is honoured beyond it, up to 5 minutes). */
  maxDelayMs?: number;
}

/** Who is being called, for messages and logs, and which strings must never appear in either. */
export interface CallContext {
  /** anthropic | openai: named in every message and log line. */
  provider: string;
  /** Credentials to scrub from anything we report (a provider or proxy may echo them back). */
  secrets: string[];
  /** Where the requests go (a base URL), named when it cannot be reached. */
  endpoint?: string;
}

export const DEFAULT_RETRY: Required<RetryOptions> = { maxRetries: 4, baseDelayMs: 1000, maxDelayMs: 30_000 };

/** A longer retry-after than this is not worth waiting for inside one investigation. */
const MAX_RETRY_AFTER_MS = 300_000;

/** A model call that ended in failure. `status` is the HTTP status when the provider answered. */
export class ProviderError extends AiaError {
  constructor(
    message: string,
    code: 'PROVIDER_ERROR' | 'PROVIDER_AUTH' | 'PROVIDER_UNREACHABLE' | 'ABORTED',
    readonly provider: string,
    readonly status?: number,
  ) {
    super(message, code);
    this.name = 'ProviderError';
  }
}

type Failure =
  | { kind: 'abort' }
  | { kind: 'connection'; timeout: boolean; message: string }
  | { kind: 'http'; status: number; headers: Headers | undefined; message: string; type: string | undefined }
  | { kind: 'sdk'; message: string };

/** What an SDK error means, whichever SDK threw it; undefined for errors that are not the SDKs'. */
function classify(error: unknown): Failure | undefined {
  if (error instanceof AnthropicAbortError || error instanceof OpenAIAbortError) return { kind: 'abort' };
  if (error instanceof AnthropicConnectionError || error instanceof OpenAIConnectionError) {
    const timeout = error instanceof AnthropicTimeoutError || error instanceof OpenAITimeoutError;
    return { kind: 'connection', timeout, message: connectionDetail(error) };
  }
  if (error instanceof AnthropicApiError || error instanceof OpenAIApiError) {
    if (typeof error.status !== 'number') return { kind: 'sdk', message: error.message };
    const { message, type } = providerMessage(error.error, error.message);
    return { kind: 'http', status: error.status, headers: error.headers, message, type };
  }
  if (error instanceof AnthropicError || error instanceof OpenAIError)
    return { kind: 'sdk', message: error.message };
  return undefined;
}

/**
 * The provider's own words. Anthropic bodies are `{type:'error', error:{type, message}}`, OpenAI bodies
 * arrive already unwrapped as `{message, type, code}`; anything else falls back to the SDK's message.
 */
function providerMessage(body: unknown, fallback: string): { message: string; type: string | undefined } {
  const outer = isRecord(body) ? body : {};
  const inner = isRecord(outer.error) ? outer.error : outer;
  const message = typeof inner.message === 'string' ? inner.message : fallback;
  const type =
    typeof inner.type === 'string' ? inner.type : typeof inner.code === 'string' ? inner.code : undefined;
  return { message, type };
}

function connectionDetail(error: Error): string {
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const code = cause && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  return code ? `${error.message} (${code})` : error.message;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function retryable(failure: Failure): boolean {
  if (failure.kind === 'connection') return true;
  if (failure.kind !== 'http') return false;
  return failure.status === 408 || failure.status === 429 || failure.status >= 500;
}

/** The wait a provider asked for (`retry-after-ms`, or `retry-after` in seconds or as a date), if any. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with "equal jitter": half the delay is fixed, half random, so clients spread out. */
export function backoffMs(retry: number, options: Required<RetryOptions>, random = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

function failureStatus(failure: Failure): number | string {
  if (failure.kind === 'http') return failure.status;
  if (failure.kind === 'connection') return failure.timeout ? 'timeout' : 'connection';
  return failure.kind;
}

function abortedError(context: CallContext): ProviderError {
  return new ProviderError(`${context.provider} request aborted`, 'ABORTED', context.provider);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A base URL as it may be shown: without any user:password part. */
function withoutUserInfo(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** The error that ends the call, in words a person can act on, with every secret scrubbed. */
function finalError(failure: Failure, context: CallContext, attempts: number, note = ''): ProviderError {
  const { provider } = context;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  const scrub = (text: string): string => redactSecrets(text, context.secrets);
  switch (failure.kind) {
    case 'abort':
      return abortedError(context);
    case 'connection': {
      const where = context.endpoint ? ` at ${withoutUserInfo(context.endpoint)}` : '';
      const what = failure.timeout ? 'timed out' : 'could not be reached';
      return new ProviderError(
        scrub(`${provider}${where} ${what}${tries}: ${failure.message}`),
        'PROVIDER_UNREACHABLE',
        provider,
      );
    }
    case 'http': {
      const type = failure.type ? ` ${failure.type}` : '';
      const auth = failure.status === 401 || failure.status === 403;
      const hint = auth ? ' (check the API key and that it may use this model)' : '';
      return new ProviderError(
        scrub(`${provider} API error ${failure.status}${type}${tries}: ${failure.message}${hint}${note}`),
        auth ? 'PROVIDER_AUTH' : 'PROVIDER_ERROR',
        provider,
        failure.status,
      );
    }
    case 'sdk':
      return new ProviderError(
        scrub(`${provider} client error: ${failure.message}`),
        'PROVIDER_ERROR',
        provider,
      );
  }
}

/**
 * Run `fn` until it succeeds, retrying rate limits (429), server errors (5xx, 408), dropped
 * connections and timeouts; never client errors (400, 401, 403, 404, 422 …). Failures that end the
 * call become a ProviderError whose message names the provider, the status and the provider's words.
 * Errors that do not come from an SDK (a bug in a translation) pass through unchanged.
 */
export async function withRetry<T>(
  fn: () => Promise<T>,
  options: RetryOptions & CallContext,
  signal?: AbortSignal,
): Promise<T> {
  const settings: Required<RetryOptions> = {
    maxRetries: options.maxRetries ?? DEFAULT_RETRY.maxRetries,
    baseDelayMs: options.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
    maxDelayMs: options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
  };
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortedError(options);
    let failure: Failure;
    try {
      return await fn();
    } catch (error) {
      const classified = classify(error);
      if (classified === undefined) throw error;
      failure = classified;
    }
    if (signal?.aborted) throw abortedError(options);
    if (!retryable(failure) || attempt > settings.maxRetries) throw finalError(failure, options, attempt);

    const asked = failure.kind === 'http' ? retryAfterMs(failure.headers) : undefined;
    if (asked !== undefined && asked > MAX_RETRY_AFTER_MS)
      throw finalError(
        failure,
        options,
        attempt,
        ` (the provider asked to wait ${Math.round(asked / 1000)} s)`,
      );
    const delayMs = asked ?? backoffMs(attempt - 1, settings);
    log.warn(
      {
        provider: options.provider,
        status: failureStatus(failure),
        message: 'message' in failure ? redactSecrets(failure.message, options.secrets) : undefined,
        attempt,
        delayMs,
      },
      `${options.provider} call failed; retrying`,
    );
    if (!(await sleep(delayMs, signal))) throw abortedError(options);
  }
}
