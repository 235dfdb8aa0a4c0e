import { z } from 'zod';
import { InputError } from '../util/errors.ts';
import type { Usage } from './backbone.ts';

/** USD per million tokens. */
export interface Price {
  input: number;
  output: number;
  /** Input tokens read from the provider's prompt cache, where that differs from `input`. */
  cacheRead?: number;
  /** Input tokens written to the provider's prompt cache (Anthropic's 5-minute writes), where it differs. */
  cacheWrite?: number;
}

/**
 * Published list prices, table updated 2026-12-06 from the model overview pages of
 * platform.claude.com (Sonnet 5.5 and 5: $2/$10, cache read $0.20, 5-minute write $2.50; Opus 5.5:
 * $4/$20; Opus 4.5–5: $5/$25; Fable 5.1: $10/$50) and OpenAI's pricing page. Older models stay so
 * older runs keep their cost. Where a cache price was not published beside the model, none is given
 * (cached tokens are then charged at the input price: an upper bound). Standard tier only: no batch
 * discount, no long-context surcharge, no 1-hour cache writes. Override or add with AIA_PRICES.
 */
const TABLE: Readonly<Record<string, Price>> = {
  'claude-fable-5-1': { input: 10, output: 50 },
  'claude-opus-5-5': { input: 4, output: 20 },
  'claude-opus-5': { input: 5, output: 25 },
  'claude-opus-4-8': { input: 5, output: 25 },
  'claude-opus-4-7': { input: 5, output: 25 },
  'claude-opus-4-6': { input: 5, output: 25 },
  'claude-opus-4-5': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  'claude-sonnet-5-5': { input: 2, output: 10, cacheRead: 0.2, cacheWrite: 2.5 },
  'claude-sonnet-5': { input: 2, output: 10, cacheRead: 0.2, cacheWrite: 2.5 },
  'claude-sonnet-4-6': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'claude-opus-4-1': { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
  'claude-opus-4': { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
  'claude-sonnet-4-5': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'claude-sonnet-4': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'claude-3-7-sonnet': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'claude-haiku-4-5': { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
  'claude-3-5-haiku': { input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1 },
  'gpt-4o': { input: 2.5, output: 10, cacheRead: 1.25 },
  'gpt-4o-mini': { input: 0.15, output: 0.6, cacheRead: 0.075 },
  'gpt-4.1': { input: 2, output: 8, cacheRead: 0.5 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cacheRead: 0.1 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4, cacheRead: 0.025 },
  'gpt-5': { input: 1.25, output: 10, cacheRead: 0.125 },
  'gpt-5-mini': { input: 0.25, output: 2, cacheRead: 0.025 },
  'gpt-5-nano': { input: 0.05, output: 0.4, cacheRead: 0.005 },
  o3: { input: 2, output: 8, cacheRead: 0.5 },
  'o4-mini': { input: 1.1, output: 4.4, cacheRead: 0.275 },
};

/**
 * What may follow a table key in a model id that still names the same model: a snapshot date
 * (-20250929, -2024-08-06), `-latest`, or Anthropic's `-0` alias (claude-opus-4-0). A bare prefix
 * is not enough: it would price claude-opus-4-5 ($5) as claude-opus-4 ($15) and o3-mini as o3.
 */
const SNAPSHOT_SUFFIX = /^-(?:\d{8}|\d{4}-\d{2}-\d{2}|latest|0)$/;

const PriceSchema = z.strictObject({
  input: z.number().finite().nonnegative(),
  output: z.number().finite().nonnegative(),
  cacheRead: z.number().finite().nonnegative().optional(),
  cacheWrite: z.number().finite().nonnegative().optional(),
});

const PricesSchema = z.record(z.string().min(1), PriceSchema);

/** Parse a JSON price table (`{ "model": { "input": 3, "output": 15 } }`); errors name the bad field. */
export function parsePrices(json: string, source = 'AIA_PRICES'): Record<string, Price> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new InputError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  const result = PricesSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `${issue.path.length ? issue.path.join('.') : '(top level)'}: ${issue.message}`)
      .join('; ');
    throw new InputError(
      `${source} is invalid: ${problems} (expected {"model": {"input": USD/Mtok, "output": USD/Mtok}})`,
    );
  }
  return result.data;
}

// Parsed once per distinct value so a changed environment (tests, long-lived servers) is seen.
let envCache: { json: string; prices: Record<string, Price> } | undefined;

function envPrices(): Record<string, Price> {
  const json = process.env.AIA_PRICES;
  if (json === undefined || json.trim() === '') return {};
  if (envCache?.json !== json) envCache = { json, prices: parsePrices(json) };
  return envCache.prices;
}

/**
 * The price of a model id: exact match first, then the longest table key the id extends by a snapshot
 * suffix. A `provider/` prefix (openai/gpt-4o, as routers write it) is ignored. AIA_PRICES and
 * `overrides` win over the built-in table. Undefined when the model is not priced.
 */
export function priceOf(model: string, overrides?: Record<string, Price>): Price | undefined {
  const table = new Map<string, Price>();
  for (const source of [TABLE, envPrices(), overrides ?? {}]) {
    for (const [key, price] of Object.entries(source)) table.set(key.toLowerCase(), price);
  }
  const id = model.slice(model.lastIndexOf('/') + 1).toLowerCase();
  const exact = table.get(id);
  if (exact) return exact;
  let best: string | undefined;
  for (const key of table.keys()) {
    if (!id.startsWith(key) || !SNAPSHOT_SUFFIX.test(id.slice(key.length))) continue;
    if (best === undefined || key.length > best.length) best = key;
  }
  return best === undefined ? undefined : table.get(best);
}

/**
 * USD for one call's usage. `usage.inputTokens` is the whole prompt, cache reads and writes included
 * (as OpenAI and LangChain report it); the cached part is charged at its own price and the rest at
 * the input price. Undefined for a model with no known price: offline backbones and local models
 * are the caller's to price as 0.
 */
export function costUsd(model: string, usage: Usage, overrides?: Record<string, Price>): number | undefined {
  const price = priceOf(model, overrides);
  if (!price) return undefined;
  const read = usage.cacheReadTokens ?? 0;
  const write = usage.cacheWriteTokens ?? 0;
  const fresh = Math.max(0, usage.inputTokens - read - write);
  const micro =
    fresh * price.input +
    read * (price.cacheRead ?? price.input) +
    write * (price.cacheWrite ?? price.input) +
    usage.outputTokens * price.output;
  return micro / 1_000_000;
}
