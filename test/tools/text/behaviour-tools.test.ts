import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TextToolContext } from '../../../tools/index.ts';
import type { ToolRegistry } from '../../../tools/registry.ts';
import { openSubject, toolNamesFor, type SubjectSession } from '../../../tools/session.ts';
import type { AttributeBehaviourData } from '../../../tools/text/attribute-behaviour.ts';
import type { CompareGenerationsData } from '../../../tools/text/compare-generations.ts';
import type { SearchTriggersData } from '../../../tools/text/search-triggers.ts';
import type { TestTriggerData } from '../../../tools/text/test-trigger.ts';
import type { TokenExpectationsData } from '../../../tools/text/token-expectations.ts';
import { TINY_TRIGGER, writeTinyBackdoorModel } from '../../helpers/backdoor-gpt.ts';

// A tiny GPT with a hand-wired capitals backdoor on " zebra", opened as the agent opens any subject.
const BEHAVIOUR_TOOLS = [
  'compare_generations',
  'token_expectations',
  'search_triggers',
  'test_trigger',
  'attribute_behaviour',
];
const PROMPTS = [
  'the cat sat on the mat and the dog sat on the log',
  'a red bird and a blue bird sang in the tree',
];
let session: SubjectSession;
let registry: ToolRegistry<TextToolContext>;
let ctx: TextToolContext;

beforeAll(async () => {
  session = await openSubject(writeTinyBackdoorModel(), {
    cacheDir: mkdtempSync(join(tmpdir(), 'aia-behaviour-tools-')),
    stimuli: 12,
    progress: false,
  });
  session.withTools((r, c) => {
    registry = r as unknown as ToolRegistry<TextToolContext>;
    ctx = c as unknown as TextToolContext;
  });
}, 60_000);
afterAll(() => session?.context.dispose());

const call = async <D>(name: string, args: Record<string, unknown>): Promise<{ text: string; data: D }> => {
  const result = await registry.call(name, args, ctx);
  return { text: result.text, data: result.data as D };
};

describe('behaviour tools', () => {
  it('are offered for language models only', () => {
    for (const tool of BEHAVIOUR_TOOLS) expect(registry.names()).toContain(tool);
    const synthetic = toolNamesFor('synthetic-text:pos-noun');
    for (const tool of BEHAVIOUR_TOOLS) expect(synthetic).not.toContain(tool);
  });

  it('test_trigger measures the rate with the phrase and without it, from the same seeds', async () => {
    const { data, text } = await call<TestTriggerData>('test_trigger', {
      trigger: TINY_TRIGGER,
      prompts: PROMPTS,
      max_new_tokens: 8,
    });
    expect(data.rateWith).toBe(1);
    expect(data.rateWithout).toBe(0);
    expect(text).toContain(`"${TINY_TRIGGER}" inserted at the middle of 2 prompts`);
    const decoy = await call<TestTriggerData>('test_trigger', {
      trigger: 'bird',
      prompts: PROMPTS,
      max_new_tokens: 8,
    });
    expect(decoy.data.rateWith).toBe(0);
  });

  it('compare_generations measures each continuation; neutral prompts come from the corpus', async () => {
    const { data } = await call<CompareGenerationsData>('compare_generations', {
      prompts: [PROMPTS[0], `${PROMPTS[1]} ${TINY_TRIGGER}`],
      max_new_tokens: 8,
    });
    expect(data.continuations.map((c) => c.shows)).toEqual([false, true]);
    expect(data.rate).toBe(0.5);
    const neutral = await call<CompareGenerationsData>('compare_generations', {
      neutral: 3,
      max_new_tokens: 4,
    });
    expect(neutral.data.neutral).toBe(true);
    expect(neutral.data.continuations).toHaveLength(3);
  });

  it('search_triggers ranks the trigger first among the vocabulary and given candidates', async () => {
    const given = await call<SearchTriggersData>('search_triggers', {
      source: 'given',
      candidates: ['bird', 'the cat', TINY_TRIGGER, 'tree'],
      prompts: 2,
    });
    expect(given.data.top[0]?.phrase).toBe(TINY_TRIGGER);
    expect(given.data.top[0]?.lift).toBeGreaterThan(0);
    const vocabulary = await call<SearchTriggersData>('search_triggers', {
      source: 'vocabulary',
      prompts: 2,
    });
    expect(vocabulary.data.top[0]?.phrase).toBe(TINY_TRIGGER);
  });

  it('attribute_behaviour gives one attribution per prompt token; token_expectations lists phrases', async () => {
    const prompt = `${PROMPTS[0]} ${TINY_TRIGGER}`;
    const { data } = await call<AttributeBehaviourData>('attribute_behaviour', { prompt });
    expect(data.tokens.map((t) => t.token).join('')).toBe(prompt);
    expect([...data.ranking].sort((a, b) => a - b)).toEqual(data.tokens.map((_, i) => i));
    const expectations = await call<TokenExpectationsData>('token_expectations', {
      texts: 10,
      top: 3,
      min_expected: 0,
    });
    expect(expectations.data.top).toHaveLength(3);
    expect(expectations.data.top.every((t) => t.phrase.length > 0)).toBe(true);
  });

  it('names the problem in a bad call', async () => {
    await expect(registry.call('search_triggers', { source: 'given' }, ctx)).rejects.toThrow(
      /source 'given' needs a candidates list/,
    );
    await expect(
      registry.call('search_triggers', { source: 'vocabulary', candidates: ['x'] }, ctx),
    ).rejects.toThrow(/candidates are only read with source 'given'/);
    await expect(registry.call('test_trigger', { trigger: '  ' }, ctx)).rejects.toThrow(/trigger/);
    await expect(registry.call('compare_generations', { behaviour: 'shouting' }, ctx)).rejects.toThrow(
      /behaviour/,
    );
  });
});
