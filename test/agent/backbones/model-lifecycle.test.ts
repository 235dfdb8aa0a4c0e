import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_ANTHROPIC_MODEL } from '../../../agent/backbones/index.ts';
import {
  DEPRECATED_MODELS,
  onceEachDeprecationNotice,
  warnIfDeprecated,
} from '../../../agent/backbones/model-lifecycle.ts';
import { priceOf } from '../../../agent/prices.ts';
import { log } from '../../../util/log.ts';

/** The default model is current and priced; a deprecated one is warned about once, however many calls. */

afterEach(() => vi.restoreAllMocks());

describe('model lifecycle', () => {
  it('defaults to a model that is neither deprecated nor unpriced', () => {
    expect(DEPRECATED_MODELS[DEFAULT_ANTHROPIC_MODEL]).toBeUndefined();
    expect(priceOf(DEFAULT_ANTHROPIC_MODEL)).toEqual({
      input: 2,
      output: 10,
      cacheRead: 0.2,
      cacheWrite: 2.5,
    });
    expect(priceOf('claude-opus-5-5')).toMatchObject({ input: 4, output: 20 });
  });

  it('warns once per process about a deprecated model, naming what to use instead', () => {
    const warn = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
    expect(warnIfDeprecated('claude-sonnet-4-5')).toBe(true);
    expect(warnIfDeprecated('claude-sonnet-4-5')).toBe(true);
    expect(warnIfDeprecated(DEFAULT_ANTHROPIC_MODEL)).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toBe(
      "the model 'claude-sonnet-4-5' is deprecated (end of life 2026-11-30); use --model claude-sonnet-5 or set ANTHROPIC_MODEL",
    );
  });

  it("lets the SDK's repeated deprecation notice through only once", () => {
    const seen: unknown[] = [];
    const warn = onceEachDeprecationNotice((...args) => seen.push(args[0]));
    const notice =
      "The model 'claude-sonnet-4-5' is deprecated and will reach end-of-life on November 30th, 2026";
    for (let i = 0; i < 5; i++) warn(notice);
    warn('something else');
    warn('something else');
    expect(seen).toEqual([notice, 'something else', 'something else']);
  });
});
