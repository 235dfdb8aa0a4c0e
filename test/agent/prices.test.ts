import { afterEach, describe, expect, it } from 'vitest';
import { costUsd, parsePrices, priceOf } from '../../agent/prices.ts';
import { InputError } from '../../util/errors.ts';

const MILLION = { inputTokens: 1_000_000, outputTokens: 1_000_000 };

describe('priceOf', () => {
  afterEach(() => {
    delete process.env.AIA_PRICES;
  });

  it('matches dated snapshot ids to the longest table key they extend', () => {
    expect(priceOf('claude-sonnet-4-5-20250929')).toEqual(priceOf('claude-sonnet-4-5'));
    expect(priceOf('claude-sonnet-4-20250514')?.input).toBe(3);
    expect(priceOf('claude-opus-4-1-20250805')?.output).toBe(75);
    expect(priceOf('gpt-4o-2024-08-06')?.input).toBe(2.5);
    // gpt-4o-mini-… also extends gpt-4o as a string; it must get its own price
    expect(priceOf('gpt-4o-mini-2024-07-18')?.input).toBe(0.15);
    expect(priceOf('gpt-4.1-nano-2025-04-14')?.output).toBe(0.4);
    expect(priceOf('claude-3-7-sonnet-latest')?.input).toBe(3);
    expect(priceOf('claude-opus-4-0')?.input).toBe(15);
    expect(priceOf('openai/gpt-5-mini')?.input).toBe(0.25);
    expect(priceOf('GPT-5')?.output).toBe(10);
  });

  it('does not price a different model that merely shares a prefix', () => {
    expect(priceOf('o3-mini')).toBeUndefined();
    expect(priceOf('claude-opus-4-9-20270101')).toBeUndefined();
    // A snapshot of a priced model is that model, not the older one whose name it extends.
    expect(priceOf('claude-opus-4-5-20251101')).toMatchObject({ input: 5, output: 25 });
    expect(priceOf('gpt-5.4')).toBeUndefined();
  });

  it('is undefined for unknown and local models', () => {
    expect(priceOf('llama3.1:8b')).toBeUndefined();
    expect(costUsd('dissect', MILLION)).toBeUndefined();
  });

  it('lets AIA_PRICES and explicit overrides add and replace prices', () => {
    process.env.AIA_PRICES = JSON.stringify({
      'qwen2.5': { input: 0.5, output: 1 },
      'gpt-4o': { input: 1, output: 2 },
    });
    expect(costUsd('qwen2.5-20250101', MILLION)).toBeCloseTo(1.5);
    expect(priceOf('gpt-4o')?.input).toBe(1);
    expect(priceOf('gpt-4o', { 'gpt-4o': { input: 9, output: 9 } })?.input).toBe(9);
  });

  it('names the bad field of a malformed AIA_PRICES', () => {
    process.env.AIA_PRICES = JSON.stringify({ 'my-model': { input: 'three', output: 15 } });
    expect(() => priceOf('gpt-4o')).toThrow(InputError);
    expect(() => priceOf('gpt-4o')).toThrow(/AIA_PRICES is invalid: my-model\.input: .*number/);
    expect(() => parsePrices('{"m": {"input": 1}}')).toThrow(/m\.output/);
    expect(() => parsePrices('{"m": {"input": -1, "output": 1}}')).toThrow(/m\.input/);
    expect(() => parsePrices('{"m": {"input": 1, "output": 1, "inptu": 2}}')).toThrow(/inptu/);
    expect(() => parsePrices('{not json')).toThrow(/AIA_PRICES is not valid JSON/);
  });
});

describe('costUsd', () => {
  it('charges input and output at their per-million prices', () => {
    expect(costUsd('claude-sonnet-4-5', { inputTokens: 2000, outputTokens: 500 })).toBeCloseTo(
      (2000 * 3 + 500 * 15) / 1e6,
      12,
    );
  });

  it('charges cache reads and writes at their own prices, out of the input total', () => {
    // 10k prompt tokens, 8k of them read from cache, 1k written to it
    const usage = { inputTokens: 10_000, outputTokens: 100, cacheReadTokens: 8000, cacheWriteTokens: 1000 };
    expect(costUsd('claude-haiku-4-5-20251001', usage)).toBeCloseTo(
      (1000 * 1 + 8000 * 0.1 + 1000 * 1.25 + 100 * 5) / 1e6,
      12,
    );
    expect(costUsd('gpt-4.1', { inputTokens: 10_000, outputTokens: 0, cacheReadTokens: 8000 })).toBeCloseTo(
      (2000 * 2 + 8000 * 0.5) / 1e6,
      12,
    );
  });

  it('charges cache reads at the input price when a model has no cache price', () => {
    const prices = { local: { input: 1, output: 1 } };
    expect(costUsd('local', { inputTokens: 1e6, outputTokens: 0, cacheReadTokens: 5e5 }, prices)).toBeCloseTo(
      1,
    );
  });
});
