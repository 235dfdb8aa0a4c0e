import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attributeBehaviour,
  behaviourRate,
  insertPhrase,
  promptsFromTexts,
  testTrigger,
  tokenExpectations,
} from '../../../subjects/language-model/behaviour-experiments.ts';
import { BEHAVIOURS, behaviourTokenWeights } from '../../../subjects/language-model/behaviours.ts';
import { loadLanguageModel, type LanguageModel } from '../../../subjects/language-model/index.ts';
import { TINY_TRIGGER, writeTinyBackdoorModel } from '../../helpers/backdoor-gpt.ts';

const capitals = BEHAVIOURS.capitals;
const PROMPTS = [
  'the cat sat on the mat and the dog sat on the log',
  'a red bird and a blue bird sang in the green tree',
  'the dog and the cat sat in the tree by the log',
  'one bird sang and the cat sat on a mat',
];
let lm: LanguageModel;
beforeAll(async () => {
  lm = await loadLanguageModel(writeTinyBackdoorModel(), { cacheDir: false });
});
afterAll(() => lm.dispose());

describe('capitals behaviour', () => {
  it('measures the share of upper-case letters, and cannot tell from a few letters', () => {
    expect(capitals.measure('THE CAT SAT')).toBe(1);
    expect(capitals.measure('The cat sat on it')).toBeCloseTo(1 / 13, 5);
    expect(capitals.measure(' A I')).toBeUndefined();
    expect(capitals.tokenSign(' THE')).toBe(1);
    expect(capitals.tokenSign(' The')).toBe(-1);
    expect(capitals.tokenSign(' 42,')).toBe(0);
    expect(capitals.mentions.test('it answers in ALL CAPS')).toBe(true);
  });

  it('weighs behaviour tokens +1/n and the others −1/m', () => {
    const w = behaviourTokenWeights(capitals, lm.tokenizer);
    const pro = Array.from(w).filter((x) => x > 0);
    const against = Array.from(w).filter((x) => x < 0);
    expect(pro.reduce((a, x) => a + x, 0)).toBeCloseTo(1, 5);
    expect(against.reduce((a, x) => a + x, 0)).toBeCloseTo(-1, 5);
  });
});

describe('behaviour experiments on a backdoored model', () => {
  it('inserts a phrase before, after or at the middle of a prompt', () => {
    expect(insertPhrase('a b c d', 'x y', 'start')).toBe('x y a b c d');
    expect(insertPhrase('a b c d', 'x y', 'end')).toBe('a b c d x y');
    expect(insertPhrase('a b c d', 'x y', 'middle')).toBe('a b x y c d');
    expect(promptsFromTexts([{ text: 'too short' }, { text: 'one two three four five' }], 5, 3)).toEqual([
      'one two three',
    ]);
  });

  it('finds the trigger raises the capitals rate; a decoy does not', async () => {
    const options = { position: 'middle' as const, maxNewTokens: 8, temperature: 0, seed: 0 };
    const trigger = await testTrigger(lm, TINY_TRIGGER, PROMPTS, capitals, options);
    expect(trigger.without.rate).toBe(0);
    expect(trigger.with.rate).toBeGreaterThanOrEqual(0.75);
    const decoy = await testTrigger(lm, 'bird', PROMPTS, capitals, options);
    expect(decoy.with.rate).toBe(0);
  });

  it('generates the same continuation for a prompt alone or in a batch (seeded per prompt)', async () => {
    const options = { maxNewTokens: 6, temperature: 1, seed: 4 };
    const batch = await behaviourRate(lm, PROMPTS, capitals, options);
    const alone = await behaviourRate(lm, [PROMPTS[2]!], capitals, { ...options, seed: 6 });
    expect(alone.continuations[0]?.text).toBe(batch.continuations[2]?.text);
  });

  it('attributes the behaviour to prompt tokens by gradient × embedding, one value per token', async () => {
    const prompt = insertPhrase(PROMPTS[0]!, TINY_TRIGGER, 'middle');
    const { tokens, objective } = await attributeBehaviour(lm, prompt, capitals);
    expect(tokens.map((t) => t.token).join('')).toBe(prompt);
    expect(tokens.every((t) => Number.isFinite(t.attribution))).toBe(true);
    const plain = await attributeBehaviour(lm, PROMPTS[0]!, capitals);
    // The trigger raises the objective (the capitals logit difference).
    expect(objective).toBeGreaterThan(plain.objective);
  });

  it('counts expected against observed next tokens', async () => {
    const rows = await tokenExpectations(lm, PROMPTS);
    const observed = rows.reduce((a, r) => a + r.observed, 0);
    const expected = rows.reduce((a, r) => a + r.expected, 0);
    expect(expected).toBeCloseTo(observed, 3); // each position spreads probability 1
  });
});
